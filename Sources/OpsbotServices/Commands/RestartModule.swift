import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/restart <service|all>`: preview → confirm → restart, then verify: the service running,
/// every health endpoint answering as expected and (if configured) its startup line logged.
/// Ends with "worker healthy after 7 s" or "worker still failing after 60 s" and its last errors.
struct RestartModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.anyService) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(Reply(html: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text())) }
        guard let arg = ctx.request.string("service") else { return .reply(Reply(html: ServicesText.restartMissingService.text())) }
        let names = arg == "all" ? m.restartOrder : [arg]
        guard names.allSatisfy({ m.backend($0) != nil }), !names.isEmpty else {
            return .reply(Reply(html: ServicesText.unknownRestartTarget(name: arg, known: m.settings.services.map(\.name)).text()))
        }
        if let busy = names.first(where: m.isRestarting) {
            return .reply(Reply(html: ServicesText.alreadyRestarting(service: busy).text()))
        }
        var preview = (names.count == 1 ? ServicesText.restartPreviewOne(service: names[0]) : .restartPreviewOrder(services: names)).text()
        for n in names {
            let b = m.backend(n)!
            preview += "• \(HTML.escape(b.config.displayName)): <code>\(HTML.escape(b.restartDescription))</code>"
            let checks = RestartModule.verification(b.config)
            preview += checks.isEmpty ? "\n" : ServicesText.restartThenWait(wait: b.config.restartWait, checks: checks).text() + "\n"
        }
        return .confirm(ConfirmationPlan(preview: preview.trimmingCharacters(in: .newlines), confirmLabel: ServicesText.restartConfirm(target: arg).text(),
                                         auditAction: "restart \(names.joined(separator: ","))") { progress in
            var lines: [String] = []
            for n in names {
                let line = await RestartModule.restartOne(m, n, progress: progress, done: lines)
                lines.append(line)
            }
            return Reply(html: lines.joined(separator: "\n"))
        })
    }

    static func verification(_ c: ServiceConfig) -> String {
        ServicesText.verification(health: c.health.map { "\($0.label) \($0.expect)" }, marker: c.startupMarker?.pattern).text()
    }

    /// Restarts one service and waits for it to come back. Returns one line of HTML.
    static func restartOne(_ m: ServiceManager, _ name: String, progress: ProgressReporter, done: [String],
                           pollInterval: Double = 1, verb: String = "restart",
                           action: (@Sendable () async throws -> Void)? = nil) async -> String {
        guard let b = m.backend(name) else { return ServicesText.restartUnknownService(service: name).text() }
        guard m.beginRestart(name) else { return ServicesText.restartSkipped(service: name).text() }
        // The verification ends here, whatever its outcome: /status then shows what the platform reports.
        defer { b.endRestartWatch(); m.endRestart(name) }
        let prefix = done.isEmpty ? "" : done.joined(separator: "\n") + "\n"
        await progress.update(prefix + ServicesText.restartProgress(service: b.config.displayName, redeploy: verb == "redeploy").text())
        let oldPIDs = await withDeadline(.seconds(5), fallback: [Int32]()) { await b.status().pids }
        let clock = m.clock
        let started = clock.wallTime
        let elapsed = clock.stopwatch()
        var notes: [String] = []
        do { if let action { try await action() } else { notes = try await b.restartReporting() } } catch {
            return ServicesText.restartActionFailed(service: b.config.displayName, redeploy: verb == "redeploy", error: Redactor.shared.redact(ChatError.text(error))).text()
                + (await lastErrors(m, b, since: nil))
        }
        var last = ""
        var announced = false
        var upSince: Double? = nil   // `elapsed()` when it was first seen running
        var unconfirmed: UnconfirmedRestart? = nil   // the platform shows no sign of the restart yet
        // restart_wait counts from the platform's acceptance (a slow API must not eat it), and the
        // state is read at least once, so a reply always says why.
        let waiting = clock.stopwatch()
        var polls = 0
        while polls == 0 || waiting() < b.config.restartWait {
            polls += 1
            let st = await b.status()
            unconfirmed = st.state == .running ? st.restartUnconfirmed : nil
            if let u = unconfirmed, !(await startupLogged(b, since: started)) {
                // Running as before the request: the restart has not shown yet (a startup line logged since would show it).
                upSince = nil
                last = ServicesText.restartRequested(unchanged: u.unchanged).text()
            } else if st.state == .running {
                unconfirmed = nil
                upSince = upSince ?? elapsed()
                if !announced { await progress.update(prefix + ServicesText.restartWaitingHealth(service: b.config.displayName).text()); announced = true }
                let results = await withTaskGroup(of: HealthResult.self) { g in
                    for h in b.config.health { g.addTask { await Probes.health(h, clock: clock) } }
                    var out: [HealthResult] = []
                    for await r in g { out.append(r) }
                    return out
                }
                let failing = results.filter { !$0.ok }
                let markerOK = b.config.startupMarker == nil ? true : await startupLogged(b, since: started)
                // A process that dies a moment after start must not pass: it has to stay up `restart_settle`.
                let settled = elapsed() - upSince! >= b.config.restartSettle
                if failing.isEmpty && markerOK && settled {
                    m.startFreshLogWindow(name, at: started)
                    let newPIDs = st.pids
                    let pids = oldPIDs.isEmpty && newPIDs.isEmpty ? ""
                        : " (pid \(oldPIDs.isEmpty ? "—" : oldPIDs.map(String.init).joined(separator: ",")) → \(newPIDs.isEmpty ? "—" : newPIDs.map(String.init).joined(separator: ",")))"
                    return ServicesText.restartHealthy(service: b.config.displayName, seconds: Int(elapsed().rounded()), pids: pids).text() + notes.map { "\n" + HTML.escape($0) }.joined()
                }
                last = failing.map { "\($0.endpoint.label): \($0.summary(Language.current))" }.joined(separator: "; ")
                if !markerOK { last += (last.isEmpty ? "" : "; ") + ServicesText.restartNoStartupLine.text() }
                if last.isEmpty { last = ServicesText.restartRunningFor(seconds: Int(elapsed() - upSince!)).text() }
            } else {
                upSince = nil
                last = ServicesText.restartState(state: st.state.rawValue, detail: st.detail).text()
            }
            try? await clock.sleep(seconds: min(pollInterval, b.config.restartSettle > 0 ? b.config.restartSettle / 2 : pollInterval))
        }
        if let u = unconfirmed, !u.alwaysVisible {
            // Up as before, and the platform exposes nothing a restart must change: not a failure, just unknown.
            return ServicesText.restartUnverifiable(service: b.config.displayName, name: name, redeploy: verb == "redeploy", unchanged: u.unchanged,
                                                    wait: Int(b.config.restartWait), hasMarker: b.config.startupMarker != nil).text()
                + notes.map { "\n" + HTML.escape($0) }.joined()
        }
        return ServicesText.restartStillFailing(service: b.config.displayName, wait: Int(b.config.restartWait), last: last).text() + notes.map { "\n" + HTML.escape($0) }.joined() + (await lastErrors(m, b, since: started.addingTimeInterval(-5)))
    }

    /// The service's startup line logged since `started` (false without a startup_marker).
    static func startupLogged(_ b: ServiceBackend, since started: Date) async -> Bool {
        guard let marker = b.config.startupMarker else { return false }
        let seen = try? await b.logs(lines: 1, filter: LineFilter(regex: marker.regex, since: started.addingTimeInterval(-1)))
        return seen.map { !$0.lines.isEmpty && ($0.lines.last?.time.map { $0 >= started.addingTimeInterval(-1) } ?? true) } ?? false
    }

    static func lastErrors(_ m: ServiceManager, _ b: ServiceBackend, since: Date?) async -> String {
        guard let r = try? await b.logs(lines: 10, filter: LineFilter(level: .error, since: since)), !r.lines.isEmpty else { return "" }
        // Masked before the cut: a secret cut in half would no longer match the mask.
        return "\n<pre>" + HTML.escape(r.lines.map { String(m.mask($0.text).prefix(300)) }.joined(separator: "\n")) + "</pre>"
    }
}
