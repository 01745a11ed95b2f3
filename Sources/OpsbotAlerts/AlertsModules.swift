import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport

/// `/alerts`: what fires, what is acknowledged or muted, with age and last sent, plus the
/// outbox (queued messages and delivery failures) — "why did no alert arrive?" in one place.
struct AlertsModule: CommandModule {
    let alerts: AlertsFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let svc: AlertService
        do { svc = try alerts.service() } catch { return .reply(.text("Alerts are not available: \(error)")) }
        let now = ctx.app.clock.now()
        func age(_ d: Date?) -> String { d.map { Durations.format(now.timeIntervalSince($0)) + " ago" } ?? "never" }
        var html = ""
        let active = svc.engine.active
        // Alerts silenced by another (the database down explains the payments alerts) are listed
        // under it rather than on their own.
        let inhibitedBy = Dictionary(active.compactMap { a in svc.engine.inhibitor(of: a).map { (a.fingerprint, $0.fingerprint) } },
                                     uniquingKeysWith: { a, _ in a })
        let firing = active.filter { $0.isFiring && $0.ackedBy == nil && !svc.engine.isMuted($0) && inhibitedBy[$0.fingerprint] == nil }
        let acked = active.filter { $0.isFiring && $0.ackedBy != nil }
        let mutedAlerts = active.filter { $0.isFiring && $0.ackedBy == nil && svc.engine.isMuted($0) }
        let pending = active.filter { $0.phase == .pending }
        func line(_ a: AlertState) -> String {
            // The fingerprint is exactly what /mute takes.
            var s = "\(a.severity.symbol) <code>\(HTML.escape(a.fingerprint))</code> — "
            // What failed, next to how often: "7 failed" alone read like 7 failed deliveries.
            s += "since \(age(a.firingSince ?? a.firstSeen)), last sent \(age(a.lastSent)), "
            s += "\(a.failedChecks) failed check\(a.failedChecks == 1 ? "" : "s") in a row"
            if !a.summary.isEmpty { s += ": \(HTML.escape(a.summary))" }
            if a.flapping { s += ", flapping" }
            if let u = a.unknownSince { s += ", ❔ unknown since \(AlertRenderer.clock(u)): \(HTML.escape(a.unknownReason ?? "?"))" }
            if !a.firingSent { s += ", not sent" }
            if let by = a.ackedBy { s += ", ack by \(HTML.escape(by))" }
            if let fix = a.remediation { s += " → \(HTML.escape(fix))" }
            return s
        }
        func lineWithInhibited(_ a: AlertState) -> String {
            let under = active.filter { inhibitedBy[$0.fingerprint] == a.fingerprint }
            guard !under.isEmpty else { return line(a) }
            return line(a) + "\n" + under.prefix(10).map { "   ↳ silenced by it: <code>\(HTML.escape($0.fingerprint))</code>"
                + ($0.unknownSince.map { " (unknown since \(AlertRenderer.clock($0)))" } ?? "") }.joined(separator: "\n")
                + (under.count > 10 ? "\n   ↳ … and \(under.count - 10) more" : "")
        }
        func section(_ title: String, _ items: [AlertState]) {
            guard !items.isEmpty else { return }
            html += "<b>\(title) (\(items.count))</b>\n" + items.prefix(30).map(lineWithInhibited).joined(separator: "\n")
            if items.count > 30 { html += "\n… and \(items.count - 30) more" }
            html += "\n\n"
        }
        section("Firing", firing)
        section("Acknowledged", acked)
        section("Muted", mutedAlerts)
        section("Pending (not yet `for` failures)", pending)
        let mutes = svc.engine.mutes
        if !mutes.isEmpty {
            html += "<b>Mutes (\(mutes.count))</b>\n" + mutes.map { m in
                "🔕 <code>\(HTML.escape(m.key))</code> for \(Durations.format(m.until.timeIntervalSince(now)))"
                    + (m.by.map { " by \(HTML.escape($0))" } ?? "") + (m.reason.map { " — \(HTML.escape($0))" } ?? "")
            }.joined(separator: "\n") + "\n\n"
        }
        if active.isEmpty && mutes.isEmpty { html += "✅ No alerts firing.\n\n" }
        if !firing.isEmpty { html += "<i>Mute one: /mute &lt;name&gt; 1h (the name as shown, e.g. \(HTML.escape(firing[0].fingerprint)))</i>\n\n" }
        let queued = (try? svc.store.pending()) ?? []
        let failures = (try? svc.store.failures(limit: 5)) ?? []
        html += "<b>Delivery</b> to chat \(svc.chatID.map(String.init) ?? "— none configured (alerts.chat_id)"): "
        html += queued.isEmpty ? "outbox empty" : "\(queued.count) queued, oldest \(age(queued.first?.createdAt))"
        if let e = queued.first?.lastError { html += ", last error: \(HTML.escape(String(e.prefix(200))))" }
        if let last = (try? svc.store.recentlySent(limit: 1))?.first { html += "; last delivered \(age(last.doneAt))" }
        for f in failures {
            html += "\n❌ \(age(f.doneAt)): \(f.message.kind.rawValue) \(HTML.escape(f.message.fingerprint ?? "")) — \(HTML.escape(String((f.lastError ?? "").prefix(200))))"
        }
        return .reply(Reply(html: html.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

/// `/mute <rule|fingerprint> <duration> [reason]`.
struct MuteModule: CommandModule {
    let alerts: AlertsFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let svc: AlertService
        do { svc = try alerts.service() } catch { return .reply(.text("Alerts are not available: \(error)")) }
        guard let key = ctx.request.string("target"), !key.isEmpty else {
            return .reply(.text("Usage: /mute <rule|fingerprint> <duration> [reason], e.g. /mute disk 1h cleaning up"))
        }
        guard svc.engine.isMuteKey(key) else {
            return .reply(.text("\(key) is neither a rule nor an alert fingerprint. Rules: \(svc.engine.rules.map(\.name).joined(separator: ", ")); fingerprints look like disk:/var (see /alerts)."))
        }
        guard let secs = ctx.request.seconds("duration"), secs >= 60, secs <= 30 * 86400 else {
            return .reply(.text("The duration must be between 1m and 30d, e.g. 1h or 4h."))
        }
        let reason = ctx.request.words("reason").joined(separator: " ")
        let who = ctx.request.username.map { "@\($0)" } ?? "user \(ctx.request.userID)"
        let m = svc.engine.mute(key, for: secs, reason: reason.isEmpty ? nil : reason, by: who)
        let silence = await alerts.muteHook?.muted(ctx.app, fingerprint: key, seconds: secs,
                                                   createdBy: MuteLine.creator(username: ctx.request.username, userID: ctx.request.userID),
                                                   chatID: ctx.request.chatID)
        return .reply(Reply(html: "🔕 <code>\(HTML.escape(key))</code> muted for \(Durations.format(secs)) (until \(AlertRenderer.time(m.until)))"
                            + (reason.isEmpty ? "" : " — \(HTML.escape(reason))") + (silence.map { "\n" + $0 } ?? "")))
    }
}

/// `/unmute <rule|fingerprint>`.
struct UnmuteModule: CommandModule {
    let alerts: AlertsFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let svc: AlertService
        do { svc = try alerts.service() } catch { return .reply(.text("Alerts are not available: \(error)")) }
        guard let key = ctx.request.string("target") else { return .reply(.text("Usage: /unmute <rule|fingerprint>")) }
        let unmuted = svc.engine.unmute(key)
        let silence = await alerts.muteHook?.unmuted(ctx.app, fingerprint: key)
        if unmuted || silence != nil {
            return .reply(Reply(html: "🔔 <code>\(HTML.escape(key))</code> unmuted." + (silence.map { "\n" + $0 } ?? "")))
        }
        let live = svc.engine.mutes.map(\.key)
        return .reply(.text("\(key) is not muted." + (live.isEmpty ? "" : " Muted now: \(live.joined(separator: ", "))")))
    }
}
