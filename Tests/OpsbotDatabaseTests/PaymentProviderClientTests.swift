import Foundation
import Testing
import TestHarness
import OpsbotSupport
import HTTPClient
import TestKit
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotDatabase
@testable import PaymentProviders

/// Issue 20 items 1, 5 and 6: the provider clients against the strict loopback fakes, the
/// config keys, and secrets kept out of every message. No database needed.
@Suite struct PaymentProviderClientTests {
    static let ykID = "2d8f1c3a-000f-5000-9000-1a2b3c4d5e05"

    func yookassa(_ fake: FakeYooKassa, env: [String: String]? = nil, timeout: Double = 2, clock: any OpsClock = SystemClock()) -> YooKassaAPI {
        let s = fake.state.current
        return YooKassaAPI(baseURL: fake.url, shopID: .init(env: "YOOKASSA_SHOP_ID"), secretKey: .init(env: "YOOKASSA_SECRET_KEY"),
                           environment: env ?? ["YOOKASSA_SHOP_ID": s.shopID, "YOOKASSA_SECRET_KEY": s.secretKey], timeout: timeout, clock: clock)
    }

    func cryptopay(_ fake: FakeCryptoPay, idField: CryptoPayAPI.IDField = .invoiceID, token: String? = nil) -> CryptoPayAPI {
        CryptoPayAPI(baseURL: fake.url, token: .init(env: "CRYPTOBOT_TOKEN"), environment: ["CRYPTOBOT_TOKEN": token ?? fake.state.current.token],
                     idField: idField, timeout: 2, clock: SystemClock())
    }

