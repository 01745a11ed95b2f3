import Foundation
import Testing
import TestHarness
import TestKit
import Postgres
import OpsbotSupport
@testable import OpsbotCore
@testable import OpsbotDatabase
@testable import PaymentProviders

/// The demo database (demo/app-db.sql) with both providers faked: payment 5 (YooKassa …5e05,
/// 250.00 RUB, 40 min), 4 (YooKassa …5e04, 299.00 RUB, 2 h), 6 (cryptobot payload CB-771209,
/// 5.00 USD, 25 min), 7 (YooKassa …5e07, 100.00 RUB, 3 min).
struct ProviderFixture {
    let db: DBFixture
    let yk: FakeYooKassa
    let cp: FakeCryptoPay

    static func id(_ n: Int) -> String { "2d8f1c3a-000f-5000-9000-1a2b3c4d5e0\(n)" }

    static func make(environment: [String: String]? = nil, timeout: String = "2s", yookassaURL: String? = nil, clock: any OpsClock = SystemClock()) async throws -> ProviderFixture {
        let yk = try FakeYooKassa(), cp = try FakeCryptoPay()
        let env = environment ?? ["YOOKASSA_SHOP_ID": yk.state.current.shopID, "YOOKASSA_SECRET_KEY": yk.state.current.secretKey,
                                  "CRYPTOBOT_TOKEN": cp.state.current.token]
        let section = DBFixture.demoConfig(providers: DBFixture.providersYAML(yookassa: yookassaURL ?? yk.url, cryptopay: cp.url, timeout: timeout))
        let db = try await DBFixture.make(database: section, clock: clock, providerEnvironment: env)
        return ProviderFixture(db: db, yk: yk, cp: cp)
    }

    /// Paid at YooKassa 30 minutes ago for `amount`.
    func paidAtYooKassa(_ n: Int, _ amount: String, minutesAgo: Double = 30) {
        yk.set(FakeYooKassa.payment(id: Self.id(n), status: "succeeded", amount: amount, createdAt: Date().addingTimeInterval(-minutesAgo * 60 - 120),
                                    capturedAt: Date().addingTimeInterval(-minutesAgo * 60)))
    }

    func stop() { yk.stop(); cp.stop() }

    var violations: [String] { yk.violations + cp.violations }
}

