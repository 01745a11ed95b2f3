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
        do { m = try services.manager() } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
        guard let arg = ctx.request.string("service") else { return .reply(.text("missing service. Usage: /restart <service|all>")) }
        let names = arg == "all" ? m.restartOrder : [arg]
        guard names.allSatisfy({ m.backend($0) != nil }), !names.isEmpty else {
            return .reply(.text("unknown service \"\(arg)\" (known: \(m.settings.services.map(\.name).joined(separator: ", ")), all)"))
        }
        if let busy = names.first(where: m.isRestarting) {
            return .reply(.text("\(busy) is already being restarted; wait for that to finish."))
        }
        var preview = "Restart \(names.count == 1 ? "<b>\(HTML.escape(names[0]))</b>" : "in this order: <b>\(HTML.escape(names.joined(separator: " → ")))</b>"):\n"
        for n in names {
            let b = m.backend(n)!
            preview += "• \(HTML.escape(b.config.displayName)): <code>\(HTML.escape(b.restartDescription))</code>"
            let checks = RestartModule.verification(b.config)
            preview += checks.isEmpty ? "\n" : ", then wait up to \(Durations.format(b.config.restartWait)) for \(HTML.escape(checks))\n"
        }
        return .confirm(ConfirmationPlan(preview: preview.trimmingCharacters(in: .newlines), confirmLabel: "Restart \(arg)",
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
        var parts = ["running"]
        if !c.health.isEmpty { parts.append(c.health.map { "\($0.label) \($0.expect)" }.joined(separator: " and ")) }
        if let s = c.startupMarker { parts.append("“\(s.pattern)” in the log") }
        return parts.joined(separator: ", ")
    }

    /// Restarts one service and waits for it to come back. Returns one line of HTML.
    static func restartOne(_ m: ServiceManager, _ name: String, progress: ProgressReporter, done: [String],
                           pollInterval: Double = 1, verb: String = "restart",
                           action: (@Sendable () async throws -> Void)? = nil) async -> String {
        guard let b = m.backend(name) else { return "🔴 unknown service \(HTML.escape(name))" }
        guard m.beginRestart(name) else { return "⚠️ \(HTML.escape(name)) is already being restarted; skipped" }
        // The verification ends here, whatever its outcome: /status then shows what the platform reports.
        defer { b.endRestartWatch(); m.endRestart(name) }
        let prefix = done.isEmpty ? "" : done.joined(separator: "\n") + "\n"
        let e = HTML.escape(b.config.displayName)
        await progress.update(prefix + "⏳ \(verb == "restart" ? "restarting" : verb + "ing") \(e)…")
        let oldPIDs = await withDeadline(.seconds(5), fallback: [Int32]()) { await b.status().pids }
        let clock = m.clock
        let started = clock.wallTime
        let elapsed = clock.stopwatch()
        var notes: [String] = []
        do { if let action { try await action() } else { notes = try await b.restartReporting() } } catch {
            return "🔴 \(e): \(verb) failed: \(HTML.escape(Redactor.shared.redact("\(error)")))" + (await lastErrors(m, b, since: nil))
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
                last = "restart requested; \(u.unchanged)"
            } else if st.state == .running {
                unconfirmed = nil
                upSince = upSince ?? elapsed()
                if !announced { await progress.update(prefix + "⏳ \(e) active, waiting for health…"); announced = true }
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
                    return "✅ \(e) healthy after \(Int(elapsed().rounded())) s\(pids)" + notes.map { "\n" + HTML.escape($0) }.joined()
                }
                last = failing.map { "\($0.endpoint.label): \($0.summary)" }.joined(separator: "; ")
                if !markerOK { last += (last.isEmpty ? "" : "; ") + "no startup line yet" }
                if last.isEmpty { last = "running for \(Int(elapsed() - upSince!)) s" }
            } else {
                upSince = nil
                last = "\(st.state.rawValue): \(st.detail)"
            }
            try? await clock.sleep(seconds: min(pollInterval, b.config.restartSettle > 0 ? b.config.restartSettle / 2 : pollInterval))
        }
        if let u = unconfirmed, !u.alwaysVisible {
            // Up as before, and the platform exposes nothing a restart must change: not a failure, just unknown.
            let hint = b.config.startupMarker == nil
                ? "It runs; a startup_marker for \(HTML.escape(name)) would let opsbot see the new start in its log."
                : "It runs, but no startup line has appeared in its log since the request."
            return "⚠️ \(e): \(verb) requested, not verifiable: \(HTML.escape(u.unchanged)) within \(Int(b.config.restartWait)) s. " + hint
                + notes.map { "\n" + HTML.escape($0) }.joined()
        }
        return "🔴 \(e) still failing after \(Int(b.config.restartWait)) s (\(HTML.escape(last)))" + notes.map { "\n" + HTML.escape($0) }.joined() + (await lastErrors(m, b, since: started.addingTimeInterval(-5)))
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