    @Test func yookassaReadsPaymentsAndSaysNotFoundAndRefusesBadShapes() async throws {
        let fake = try FakeYooKassa()
        defer { fake.stop() }
        let paidAt = Date().addingTimeInterval(-1800)
        fake.set(FakeYooKassa.payment(id: Self.ykID, status: "succeeded", amount: "250.00", capturedAt: paidAt))
        fake.set(FakeYooKassa.payment(id: "2d8f1c3a-000f-5000-9000-1a2b3c4d5e04", status: "canceled", amount: "299.00",
                                      cancellation: ("yoo_money", "expired_on_confirmation")))
        let api = yookassa(fake)
        let me = try await api.me()
        #expect(me.account == "506751" && me.test)
        guard case .found(let p) = await api.payment(Self.ykID) else { Issue.record("not found"); return }
        #expect(p.state == .paid && p.amount == "250.00" && p.currency == "RUB" && p.test == true)
        #expect(abs((p.paidAt ?? .distantPast).timeIntervalSince(paidAt)) < 1)
        guard case .found(let c) = await api.payment("2d8f1c3a-000f-5000-9000-1a2b3c4d5e04") else { Issue.record("not found"); return }
        #expect(c.state == .canceled && c.cancellation == "expired_on_confirmation by yoo_money")
        #expect(await api.payment("2d8f1c3a-000f-5000-9000-000000000000") == .notFound)
        // A Crypto Pay id is never sent to YooKassa.
        let before = fake.requestCount
        guard case .unknown(let why) = await api.payment("CB-771209") else { Issue.record("accepted a foreign id"); return }
        #expect(why.contains("not a YooKassa payment id") && fake.requestCount == before)
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func yookassaWrongCredentialsNameTheVariablesAndNeverTheSecret() async throws {
        let fake = try FakeYooKassa()
        defer { fake.stop() }
        let wrong = "test_WRONGwrongWRONGwrongWRONGwrong-key"
        let api = yookassa(fake, env: ["YOOKASSA_SHOP_ID": "506751", "YOOKASSA_SECRET_KEY": wrong])
        do { _ = try await api.me(); Issue.record("accepted wrong credentials") } catch let e as ProviderError {
            #expect(e.kind == .credentials)
            #expect(e.message.contains("YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY") && e.message.contains("401"))
            #expect(!e.message.contains(wrong))
        }
        #expect(Redactor.shared.redact("key=\(wrong)") == "key=[REDACTED]", "the secret was registered when read")
        // Not set at all: names the variable, calls nothing.
        let unset = yookassa(fake, env: ["YOOKASSA_SHOP_ID": "506751"])
        let before = fake.requestCount
        do { _ = try await unset.me(); Issue.record("no error") } catch let e as ProviderError {
            #expect(e.kind == .credentials && e.message == "YOOKASSA_SECRET_KEY is not set")
        }
        #expect(fake.requestCount == before)
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func yookassa429IsWaitedOutAnd5xxRetriedThenNamed() async throws {
        let fake = try FakeYooKassa()
        defer { fake.stop() }
        fake.set(FakeYooKassa.payment(id: Self.ykID, status: "pending", amount: "250.00"))
        let clock = ManualClock()
        let api = yookassa(fake, clock: clock)
        fake.state.withLock { $0.faults = [(429, ["Retry-After": "2"], #"{"type":"error","id":"e1","code":"too_many_requests","description":"Too many requests"}"#)] }
        let task = Task { await api.payment(Self.ykID) }
        await clock.advanceWhenAsleep(by: .seconds(2))
        guard case .found(let p) = await task.value else { Issue.record("429 not waited out"); return }
        #expect(p.state == .pending)
        // 429 beyond the budget: said in plain words.
        fake.state.withLock { $0.faults = Array(repeating: (429, ["Retry-After": "30"], "{}"), count: 3) }
        guard case .unknown(let why) = await api.payment(Self.ykID) else { Issue.record("no unknown"); return }
        #expect(why.contains("rate limit (429 too many requests)"))
        // A dead port: unreachable, in words.
        let dead = YooKassaAPI(baseURL: "http://127.0.0.1:1/v3", shopID: .init(env: "A"), secretKey: .init(env: "B"),
                               environment: ["A": "1", "B": "test_secretsecretsecret"], timeout: 1, clock: SystemClock())
        guard case .unknown(let down) = await dead.payment(Self.ykID) else { Issue.record("no unknown"); return }
        #expect(down.contains("YooKassa API unreachable: connection refused"))
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func yookassaTimeoutIsPerRequest() async throws {
        let fake = try FakeYooKassa()
        defer { fake.stop() }
        fake.set(FakeYooKassa.payment(id: Self.ykID, status: "succeeded", amount: "250.00"))
        fake.state.withLock { $0.delay = 1.5 }
        guard case .unknown(let why) = await yookassa(fake, timeout: 0.3).payment(Self.ykID) else { Issue.record("no timeout"); return }
        #expect(why.contains("no answer within"), "\(why)")
    }

    @Test func cryptoPayBatchesInvoiceIdsAndMatchesPayloads() async throws {
        let fake = try FakeCryptoPay()
        defer { fake.stop() }
        fake.set(FakeCryptoPay.invoice(id: 1000001, status: "paid", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        fake.set(FakeCryptoPay.invoice(id: 1000002, status: "active", amount: "10", currency: "USDT", payload: "CB-771210"))
        fake.set(FakeCryptoPay.invoice(id: 1000003, status: "expired", amount: "1.5", currency: "TON", payload: "CB-771211"))
        let me = try await cryptopay(fake).me()
        #expect(me.bot == "CryptoBot")
        let byID = await cryptopay(fake).lookup(["1000001", "1000002", "1000003", "999", "CB-1"])
        guard case .found(let paid)? = byID["1000001"] else { Issue.record("\(byID)"); return }
        #expect(paid.state == .paid && paid.currency == "USD" && paid.amount == "5.00" && paid.paidAmount == "5.00 USDT" && paid.paidAt != nil)
        if case .found(let a)? = byID["1000002"] { #expect(a.state == .pending) } else { Issue.record("active") }
        if case .found(let e)? = byID["1000003"] { #expect(e.state == .expired) } else { Issue.record("expired") }
        #expect(byID["999"] == .notFound)
        if case .unknown(let why)? = byID["CB-1"] { #expect(why.contains("set id_field: payload")) } else { Issue.record("foreign id") }
        #expect(fake.state.current.requests.filter { $0.contains("getInvoices") }.count == 1, "one batched call: \(fake.state.current.requests)")
        let byPayload = await cryptopay(fake, idField: .payload).lookup(["CB-771209", "CB-nope"])
        if case .found(let p)? = byPayload["CB-771209"] { #expect(p.id == "1000001") } else { Issue.record("\(byPayload)") }
        #expect(byPayload["CB-nope"] == .notFound)
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func cryptoPayWrongTokenNamesTheVariable() async throws {
        let fake = try FakeCryptoPay()
        defer { fake.stop() }
        let wrong = "54321:AAwrongwrongwrongwrongwrongwrongwro"
        do { _ = try await cryptopay(fake, token: wrong).me(); Issue.record("accepted") } catch let e as ProviderError {
            #expect(e.kind == .credentials && e.message.contains("CRYPTOBOT_TOKEN") && !e.message.contains(wrong))
        }
        let v = await cryptopay(fake, token: wrong).lookup(["1"])
        if case .unknown(let why)? = v["1"] { #expect(why.contains("CRYPTOBOT_TOKEN")) } else { Issue.record("\(v)") }
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    /// Stretch: Telegram Stars through the selling bot's token.
    @Test func starsFindsPaymentsAndRefundsByChargeID() async throws {
        let fake = try FakeStars()
        defer { fake.stop() }
        for i in 0..<150 { fake.add(id: "old-\(i)", amount: 1) }   // two pages
        fake.add(id: "stxPAID", amount: 250)
        fake.add(id: "stxREF", amount: 100)
        fake.add(id: "stxREF", amount: 100, refund: true)
        let token = fake.state.current.token
        let api = StarsAPI(baseURL: fake.url, token: .init(env: "BOT_TOKEN"), environment: ["BOT_TOKEN": token], timeout: 2, clock: SystemClock())
        #expect(try await api.me() == "habit_bot")
        let v = await api.lookup(["stxPAID", "stxREF", "stxNONE"])
        if case .found(let p)? = v["stxPAID"] { #expect(p.state == .paid && p.amount == "250" && p.currency == "XTR" && p.paidAt != nil) } else { Issue.record("\(v)") }
        if case .found(let p)? = v["stxREF"] { #expect(p.state == .canceled && p.cancellation == "refunded 100 XTR") } else { Issue.record("\(v)") }
        #expect(v["stxNONE"] == .notFound)
        // Wrong token: names the variable; the token never appears.
        let wrong = StarsAPI(baseURL: fake.url, token: .init(env: "BOT_TOKEN"), environment: ["BOT_TOKEN": "1111111:AAwrongwrongwrongwrongwrongwrongwrong"], timeout: 2, clock: SystemClock())
        let w = await wrong.lookup(["stxPAID"])
        if case .unknown(let why)? = w["stxPAID"] { #expect(why.contains("BOT_TOKEN") && !why.contains("AAwrong")) } else { Issue.record("\(w)") }
        // A dead port: the error names /bot…/, never the token.
        let dead = StarsAPI(baseURL: "http://127.0.0.1:1", token: .init(env: "BOT_TOKEN"), environment: ["BOT_TOKEN": token], timeout: 1, clock: SystemClock())
        if case .unknown(let why)? = await dead.lookup(["x"])["x"] { #expect(why.contains("/bot…/getStarTransactions") && !why.contains(token)) } else { Issue.record("dead") }
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    /// The fakes themselves: strict about what the documents allow.
    @Test func fakesRecordEveryDeviationFromTheDocuments() async throws {
        let yk = try FakeYooKassa(), cp = try FakeCryptoPay()
        defer { yk.stop(); cp.stop() }
        _ = try await HTTPClientGet(yk.url + "/me", [:])
        _ = try await HTTPClientGet(yk.url + "/payments?status=pending", ["Authorization": "Basic eA=="])
        _ = try await HTTPClientGet(cp.url + "/api/getInvoices?invoice_ids=1&sort=desc", ["Crypto-Pay-API-Token": cp.state.current.token])
        _ = try await HTTPClientGet(cp.url + "/api/getinvoices", ["Crypto-Pay-API-Token": cp.state.current.token])
        #expect(yk.violations.count == 1 && yk.violations[0].contains("without an Authorization header"), "\(yk.violations)")
        #expect(cp.violations.count == 2 && cp.violations[0].contains("undocumented parameter sort") && cp.violations[1].contains("no such Crypto Pay method"))
    }

    /// The fakes' objects against ../shared/providers' JSON Schemas (draft-07, python3-jsonschema).
    @Test func fakeObjectsMatchTheProvidersSchemas() throws {
        let dir = TestApp.repositoryRoot + "/../shared/providers"
        guard FileManager.default.fileExists(atPath: dir + "/yookassa.schema.json") else { Issue.record("no \(dir)"); return }
        let objects: [(String, String, Any)] = [
            ("yookassa", "payment", FakeYooKassa.payment(id: Self.ykID, status: "succeeded", amount: "250.00")),
            ("yookassa", "payment", FakeYooKassa.payment(id: Self.ykID, status: "canceled", amount: "1.00", cancellation: ("merchant", "canceled_by_merchant"))),
            ("yookassa", "payment", FakeYooKassa.payment(id: Self.ykID, status: "waiting_for_capture", amount: "1.00")),
            ("cryptopay", "invoice", FakeCryptoPay.invoice(id: 7, status: "paid", amount: "5.00", currency: "USD", fiat: true, payload: "x")),
            ("cryptopay", "invoice", FakeCryptoPay.invoice(id: 8, status: "active", amount: "1", currency: "TON")),
        ]
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("schemas-\(UUID().uuidString).json").path
        let list = objects.map { ["schema": "\(dir)/\($0.0).schema.json", "def": $0.1, "object": $0.2] }
        try JSONSerialization.data(withJSONObject: list).write(to: URL(fileURLWithPath: tmp))
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let script = """
            import json, sys, jsonschema
            for item in json.load(open(sys.argv[1])):
                schema = json.load(open(item["schema"]))
                sub = dict(schema, **{"$ref": "#/definitions/" + item["def"]})
                jsonschema.validate(item["object"], sub)
            print("ok")
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script, tmp]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0 && text.contains("ok"), "\(text)")
    }

    @Test func configKeysAreStrictAndNeverHoldSecrets() throws {
        func problems(_ providers: String) throws -> [String] {
            let yaml = DefaultConfig.yaml + "\ndatabase:\n  payments:\n    providers:\n" + providers
            let config = try OpsbotConfig.read(yaml, source: "p.yaml", baseDirectory: TestApp.repositoryRoot)
            return config.problems.map(\.description) + DatabaseFeature.validate(config).map(\.description)
        }
        #expect(try problems("      yookassa: {type: yookassa, shop_id_env: YOOKASSA_SHOP_ID, secret_key_env: YOOKASSA_SECRET_KEY}\n      cryptobot: {type: cryptopay, token_env: CRYPTOBOT_TOKEN, network: testnet, id_field: payload}\n").isEmpty)
        let typo = try problems("      yookassa:\n        type: yookassa\n        secret_key_evn: YOOKASSA_SECRET_KEY\n")
        #expect(typo.contains { $0.contains("p.yaml:") && $0.contains("database.payments.providers.yookassa.secret_key_evn: unknown key") }, "\(typo)")
        let foreign = try problems("      yookassa: {type: yookassa, token_env: CRYPTOBOT_TOKEN}\n")
        #expect(foreign.contains { $0.contains("token_env: unknown key") }, "a Crypto Pay key on a YooKassa entry: \(foreign)")
        let value = try problems("      cryptobot: {type: cryptopay, token_env: \"\(FakeCryptoPay.State.sampleToken)\"}\n")
        #expect(value.contains { $0.contains("token_env") && $0.contains("never the secret itself") }, "\(value)")
        #expect(!value.joined().contains(FakeCryptoPay.State.sampleToken.dropFirst(6)), "the pasted secret is not echoed: \(value)")
        #expect(try problems("      x: {type: stripe}\n").contains { $0.contains("expected yookassa, cryptopay or stars") })
        #expect(try problems("      c: {type: cryptopay, network: mainnet, id_field: uuid}\n").contains { $0.contains("id_field") })
        #expect(try problems("      c: {type: cryptopay, api_url: \"https://u:p@pay.crypt.bot\"}\n").contains { $0.contains("api_url") })
        let c = try OpsbotConfig.read(DefaultConfig.yaml + "\ndatabase:\n  payments:\n    webhook_grace: 15m\n    providers:\n      cryptobot: {type: cryptopay, network: testnet}\n",
                                      source: "p.yaml", baseDirectory: "/")
        let db = try #require(try c.section("database", as: DatabaseConfig.self))
        #expect(db.payments.webhookGrace == 900 && db.payments.providers["cryptobot"]?.apiURL == CryptoPayAPI.testnetURL)
        #expect(db.payments.providers["cryptobot"]?.token.env == "CRYPTOBOT_TOKEN")
    }

    @Test func amountsCompareAsDecimals() {
        #expect(ProviderPayment.sameAmount("250", "250.00"))
        #expect(ProviderPayment.sameAmount("0.10", ".1") == false)
        #expect(!ProviderPayment.sameAmount("250.00", "250.01"))
        #expect(!ProviderPayment.sameAmount("1e2", "100"))
        #expect(ProviderPayment.sameAmount("007.500", "7.5") && ProviderPayment.sameAmount("-0.00", "0"))
        #expect(!ProviderPayment.sameAmount("5.", "5") && !ProviderPayment.sameAmount("", "0"))
    }

    /// Shapes and times without ICU, against Foundation's own answers.
    @Test func shapesAndTimesParsedByteByByte() {
        #expect(ProviderText.isLowerHexUUID("2d5f1c2a-000f-5000-8000-1a2b3c4d5e05"))
        #expect(!ProviderText.isLowerHexUUID("2D5F1C2A-000F-5000-8000-1A2B3C4D5E05") && !ProviderText.isLowerHexUUID("2d5f1c2a-000f-5000-8000-1a2b3c4d5e0"))
        #expect(!ProviderText.isLowerHexUUID("2d5f1c2a0000f-5000-8000-1a2b3c4d5e05"))
        #expect(ProviderText.isInvoiceID("1000001") && !ProviderText.isInvoiceID("01") && !ProviderText.isInvoiceID("CB-1") && !ProviderText.isInvoiceID(""))
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for s in ["2024-05-01T10:00:00.123Z", "2026-12-31T23:59:59.999Z", "2024-02-29T00:00:00.000Z"] {
            #expect(abs((ProviderText.date(s)?.timeIntervalSince1970 ?? 0) - (f.date(from: s)?.timeIntervalSince1970 ?? 1)) < 0.001, "\(s)")
        }
        #expect(ProviderText.date("2024-05-01T13:00:00+03:00") == ProviderText.date("2024-05-01T10:00:00Z"))
        #expect(ProviderText.date("2024-05-01T10:00:00") == nil && ProviderText.date("2024-13-01T10:00:00Z") == nil && ProviderText.date("yesterday") == nil)
        let d = ProviderText.date("2024-05-01T10:07:00Z")!
        #expect(ProviderText.clock(d, now: d.addingTimeInterval(3600)) == "10:07 UTC")
        #expect(ProviderText.clock(d, now: d.addingTimeInterval(86400)) == "2024-05-01 10:07 UTC")
    }
}

/// A raw GET for the fakes' own tests.
func HTTPClientGet(_ url: String, _ headers: [String: String]) async throws -> Int {
    try await HTTPClient.send(HTTPRequest(url: url, headers: headers, timeout: 5)).status
}
