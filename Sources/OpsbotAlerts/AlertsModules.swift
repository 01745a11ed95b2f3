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
        do { svc = try alerts.service() } catch { return .reply(.text(AlertText.unavailable(error: ChatError.text(error)).text())) }
        let now = ctx.app.clock.now()
        let l = Language.current
        func age(_ d: Date?) -> String { d.map { AlertText.ago(seconds: now.timeIntervalSince($0)).text() } ?? AlertText.never.text() }
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
            s += AlertText.activeLine(since: age(a.firingSince ?? a.firstSeen), lastSent: age(a.lastSent), failed: a.failedChecks).text()
            let summary = a.summary(l)
            if !summary.isEmpty { s += ": \(HTML.escape(summary))" }
            if a.flapping { s += AlertText.flappingNote.text() }
            if let u = a.unknownSince { s += AlertText.unknownSinceNote(clock: AlertRenderer.clock(u), reason: a.unknownReason(l) ?? "?").text() }
            if !a.firingSent { s += AlertText.notSentNote.text() }
            if let by = a.ackedBy { s += AlertText.ackedByNote(by).text() }
            if let fix = a.remediation { s += " → \(HTML.escape(fix))" }
            return s
        }
        func lineWithInhibited(_ a: AlertState) -> String {
            let under = active.filter { inhibitedBy[$0.fingerprint] == a.fingerprint }
            guard !under.isEmpty else { return line(a) }
            return line(a) + "\n" + under.prefix(10).map { AlertText.silencedByIt(fingerprint: $0.fingerprint).text()
                + ($0.unknownSince.map { AlertText.unknownSinceShort(clock: AlertRenderer.clock($0)).text() } ?? "") }.joined(separator: "\n")
                + (under.count > 10 ? AlertText.andMoreIndented(under.count - 10).text() : "")
        }
        func section(_ title: AlertText, _ items: [AlertState]) {
            guard !items.isEmpty else { return }
            html += "<b>\(title.text()) (\(items.count))</b>\n" + items.prefix(30).map(lineWithInhibited).joined(separator: "\n")
            if items.count > 30 { html += AlertText.andMore(items.count - 30).text() }
            html += "\n\n"
        }
        section(.sectionFiring, firing)
        section(.sectionAcknowledged, acked)
        section(.sectionMuted, mutedAlerts)
        section(.sectionPending, pending)
        let mutes = svc.engine.mutes
        if !mutes.isEmpty {
            html += AlertText.mutesHeader(count: mutes.count).text() + mutes.map { m in
                AlertText.muteEntry(key: m.key, seconds: m.until.timeIntervalSince(now)).text()
                    + (m.by.map { AlertText.muteBy($0).text() } ?? "") + (m.reason.map { " — \(HTML.escape(AlertText.muteReason($0)))" } ?? "")
            }.joined(separator: "\n") + "\n\n"
        }
        if active.isEmpty && mutes.isEmpty { html += AlertText.noAlerts.text() }
        if !firing.isEmpty { html += AlertText.muteOneHint(example: firing[0].fingerprint).text() }
        let queued = (try? svc.store.pending()) ?? []
        let failures = (try? svc.store.failures(limit: 5)) ?? []
        html += AlertText.deliveryTo(chat: svc.chatID).text()
        html += queued.isEmpty ? AlertText.outboxEmpty.text() : AlertText.queued(count: queued.count, oldest: age(queued.first?.createdAt)).text()
        if let e = queued.first?.lastError { html += AlertText.lastError(String(e.prefix(200))).text() }
        if let last = (try? svc.store.recentlySent(limit: 1))?.first { html += AlertText.lastDelivered(age(last.doneAt)).text() }
        for f in failures {
            html += "\n❌ \(age(f.doneAt)): \(AlertText.kind(f.message.kind).text()) \(HTML.escape(f.message.fingerprint ?? "")) — \(HTML.escape(String((f.lastError ?? "").prefix(200))))"
        }
        return .reply(Reply(html: html.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

/// `/mute <rule|fingerprint> <duration> [reason]`.
struct MuteModule: CommandModule {
    let alerts: AlertsFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let svc: AlertService
        do { svc = try alerts.service() } catch { return .reply(.text(AlertText.unavailable(error: ChatError.text(error)).text())) }
        guard let key = ctx.request.string("target"), !key.isEmpty else {
            return .reply(Reply(html: AlertText.muteUsage.text()))
        }
        guard svc.engine.isMuteKey(key) else {
            return .reply(.text(AlertText.notMuteKey(key: key, rules: svc.engine.rules.map(\.name)).text()))
        }
        guard let secs = ctx.request.seconds("duration"), secs >= 60, secs <= 30 * 86400 else {
            return .reply(.text(AlertText.badMuteDuration.text()))
        }
        let reason = ctx.request.words("reason").joined(separator: " ")
        let who = ctx.request.username.map { "@\($0)" } ?? "user \(ctx.request.userID)"
        let m = svc.engine.mute(key, for: secs, reason: reason.isEmpty ? nil : reason, by: who)
        let silence = await alerts.muteHook?.muted(ctx.app, fingerprint: key, seconds: secs,
                                                   createdBy: MuteLine.creator(username: ctx.request.username, userID: ctx.request.userID),
                                                   chatID: ctx.request.chatID)
        return .reply(Reply(html: AlertText.muted(key: key, seconds: secs, until: AlertRenderer.time(m.until), reason: reason).text()
                            + (silence.map { "\n" + $0 } ?? "")))
    }
}

/// `/unmute <rule|fingerprint>`.
struct UnmuteModule: CommandModule {
    let alerts: AlertsFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let svc: AlertService
        do { svc = try alerts.service() } catch { return .reply(.text(AlertText.unavailable(error: ChatError.text(error)).text())) }
        guard let key = ctx.request.string("target") else { return .reply(Reply(html: AlertText.unmuteUsage.text())) }
        let unmuted = svc.engine.unmute(key)
        let silence = await alerts.muteHook?.unmuted(ctx.app, fingerprint: key)
        if unmuted || silence != nil {
            return .reply(Reply(html: AlertText.unmuted(key: key).text() + (silence.map { "\n" + $0 } ?? "")))
        }
        let live = svc.engine.mutes.map(\.key)
        return .reply(.text(AlertText.notMuted(key: key, live: live).text()))
    }
}
