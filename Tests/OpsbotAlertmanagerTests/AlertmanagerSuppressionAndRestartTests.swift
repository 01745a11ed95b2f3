import Foundation
import Testing
import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotAlertmanager

/// Issue 19 items 5, 7, 9: the end of a silence shows on the next poll (Expire polls at once),
/// no stale "silenced in Alertmanager" mutes, and an Alertmanager restart is no resolve storm.
@Suite(.serialized, .exclusive, .enabled(if: TestAlertmanager.enabled)) struct AlertmanagerSuppressionAndRestartTests {
    /// A resolved message (one alert or a digest), not an "unknown" line that explains when it would resolve.
    func isResolvedMessage(_ html: String) -> Bool { html.contains("resolved after") || html.contains("alerts resolved") }

    func suppressed(_ h: AlertmanagerHarness, _ yes: Bool) async throws -> Bool {
        try await until {
            try await h.am.alerts().contains { (($0["labels"] as? [String: String]) ?? [:])["run"] == h.run
                && ((($0["status"] as? [String: Any])?["state"] as? String) == "suppressed") == yes }
        }
    }

    /// Item 5: Expire in /silences → Confirm polls at once, and that poll notifies the alert
    /// (it used to stay muted for poll × 3 + 60 s: 240 s with the default poll).
    @Test func expiredSilenceNotifiesOnTheNextPollAndExpirePollsAtOnce() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        let labels = h.labels("SilencedThenExpired")
        try await h.am.fire(labels)
        let id = try await h.source.api.createSilence(matchers: AlertmanagerSilencing.matchers(labels)!, endsAt: Date().addingTimeInterval(3600),
                                                      createdBy: "@bob (7)", comment: "maintenance")
        #expect(try await suppressed(h, true))
        await h.round()
        #expect(!h.transport.texts.contains { $0.contains("SilencedThenExpired") }, "silenced: not notified")
        #expect(!h.source.wakeup.pending)

        await h.say("/expire_silence \(id)")
        let (confirmID, confirm) = try #require(h.sent.last)
        let yes = try #require(confirm.buttons.flatMap { $0 }.first)
        await h.press(yes.data, messageID: confirmID)
        #expect(await until { h.transport.texts.contains { $0.contains("expired") } })
        #expect(h.source.wakeup.pending, "Expire wakes the poll loop")

        #expect(try await suppressed(h, false))
        await h.round()
        #expect(h.sent.contains { $0.1.html.contains("Alert firing") && $0.1.html.contains("SilencedThenExpired") },
                "the next poll notifies it: \(h.transport.texts)")
        #expect(!h.svc.engine.mutes.contains { $0.key.contains(h.run) }, "no mute left")
        try await h.am.resolve(labels)
    }

    /// Item 9: an alert that resolved while silenced leaves no "silenced or inhibited in
    /// Alertmanager" mute behind in /alerts.
    @Test func resolvedWhileSilencedLeavesNoMuteInAlerts() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        let labels = h.labels("GoneWhileSilenced")
        try await h.am.fire(labels)
        let id = try await h.source.api.createSilence(matchers: AlertmanagerSilencing.matchers(labels)!, endsAt: Date().addingTimeInterval(3600),
                                                      createdBy: "test", comment: "quiet")
        defer { Task { try? await h.source.api.expireSilence(id: id) } }
        #expect(try await suppressed(h, true))
        await h.round()
        #expect(h.svc.engine.mutes.contains { $0.key.contains(h.run) && $0.by == "alertmanager" })
        try await h.am.resolve(labels)
        #expect(try await until { try await !h.am.alerts().contains { (($0["labels"] as? [String: String]) ?? [:])["run"] == h.run } })
        await h.round()
        #expect(!h.svc.engine.mutes.contains { $0.key.contains(h.run) }, "\(h.svc.engine.mutes)")
        await h.say("/alerts")
        let list = try #require(h.sent.last).1.html
        #expect(!list.contains(h.run), "\(list)")
    }

    /// Item 7: Alertmanager restarts (alerts are in its memory only) and opsbot polls before
    /// Prometheus re-sends them: the alerts are unknown, not resolved — and when they come back
    /// they are known again, not fired a second time.
    @Test func restartedAlertmanagerMakesMissingAlertsUnknownNotResolved() async throws {
        let am = try await runBlocking { try TestAlertmanager.start() }
        defer { am.stop() }
        let h = try await AlertmanagerHarness(am)
        let all = (0..<3).map { h.labels("Restarted\($0)") }
        for l in all { try await am.fire(l) }
        await h.round()
        #expect(h.svc.engine.active.filter { $0.rule.hasPrefix("Restarted") && $0.isFiring }.count == 3)
        let before = h.sent.count

        try await runBlocking { try am.restart() }
        #expect(try await am.alerts().isEmpty, "a restarted Alertmanager has forgotten its alerts")
        await h.round()
        #expect(!h.sent.dropFirst(before).contains { isResolvedMessage($0.1.html) }, "\(h.transport.texts)")
        let states = h.svc.engine.active.filter { $0.rule.hasPrefix("Restarted") }
        #expect(states.count == 3 && states.allSatisfy { $0.isFiring && $0.isUnknown }, "\(states.map { ($0.fingerprint, $0.unknownReason ?? "-") })")
        #expect(states.first?.unknownReason?.contains("Alertmanager restarted") == true)
        await h.round()   // still within the grace: still unknown, still nothing resolved
        #expect(!h.sent.dropFirst(before).contains { isResolvedMessage($0.1.html) })

        // Prometheus re-sends them: known again, no second firing message.
        for l in all { try await am.fire(l) }
        await h.round()
        #expect(!h.sent.dropFirst(before).contains { $0.1.html.contains("firing") }, "\(h.transport.texts)")
        let back = h.svc.engine.active.filter { $0.rule.hasPrefix("Restarted") }
        #expect(back.count == 3 && back.allSatisfy { $0.isFiring && !$0.isUnknown })
    }

    /// Past the grace, an alert still missing resolves (it did resolve while Alertmanager was down).
    @Test func missingAfterTheGraceResolves() async throws {
        let am = try await runBlocking { try TestAlertmanager.start() }
        defer { am.stop() }
        let h = try await AlertmanagerHarness(am, extra: "  restart_grace: 0s")
        try await am.fire(h.labels("GoneForGood"))
        await h.round()
        try await runBlocking { try am.restart() }
        await h.round()
        #expect(h.sent.contains { isResolvedMessage($0.1.html) && $0.1.html.contains("GoneForGood") }, "\(h.transport.texts)")
    }
}
