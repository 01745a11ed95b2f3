import Foundation
import Testing
import Alerting
import OpsbotCore
import TelegramBotAPI
import TestHarness
@testable import OpsbotApp
@testable import OpsbotAlerts

/// Issue 8 items 7 and 8 through the loopback Bot API: what an admin's Telegram receives.
@Suite struct AlertsTelegramTests {
    static let token = "123456789:" + "AAFakeTokenForAlertTests_abcdefghijk"

    func make(_ clock: ManualClock) throws -> (FakeBotAPI, AppContext, AlertService) {
        let fake = try FakeBotAPI(token: Self.token)
        let (base, _) = try TestApp.make(configYAML: """
            admins:
              chats: [-100]
              users: [1]
            instance: habitbot-prod
            alerts:
              repeat: 2m
            """, clock: clock)
        let transport = TelegramTransport(api: BotAPI(baseURL: fake.baseURL, token: Self.token, requestTimeout: 10), documentThreshold: 12_000)
        let app = AppContext(config: base.config, store: base.store, clock: clock, transport: transport, catalog: base.catalog, wiring: Features.build(base.config))
        return (fake, app, try app.alertsFeature.service())
    }

    @Test func resolvedRepliesToTheFiringMessageWhichLosesItsButtons() async throws {
        let clock = ManualClock()
        let (fake, app, svc) = try make(clock)
        defer { fake.stop() }
        let down = [CheckResult(check: "service_down", target: "worker", status: .critical, summary: "worker is failed: exit 1"),
                    CheckResult(check: "service_down", target: "web", status: .critical, summary: "web is failed: exit 1")]
        for _ in 0..<2 { svc.submit("services", down); svc.evaluateRound(); await svc.deliver(app); clock.advance(by: 10) }
        let firing = try #require(fake.sentMessages(chatID: -100).first)
        let text = try #require(firing.text)
        // Shape: severity, name, target, the rule's description, evidence, first seen, instance; no Value lines.
        #expect(text.contains("CRITICAL") && text.contains("service_down") && text.contains("a configured service is not running"))
        #expect(text.contains("worker is failed: exit 1") && text.contains("First seen") && text.contains("habitbot-prod"))
        #expect(!text.contains("Value:"))
        #expect(firing.fields["disable_notification"] == nil, "critical: with sound")
        let buttons = firing.fields["reply_markup"] ?? ""
        #expect(buttons.components(separatedBy: "callback_data").count - 1 <= 8, "a digest has at most 8 buttons")
        let firingID = try #require(firing.resultMessageID)

        // Reminders: one digest per round for both alerts.
        clock.advance(by: 120)
        svc.submit("services", down); svc.evaluateRound(); await svc.deliver(app)
        let reminders = fake.sentMessages(chatID: -100).filter { $0.text?.contains("Still firing") == true }
        #expect(reminders.count == 1 && HTML.toPlainText(reminders[0].text ?? "").contains("Still firing (2)"))

        // Recovery: a reply to the firing message, and the firing message edited.
        clock.advance(by: 10)
        svc.submit("services", down.map { var c = $0; c.status = .ok; return c }); svc.evaluateRound(); await svc.deliver(app)
        let resolved = try #require(fake.sentMessages(chatID: -100).last)
        #expect(resolved.text?.contains("resolved after") == true)
        #expect(resolved.fields["reply_parameters"]?.contains("\"message_id\":\(firingID)") == true, "\(resolved.fields)")
        let edit = try #require(fake.calls("editMessageText").last)
        #expect(edit.fields["message_id"] == String(firingID))
        #expect(edit.text?.contains("resolved") == true && edit.text?.contains("CRITICAL") == true)
        #expect(!(edit.fields["reply_markup"] ?? "").contains("a:k:"), "no live Ack after it resolved: \(edit.fields)")
    }

    @Test func aMessageDeliveredLateSaysSo() async throws {
        let clock = ManualClock()
        let (fake, app, svc) = try make(clock)
        defer { fake.stop() }
        fake.failNext(method: "sendMessage", status: 502, description: "Bad Gateway", count: 1)
        svc.submit("db", [CheckResult(check: "schema", target: "database", status: .critical, summary: "column users.tier missing")])
        svc.evaluateRound()
        await svc.deliver(app)
        #expect(fake.sentMessages(chatID: -100).filter { $0.status == 200 }.isEmpty)
        clock.advance(by: 70)
        await svc.deliver(app)
        let late = try #require(fake.sentMessages(chatID: -100).last { $0.status == 200 })
        #expect(late.text?.contains("(delayed 1 min: Telegram unreachable)") == true, "\(late.text ?? "")")
    }

    /// Item 7 through the loopback Bot API: the 30-service storm and recovery.
    @Test func thirtyServiceStormThroughTheBotAPI() async throws {
        let fake = try FakeBotAPI(token: Self.token)
        defer { fake.stop() }
        let transport = TelegramTransport(api: BotAPI(baseURL: fake.baseURL, token: Self.token, requestTimeout: 10), documentThreshold: 12_000)
        let o = try await AlertStormScenario.run(through: transport)
        let sent = fake.calls("sendMessage").filter { $0.status == 200 }
        #expect(sent.count == o.messagesIn5Min && sent.count <= 5, "\(o.transcript)")
        #expect(o.recoveryDelay <= 10 && o.remindersAfterRecovery == 0)
        let resolved = try #require(sent.last)
        #expect(resolved.text?.contains("resolved") == true && resolved.fields["reply_parameters"] != nil)
        #expect(fake.calls("editMessageText").contains { $0.status == 200 && ($0.text ?? "").contains("resolved") })
    }
}
