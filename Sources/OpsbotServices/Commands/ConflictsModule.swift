import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/conflicts`: why the target bot gets 409 Conflict — extra copies polling the same token
/// (processes, containers), conflict lines in its log, a webhook set while it polls — and the
/// fixes: stop the extras (never the one the supervisor owns) and delete a stray webhook.
struct ConflictsModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.botService) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
        guard let svc = m.settings.botService, let b = m.backend(svc.name) else {
            return .reply(.text("No bot service configured: mark the service that runs the bot with bot: true, or set target_bot.service."))
        }
        let now = ctx.app.clock.now()
        let window = m.settings.targetBot?.conflictWindow ?? 900
        async let inst: Result<[ServiceInstance], Error> = { do { return .success(try await b.instances()) } catch { return .failure(error) } }()
        async let logs = try? b.logs(lines: 5, filter: LineFilter(regex: StatusCollector.conflictPattern.regex, since: now.addingTimeInterval(-window)))
        async let bot: TargetBotProbe.Report? = { if let tb = m.settings.targetBot { return await TargetBotProbe(config: tb, environment: m.environment).check() } else { return nil } }()
        async let warning = svc.match != nil && (svc.backend == .process || svc.backend == .systemd) ? b.status().matchWarning : nil
        let (instances, conflictLines, botReport, matchWarning) = await (inst, logs, bot, warning)

        var html = "<b>Conflicts for \(HTML.escape(svc.displayName))</b>\n"
        var extras: [ServiceInstance] = []
        // Lines from before the last fix (a /conflicts fix, a /restart) belong to what it fixed:
        // they say nothing about now. A fix older than the window changes nothing.
        let fixedAt = m.logWindowStart(svc.name, pattern: StatusCollector.conflictPatternName).flatMap { now.timeIntervalSince($0) < window ? $0 : nil }
        let found = conflictLines?.lines ?? []
        let lines = found.filter { l in fixedAt.map { f in l.time.map { $0 >= f } ?? true } ?? true }
        let beforeFix = found.count - lines.count
        // Set for platform services (dynos, replicas): the copies are the platform's, the fix is its count.
        var platformCount: Int? = nil
        let platformName = svc.backend == .heroku ? "Heroku" : "Railway"
        let noun = svc.backend == .heroku ? "dyno" : "replica"
        switch instances {
        case .failure(let e):
            let why = (e as? InstancesUnknown)?.reason ?? "\(e)"
            html += "❔ instances: unknown (\(HTML.escape(why))) — a second copy polling the token cannot be ruled out\n"
        case .success(let list) where b is ScalableBackend:
            platformCount = list.count
            let plural = list.count == 1 ? noun : noun + "s"
            if list.count > 1 {
                html += "🔴 \(list.count) \(plural) of \(HTML.escape(svc.name)) are running on \(platformName) — Telegram lets only one poll a token (409 Conflict)\n"
            } else {
                html += "\(list.count == 1 ? "✅" : "⚠️") \(list.count) \(plural) of \(HTML.escape(svc.name)) running on \(platformName)\n"
            }
            for i in list {
                html += "• " + HTML.escape(i.description)
                if let s = i.startedAt { html += " — since \(HTML.escape(Durations.format(max(0, now.timeIntervalSince(s))))) ago" }
                html += "\n"
            }
        case .success(let list):
            let supervised = list.filter(\.supervised)
            extras = list.filter { !$0.supervised }
            if list.count <= 1 {
                html += "✅ \(list.count) instance running\n"
            } else {
                html += "🔴 \(list.count) instances running — Telegram lets only one poll a token (409 Conflict):\n"
            }
            for i in list {
                html += (i.supervised ? "• keep: " : "• extra: ") + HTML.escape(i.description)
                if let s = i.startedAt { html += " — started \(HTML.escape(Durations.format(now.timeIntervalSince(s)))) ago" }
                html += "\n"
            }
            if let w = matchWarning {
                html += "⚠️ " + HTML.escape(String(w.dropFirst(svc.name.count + 2))) + "\n"
            }
            if !extras.isEmpty && supervised.isEmpty {
                html += "⚠️ none of them is owned by a supervisor (no systemd main PID, compose container or pidfile match), so opsbot will not choose which to stop.\n"
                extras = []
            }
        }
        let scope = fixedAt.map { "since the last fix \(Durations.format(max(0, now.timeIntervalSince($0)))) ago" } ?? "in the last \(Durations.format(window))"
        let earlier = beforeFix > 0 ? " (\(beforeFix) from before it no longer count\(beforeFix == 1 ? "s" : ""))" : ""
        if lines.isEmpty {
            html += "✅ no “Conflict: terminated by other getUpdates request” in the log \(scope)\(earlier)\n"
        } else {
            html += "🔴 conflict lines \(scope)\(earlier):\n<pre>\(HTML.escape(lines.map { String(m.mask($0.text).prefix(250)) }.joined(separator: "\n")))</pre>\n"
            // A dyno that no longer runs may still have logged while it stopped: not an outside poller.
            let running = svc.backend == .heroku ? (try? instances.get()).map { Set($0.map(\.id)) } : nil
            let gone = running.map { ids in Set(lines.compactMap(HerokuBackend.dyno(of:)).filter { !ids.contains($0) }) } ?? []
            let fromRunning = lines.filter { l in HerokuBackend.dyno(of: l).map { !gone.contains($0) } ?? true }.count
            if !gone.isEmpty {
                html += "ℹ️ \(lines.count - fromRunning) of them from \(HTML.escape(gone.sorted().joined(separator: ", "))), which no longer run\(gone.count == 1 ? "s" : "")\n"
            }
            if let n = platformCount, n <= 1, fromRunning > 0 {
                // Seed 004: one replica on the platform, yet Telegram sees two pollers.
                html += "🔴 only \(n) \(noun) runs on \(platformName), so the other poller is outside the platform (a laptop, another host, a second app with the same token): stop it there, or revoke the token with @BotFather and set the new one only here.\n"
            }
        }
        var webhookToDelete: String? = nil
        if let r = botReport {
            if !r.tokenOK {
                html += "⚠️ target bot: \(HTML.escape(r.error ?? "getMe failed"))\n"
            } else if let url = r.webhookURL, m.settings.targetBot?.mode == "polling" {
                html += "🔴 a webhook is set (\(HTML.escape(url))) while the bot polls: every getUpdates fails with 409\n"
                webhookToDelete = url
            } else {
                html += "✅ webhook: \(r.webhookURL == nil ? "not set" : "set (the bot expects one)")\n"
            }
        }
        let toStop = extras
        let limit = svc.maxInstances
        let scalePlan: ConfirmationPlan? = platformCount.flatMap { n -> ConfirmationPlan? in
            guard n > limit, let sb = b as? ScalableBackend else { return nil }
            return ConfirmationPlan(preview: html + "\nScale \(HTML.escape(svc.name)) to \(limit):\n<code>\(HTML.escape(sb.scaleDescription(to: limit)))</code>",
                                    confirmLabel: "Scale to \(limit)", auditAction: "conflicts: scale \(svc.name) to \(limit)") { _ in
                do {
                    let said = try await sb.scale(to: limit)
                    // Like the other fixes: conflict lines of the copies it removed no longer count.
                    if sb.scaleAppliesAtOnce { m.startFreshLogWindow(svc.name, pattern: StatusCollector.conflictPatternName) }
                    return .text("✅ " + said)
                } catch { return .text("🔴 scaling failed: \(error)") }
            }
        }
        let stopPlan: ConfirmationPlan? = toStop.isEmpty ? scalePlan : ConfirmationPlan(
            preview: html + "\nStop these extra instances (SIGTERM, then SIGKILL / docker stop)?\n" + extras.map { "• " + HTML.escape($0.description) }.joined(separator: "\n"),
            confirmLabel: "Stop \(extras.count) extra", auditAction: "conflicts: stop \(extras.map(\.id).joined(separator: ",")) of \(svc.name)") { _ in
                var out: [String] = []
                for e in toStop {
                    do { out.append("✅ " + HTML.escape(try await b.stop(e))) } catch { out.append("🔴 " + HTML.escape("\(error)")) }
                }
                let left = (try? await b.instances())?.count
                if left.map({ $0 <= svc.maxInstances }) == true { m.startFreshLogWindow(svc.name, pattern: StatusCollector.conflictPatternName) }
                return Reply(html: out.joined(separator: "\n") + (left.map { "\n\($0) instance(s) of \(HTML.escape(svc.name)) now running" } ?? ""))
            }
        let hookPlan: ConfirmationPlan? = webhookToDelete.map { url in
            ConfirmationPlan(preview: html + "\nDelete the webhook \(HTML.escape(url)) (deleteWebhook) so that polling works again?",
                             confirmLabel: "Delete webhook", auditAction: "conflicts: deleteWebhook for the target bot") { _ in
                guard let tb = m.settings.targetBot else { return .text("target_bot is not configured") }
                do {
                    try await TargetBotProbe(config: tb, environment: m.environment).deleteWebhook()
                    m.startFreshLogWindow(svc.name, pattern: StatusCollector.conflictPatternName)
                    return .text("✅ webhook deleted")
                } catch { return .text("🔴 deleteWebhook failed: \(error)") }
            }
        }
        switch (stopPlan, hookPlan) {
        case (let s?, let h?):
            return .choose(prompt: html + "\nWhat should be fixed?", choices: [
                Choice(scalePlan != nil ? "Scale \(svc.name) to \(limit)" : "Stop \(extras.count) extra instance\(extras.count == 1 ? "" : "s")") { .confirm(s) },
                Choice("Delete the webhook") { .confirm(h) },
            ])
        case (let s?, nil): return .confirm(s)
        case (nil, let h?): return .confirm(h)
        case (nil, nil): return .reply(Reply(html: html.trimmingCharacters(in: .newlines)))
        }
    }
}
