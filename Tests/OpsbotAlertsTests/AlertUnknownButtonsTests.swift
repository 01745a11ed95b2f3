import Foundation
import Testing
@testable import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotAlerts

/// Issue 19 item 8: an alert that became unknown may still be firing: its message keeps Ack
/// and Mute, and "known again" keeps them (or brings them back when an older edit removed them).
@Suite struct AlertUnknownButtonsTests {
    func edits(_ t: RecordingTransport, _ id: Int64) -> [Reply] {
        t.events.compactMap { if case .edited(let ref, let r) = $0, ref.messageID == id { r } else { nil } }
    }

    func kinds(_ r: Reply?) -> Set<String> {
        Set((r?.buttons ?? []).flatMap { $0 }.compactMap { b in
            let p = b.data.split(separator: ":")
            return p.count >= 3 && p[0] == "a" ? String(p[1]) : nil
        })
    }

    @Test func unknownKeepsAckAndMuteAndKnownAgainRestoresThem() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        let failing = CheckResult(check: "service_down", target: "worker", status: .critical, summary: "worker is failed")
        for _ in 0..<2 { svc.submit("services", [failing]); svc.evaluateRound(); clock.advance(by: 10) }
        await svc.deliver(app)
        let (msgID, firing) = try #require(sentMessages(transport).first)
        #expect(kinds(firing).isSuperset(of: ["k", "m"]), "\(firing.buttons)")

        // Unknown: the line is added, Ack and Mute stay.
        svc.submit("services", [CheckResult(check: "service_down", target: "worker", status: .unknown, summary: "systemctl timed out")])
        svc.evaluateRound()
        await svc.deliver(app)
        let unknown = try #require(edits(transport, msgID).last)
        #expect(unknown.html.contains("unknown"), "\(unknown.html)")
        #expect(kinds(unknown).isSuperset(of: ["k", "m"]), "unknown keeps Ack and Mute: \(unknown.buttons)")

        // An older version's "unknown" edit removed them: known again brings them back.
        var stored = try #require(try svc.store.message(chatID: -100, messageID: msgID))
        stored.buttons = []
        try svc.store.saveMessage(chatID: -100, messageID: msgID, stored, now: clock.now())
        clock.advance(by: 10)
        svc.submit("services", [failing])
        svc.evaluateRound()
        await svc.deliver(app)
        let known = try #require(edits(transport, msgID).last)
        #expect(known.html.contains("known again"), "\(known.html)")
        #expect(kinds(known).isSuperset(of: ["k", "m"]), "known again restores Ack and Mute: \(known.buttons)")
        #expect(known.buttons.flatMap { $0 }.filter { $0.data.hasPrefix("a:k:") }.count == 1, "not twice")
    }

    @Test func knownAgainAfterAnAcknowledgeRestoresMuteButNotAck() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        let failing = CheckResult(check: "service_down", target: "worker", status: .critical, summary: "worker is failed")
        for _ in 0..<2 { svc.submit("services", [failing]); svc.evaluateRound(); clock.advance(by: 10) }
        await svc.deliver(app)
        let (msgID, _) = try #require(sentMessages(transport).first)
        let id = try #require(svc.engine.alert(fingerprint: "service_down:worker")?.id)
        svc.acknowledge(id: id, by: "@ann")
        var stored = try #require(try svc.store.message(chatID: -100, messageID: msgID))
        stored.buttons = []
        try svc.store.saveMessage(chatID: -100, messageID: msgID, stored, now: clock.now())
        svc.submit("services", [CheckResult(check: "service_down", target: "worker", status: .unknown, summary: "timed out")])
        svc.evaluateRound()
        clock.advance(by: 10)
        svc.submit("services", [failing])
        svc.evaluateRound()
        await svc.deliver(app)
        let known = try #require(edits(transport, msgID).last)
        #expect(kinds(known) == ["m", "r"] || kinds(known) == ["m"], "\(known.buttons)")
    }
}
