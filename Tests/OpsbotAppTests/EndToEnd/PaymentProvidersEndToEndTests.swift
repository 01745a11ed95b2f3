import Foundation
import Testing
import TestHarness
import TestKit
@testable import OpsbotCore
@testable import OpsbotApp

/// Issue 20 item 7, seed 002 §1.4/§2.3 end to end through the real poll loop, the loopback Bot
/// API, real PostgreSQL and both provider fakes: payment 5 pending here, paid at YooKassa 30
/// minutes ago, the webhook never came → the CRITICAL payment_webhook_lost alert → its Complete
/// button → the preview says "paid at YooKassa" → Confirm → the row succeeded, credited once.
@Suite(.serialized, .exclusive, .enabled(if: TestPostgres.enabled))
struct PaymentProvidersEndToEndTests {
    func harness(_ yk: FakeYooKassa, _ cp: FakeCryptoPay, env extra: [String: String] = [:]) async throws -> (LoopHarness, String) {
        let pg = try await TestPostgres.sharedAsync()
        let url = try await pg.createDatabaseAsync(sql: DBFixture.demoSQL)
        let section = DBFixture.demoConfig(providers: DBFixture.providersYAML(yookassa: yk.url, cryptopay: cp.url))
        let env = ["DATABASE_URL": url, "YOOKASSA_SHOP_ID": yk.state.current.shopID, "YOOKASSA_SECRET_KEY": yk.state.current.secretKey,
                   "CRYPTOBOT_TOKEN": cp.state.current.token].merging(extra) { $1 }
        // One alert per message (a digest of several carries only Ack buttons): the demo data's
        // schema drift, stuck-pending and double-credit alerts are switched off here.
        let h = try LoopHarness(extraConfig: section.replacingOccurrences(of: "versions_dir: demo/", with: "versions_dir: \(TestApp.repositoryRoot)/demo/") + """
            alerts:
              default_interval: 1h
              catch_all: false
              rules:
                - {name: payments, enabled: false}
                - {name: schema, enabled: false}
            """, shippedCommands: ["complete.yaml", "payments.yaml"], environment: env)
        return (h, String(url.split(separator: "=").last!))
    }

    /// The callback data of the newest message whose text contains `needle` and that has buttons.
    func buttons(_ h: LoopHarness, of needle: String) -> (messageID: Int64, data: [String])? {
        for call in h.fake.calls.reversed() where (call.method == "sendMessage" || call.method == "editMessageText") && call.status == 200 {
            guard call.text?.contains(needle) == true, let markup = call.fields["reply_markup"],
                  let json = try? JSONSerialization.jsonObject(with: Data(markup.utf8)) as? [String: Any],
                  let rows = json["inline_keyboard"] as? [[[String: Any]]] else { continue }
            let id = call.fields["message_id"].flatMap { Int64($0) } ?? call.resultMessageID ?? 0
            return (id, rows.flatMap { $0 }.compactMap { $0["callback_data"] as? String })
        }
        return nil
    }

    @Test func webhookLostAlertCompleteButtonPreviewConfirmCreditsOnce() async throws {
        let yk = try FakeYooKassa(), cp = try FakeCryptoPay()
        defer { yk.stop(); cp.stop() }
        yk.set(FakeYooKassa.payment(id: "2d8f1c3a-000f-5000-9000-1a2b3c4d5e05", status: "succeeded", amount: "250.00",
                                    createdAt: Date().addingTimeInterval(-40 * 60), capturedAt: Date().addingTimeInterval(-30 * 60)))
        yk.set(FakeYooKassa.payment(id: "2d8f1c3a-000f-5000-9000-1a2b3c4d5e04", status: "canceled", amount: "299.00",
                                    cancellation: ("yoo_money", "expired_on_confirmation")))
        cp.set(FakeCryptoPay.invoice(id: 1000006, status: "active", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        let (h, db) = try await harness(yk, cp)
        try h.start()
        // The check runs at start: the alert arrives on its own.
        #expect(await h.waitForText("payment_webhook_lost", timeout: 30))
        let alert = try #require(h.texts().first { $0.contains("payment_webhook_lost") })
        #expect(alert.contains("CRITICAL") && alert.contains("user 4, 250.00 RUB") && alert.contains("2d8f1c3a-000f-5000-9000-1a2b3c4d5e05"), "\(alert)")
        #expect(!alert.contains("CB-771209") && !alert.contains("payment 4 "), "only the lost one fires: \(alert)")
        let b = try #require(buttons(h, of: "payment_webhook_lost"))
        let complete = try #require(b.data.first { $0.hasPrefix("a:r:") }, "the Complete button: \(b.data) in \(alert)")
        _ = h.fake.enqueueCallback(chatID: -1001, userID: LoopHarness.admin, messageID: b.messageID, data: complete)
        // The button runs /complete 5: the preview asks YooKassa.
        #expect(await h.waitForText("YooKassa says the money arrived"))
        let preview = HTML.toPlainText(try #require(h.texts().last { $0.contains("Complete this payment?") }))
        #expect(preview.contains("At YooKassa: succeeded") && preview.contains("250.00 RUB"), "\(preview)")
        let confirm = try #require(buttons(h, of: "Complete this payment?"))
        let before = yk.requestCount
        _ = h.fake.enqueueCallback(chatID: -1001, userID: LoopHarness.admin, messageID: confirm.messageID, data: confirm.data[0])
        #expect(await h.waitForText("Payment 5 completed"))
        #expect(yk.requestCount > before, "asked again at Confirm")
        let pg = try await TestPostgres.sharedAsync()
        #expect(try await pg.psqlAsync(database: db, command: "SELECT status FROM payments WHERE id = 5").contains("succeeded"))
        #expect(try await pg.psqlAsync(database: db, command: "SELECT balance::text FROM users WHERE id = 4").contains("270.00"))
        #expect(try await pg.psqlAsync(database: db, command: "SELECT count(*) FROM balance_transactions WHERE payment_id = 5").contains("1"))
        // /payments pending now shows the remaining rows with their provider column.
        h.say("/payments pending 1m")
        #expect(await h.waitForText("canceled at provider (expired_on_confirmation)"))
        #expect(await h.shutdown() == 0)
        #expect(yk.violations.isEmpty && cp.violations.isEmpty, "\(yk.violations) \(cp.violations)")
        // No secret reached the chat or the log.
        let everything = (h.texts() + h.texts("editMessageText")).joined() + h.log.lines.joined(separator: "\n")
        #expect(!everything.contains(yk.state.current.secretKey) && !everything.contains(cp.state.current.token))
    }

    @Test func wrongCredentialsAlertNamesTheVariable() async throws {
        let yk = try FakeYooKassa(), cp = try FakeCryptoPay()
        defer { yk.stop(); cp.stop() }
        let (h, _) = try await harness(yk, cp, env: ["YOOKASSA_SECRET_KEY": "test_rotatedROTATEDrotatedROTATED"])
        try h.start()
        #expect(await h.waitForText("provider_credentials", timeout: 30))
        let alert = try #require(h.texts().first { $0.contains("provider_credentials") })
        #expect(alert.contains("YOOKASSA_SECRET_KEY") && alert.contains("401"), "\(alert)")
        #expect(!alert.contains("test_rotatedROTATEDrotatedROTATED"))
        #expect(await h.shutdown() == 0)
        #expect(yk.violations.isEmpty && cp.violations.isEmpty)
    }
}