@Suite(.enabled(if: TestPostgres.enabled))
struct PaymentProviderDatabaseTests {
    @Test func pendingShowsWhatEachProviderSays() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00")
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(4), status: "canceled", amount: "299.00", cancellation: ("yoo_money", "expired_on_confirmation")))
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "active", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        let text = try await f.db.run("/payments pending 1m").text
        let line = { (id: String) in text.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? "" }
        #expect(line("5").contains("paid at YooKassa") && line("5").contains("✅"), "\(text)")
        #expect(line("4").contains("canceled at provider (expired_on_confirmation)"), "\(text)")
        #expect(line("6").contains("pending at provider"), "\(text)")
        #expect(line("7").contains("not found at provider"), "\(text)")
        #expect(text.contains("at provider") && text.contains("(the provider is asked first)"))
        #expect(f.violations.isEmpty, "\(f.violations)")
    }

    @Test func providerDownIsUnknownNeverNotPaid() async throws {
        let f = try await ProviderFixture.make(yookassaURL: "http://127.0.0.1:1/v3")
        defer { f.stop() }
        let text = try await f.db.run("/payments pending 1m").text
        let five = text.split(separator: "\n").first { $0.hasPrefix("5 ") }.map(String.init) ?? ""
        #expect(five.contains("unknown (unreachable)"), "\(text)")
        #expect(text.contains("YooKassa API unreachable: connection refused") && text.contains("unknown, not \"not paid\""))
        #expect(!text.lowercased().contains("not paid at"), "\(text)")
        // /complete offers no Confirm while YooKassa cannot be asked.
        let outcome = try await f.db.run("/complete 5")
        #expect(outcome.plan == nil && outcome.text.contains("the status is unknown, which is not the same as paid"), "\(outcome.text)")
        #expect(try await f.db.sql("SELECT status FROM payments WHERE id = 5") == "pending")
    }

    @Test func refusedCredentialsStopTheRestOfThePage() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.yk.state.withLock { $0.secretKey = "test_rotatedrotatedrotatedrotated" }
        let text = try await f.db.run("/payments pending 1m").text
        #expect(text.contains("unknown (credentials)") && text.contains("YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY"), "\(text)")
        // 3 YooKassa rows on the page, 10 in flight at once: all asked at most once, none retried.
        #expect(f.yk.requestCount <= 3)
        #expect(f.violations.isEmpty, "\(f.violations)")
    }

    @Test func pendingPageIsOneDeadlineForAllRows() async throws {
        let f = try await ProviderFixture.make(timeout: "10s")
        defer { f.stop() }
        f.yk.state.withLock { $0.delay = 3 }  // every YooKassa answer takes 3 s
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "paid", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        // provider_deadline is 8 s; with the demo's 1 s override the page cannot wait for YooKassa.
        let db = try f.db.app.databaseFeature.client()
        let rows = try await db.session { s in try PaymentsStore(db.settings.payments).pendingPage(s, olderThan: 60, offset: 0, limit: 10) }
        let dir = f.db.app.databaseFeature.providers(db)
        let started = Date()
        let v = await dir.verdicts(rows, deadline: 1)
        #expect(Date().timeIntervalSince(started) < 2.5, "one deadline, not one per row")
        if case .unknown(let why)? = v["5"] { #expect(why.contains("no answer within 1 s")) } else { Issue.record("\(v)") }
        if case .found(let p)? = v["6"] { #expect(p.state == .paid) } else { Issue.record("Crypto Pay answered in time: \(v)") }
    }

    @Test func completeOffersConfirmOnlyWhenPaidAndTheAmountMatches() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00")
        let outcome = try await f.db.run("/complete 5")
        let plan = try #require(outcome.plan, "\(outcome.text)")
        #expect(outcome.text.contains("At YooKassa: succeeded") && outcome.text.contains("250.00 RUB") && outcome.text.contains("here: 250.00 RUB, pending"))
        #expect(outcome.text.contains("YooKassa says the money arrived and the amount matches"))
        #expect(plan.auditAction.contains("paid at YooKassa \(ProviderFixture.id(5))"))
        let asked = f.yk.requestCount
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.hasPrefix("✅ Payment 5 completed"), "\(done)")
        #expect(f.yk.requestCount == asked + 1, "asked again at Confirm")
        #expect(try await f.db.sql("SELECT balance::text FROM users WHERE id = 4") == "270.00")
        #expect(f.violations.isEmpty, "\(f.violations)")
    }

    @Test func aStatusThatChangedBeforeConfirmIsCaught() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00")
        let plan = try #require(try await f.db.run("/complete 5").plan)
        // Between the preview and the press, YooKassa's record says something else (a refund
        // would not change status; a wrong shop's record might): amount now differs.
        f.paidAtYooKassa(5, "25.00")
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.contains("Not completed: asked again at Confirm, the amount differs: 25.00 RUB at YooKassa, 250.00 RUB here"), "\(done)")
        #expect(try await f.db.sql("SELECT status FROM payments WHERE id = 5") == "pending")
        #expect(try await f.db.sql("SELECT count(*) FROM balance_transactions WHERE payment_id = 5") == "0")
    }

    /// The provider is asked again inside the completion's transaction: while YooKassa is
    /// being asked at Confirm, the row is already locked (nobody else can complete it).
    @Test func theConfirmQuestionIsAskedWithTheRowLocked() async throws {
        let f = try await ProviderFixture.make(timeout: "10s")
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00")
        let plan = try #require(try await f.db.run("/complete 5").plan)
        let asked = f.yk.requestCount
        f.yk.state.withLock { $0.delay = 3 }
        let run = Task { HTML.toPlainText(await plan.run(NoProgress()).html) }
        while f.yk.requestCount == asked { try await Task.sleep(nanoseconds: 10_000_000) }
        // YooKassa is answering (3 s): the row is locked by the completion's transaction.
        var locked = ""
        do { _ = try await f.db.sql("SELECT id FROM payments WHERE id = 5 FOR UPDATE NOWAIT") } catch { locked = "\(error)" }
        #expect(locked.contains("could not obtain lock"), "\(locked)")
        #expect(await run.value.hasPrefix("✅ Payment 5 completed"))
        #expect(try await f.db.sql("SELECT count(*) FROM balance_transactions WHERE payment_id = 5") == "1")
    }

    @Test func refusalsSayWhyAndOfferNoConfirm() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        let before = try await f.db.sql("SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM payments p")
        // Pending at the provider.
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(5), status: "pending", amount: "250.00"))
        var o = try await f.db.run("/complete 5")
        #expect(o.plan == nil && o.text.contains("the customer has not paid yet: YooKassa says pending"), "\(o.text)")
        #expect(o.text.contains("force <reason>"))
        // Held, not captured.
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(5), status: "waiting_for_capture", amount: "250.00"))
        o = try await f.db.run("/complete 5")
        #expect(o.plan == nil && o.text.contains("only held"), "\(o.text)")
        // Canceled.
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(4), status: "canceled", amount: "299.00", cancellation: ("yoo_money", "expired_on_confirmation")))
        o = try await f.db.run("/complete 4")
        #expect(o.plan == nil && o.text.contains("YooKassa canceled it (expired_on_confirmation by yoo_money)"), "\(o.text)")
        // Amount mismatch.
        f.paidAtYooKassa(5, "300.00")
        o = try await f.db.run("/complete 5")
        #expect(o.plan == nil && o.text.contains("the amount differs: 300.00 RUB at YooKassa, 250.00 RUB here"), "\(o.text)")
        // Not found.
        o = try await f.db.run("/complete 7")
        #expect(o.plan == nil && o.text.contains("YooKassa has no payment"), "\(o.text)")
        // Crypto Pay: currency mismatch and expired.
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "paid", amount: "5.00", currency: "USDT", payload: "CB-771209"))
        o = try await f.db.run("/complete 6")
        #expect(o.plan == nil && o.text.contains("5.00 USDT at Crypto Pay, 5.00 USD here"), "\(o.text)")
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "expired", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        o = try await f.db.run("/complete 6")
        #expect(o.plan == nil && o.text.contains("expired unpaid"), "\(o.text)")
        // Wrong credentials: names the variables.
        f.yk.state.withLock { $0.secretKey = "test_rotatedrotatedrotatedrotated" }
        o = try await f.db.run("/complete 5")
        #expect(o.plan == nil && o.text.contains("YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY"), "\(o.text)")
        #expect(try await f.db.sql("SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM payments p") == before)
        #expect(f.violations.isEmpty, "\(f.violations)")
    }

    @Test func forceNeedsAReasonAndASecondConfirmationAndAuditsTheReason() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(5), status: "pending", amount: "250.00"))
        #expect(try await f.db.run("/complete 5 force").text.contains("force needs a reason"))
        let first = try await f.db.run("/complete 5 force paid per the dashboard, ticket 42")
        guard case .choose(let prompt, let choices) = first else { Issue.record("no first step: \(first.text)"); return }
        #expect(HTML.toPlainText(prompt).contains("Override") && HTML.toPlainText(prompt).contains("paid per the dashboard, ticket 42"))
        #expect(choices.count == 1)
        let second = await choices[0].next()
        let plan = try #require(second.plan, "the second confirmation")
        #expect(plan.auditAction.contains("FORCED") && plan.auditAction.contains("reason: paid per the dashboard, ticket 42"))
        #expect(plan.auditAction.contains("the customer has not paid yet"))
        #expect(try await f.db.sql("SELECT status FROM payments WHERE id = 5") == "pending", "nothing before the second Confirm")
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.contains("Payment 5 completed") && done.contains("override") && done.contains("pending at provider"), "\(done)")
        #expect(try await f.db.sql("SELECT balance::text FROM users WHERE id = 4") == "270.00")
    }

    /// Stretch: a product selling for Stars, checked through its own bot token with the same
    /// preview rules.
    @Test func starsPaymentFollowsTheSameRules() async throws {
        let stars = try FakeStars()
        defer { stars.stop() }
        let sql = DBFixture.demoSQL + "INSERT INTO payments (user_id, amount, currency, payment_type, provider, provider_payment_id, status, created_at) VALUES (4, 250, 'XTR', 'balance_topup', 'stars', 'stxCHARGE1', 'pending', now() - interval '40 minutes'), (4, 100, 'XTR', 'balance_topup', 'stars', 'stxCHARGE2', 'pending', now() - interval '40 minutes');"
        let section = DBFixture.demoConfig(providers: "      stars: {type: stars, token_env: BOT_TOKEN, api_url: \"\(stars.url)\", timeout: 2s}\n")
        let f = try await DBFixture.make(sql: sql, database: section, providerEnvironment: ["BOT_TOKEN": stars.state.current.token])
        stars.add(id: "stxCHARGE1", amount: 250)
        stars.add(id: "stxCHARGE2", amount: 90)
        let plan = try #require(try await f.run("/complete stxCHARGE1").plan)
        #expect(plan.preview.contains("Telegram Stars says the money arrived"))
        let o = try await f.run("/complete stxCHARGE2")
        #expect(o.plan == nil && o.text.contains("the amount differs: 90 XTR at Telegram Stars, 100.00 XTR here"), "\(o.text)")
        #expect(stars.violations.isEmpty, "\(stars.violations)")
    }

    @Test func paymentsProviderShowsTheProvidersViewWithoutSecrets() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(4), status: "canceled", amount: "299.00", cancellation: ("yoo_money", "expired_on_confirmation")))
        let text = try await f.db.run("/payments provider 4").text
        #expect(text.contains("YooKassa (yookassa) payment \(ProviderFixture.id(4)) — canceled"), "\(text)")
        #expect(text.contains("amount 299.00 RUB") && text.contains("cancellation: expired_on_confirmation by yoo_money") && text.contains("test: yes"))
        #expect(!text.contains(f.yk.state.current.secretKey) && !text.contains("Basic "))
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "paid", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        let cp = try await f.db.run("/payments provider CB-771209").text
        #expect(cp.contains("Crypto Pay (cryptobot) payment 1000006 — paid") && cp.contains("paid 5.00 USDT"), "\(cp)")
        #expect(try await f.db.run("/payments provider 9").text.contains("No payment"))
        #expect(f.violations.isEmpty, "\(f.violations)")
    }

    @Test func checkFiresWebhookLostAndNamesTheCredentialVariable() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00", minutesAgo: 30)
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(4), status: "pending", amount: "299.00"))
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "paid", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209",
                                       paidAt: Date().addingTimeInterval(-5 * 60)))  // within the 10 min grace
        let check = try #require(f.db.app.checks.named("payment_providers"))
        var results = await check.run(f.db.app)
        let lost = results.filter { $0.check == "payment_webhook_lost" && $0.status == .critical }
        #expect(lost.map(\.target) == ["5"], "\(results)")
        #expect(lost.first?.summary.contains("user 4, 250.00 RUB") == true && lost.first?.summary.contains(ProviderFixture.id(5)) == true)
        #expect(lost.first?.remediation == "/complete 5")
        #expect(results.filter { $0.status == .ok }.map(\.check).sorted() == ["provider_credentials", "provider_credentials", "provider_unreachable", "provider_unreachable"])
        // Wrong Crypto Pay token: provider_credentials names the variable.
        f.cp.state.withLock { $0.token = "99999:AArotatedrotatedrotatedrotatedrotat" }
        results = await check.run(f.db.app)
        let cred = results.first { $0.check == "provider_credentials" && $0.target == "cryptobot" }
        #expect(cred?.status == .critical && cred?.summary.contains("CRYPTOBOT_TOKEN") == true, "\(String(describing: cred))")
        // YooKassa down: unreachable, its credentials unknown, its payments unknown (not resolved).
        f.yk.stop()
        results = await check.run(f.db.app)
        #expect(results.first { $0.check == "provider_unreachable" && $0.target == "yookassa" }?.status == .critical)
        #expect(results.first { $0.check == "provider_credentials" && $0.target == "yookassa" }?.status == .unknown)
        #expect(results.contains { $0.check == "payment_webhook_lost" && $0.status == .unknown }, "\(results)")
        #expect(!results.contains { $0.check == "payment_webhook_lost" && $0.status == .ok })
        #expect(f.cp.violations.isEmpty, "\(f.cp.violations)")
    }
}
