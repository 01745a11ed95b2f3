import Foundation
import Testing
import TestHarness
import TestKit
import Postgres
import OpsbotSupport
@testable import OpsbotCore
@testable import OpsbotDatabase
@testable import PaymentProviders

/// Issue 22: the database feature's chat texts in Russian, every message in both languages.
@Suite struct DatabaseCatalogTests {
    // Words that stay as they are in the samples: statuses and values from the database,
    // provider statuses, what the admin types back.
    static let allow: Set<String> = [
        "pending", "succeeded", "canceled", "force", "expired", "weird",
        // typed back: /payments provider, /payments duplicates, alembic merge heads, id_field: payload
        "provider", "duplicates", "merge", "heads", "payload",
        // API method names and formats, exact
        "getMe", "getStarTransactions", "getInvoices", "uuid", "unauthorized", "sqlstate", "revision", "py",
    ]

    @Test func databaseText() {
        let problems = RussianText.catalogProblems(DatabaseText.self, source: "Sources/OpsbotDatabase/Messages/DatabaseText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(DatabaseText.self, source: "Sources/OpsbotDatabase/Messages/DatabaseText.swift") == DatabaseText.samples.count)
    }

    @Test func schemaText() {
        let problems = RussianText.catalogProblems(SchemaText.self, source: "Sources/OpsbotDatabase/Messages/SchemaText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(SchemaText.self, source: "Sources/OpsbotDatabase/Messages/SchemaText.swift") == SchemaText.samples.count)
    }

    @Test func paymentsText() {
        let problems = RussianText.catalogProblems(PaymentsText.self, source: "Sources/OpsbotDatabase/Messages/PaymentsText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(PaymentsText.self, source: "Sources/OpsbotDatabase/Messages/PaymentsText.swift") == PaymentsText.samples.count)
    }

    @Test func paymentStoreText() {
        let problems = RussianText.catalogProblems(PaymentStoreText.self, source: "Sources/OpsbotDatabase/Messages/PaymentStoreText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(PaymentStoreText.self, source: "Sources/OpsbotDatabase/Messages/PaymentStoreText.swift") == PaymentStoreText.samples.count)
    }

    @Test func providerViewText() {
        let problems = RussianText.catalogProblems(ProviderViewText.self, source: "Sources/OpsbotDatabase/Messages/ProviderViewText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(ProviderViewText.self, source: "Sources/OpsbotDatabase/Messages/ProviderViewText.swift") == ProviderViewText.samples.count)
    }

    @Test func completeText() {
        let problems = RussianText.catalogProblems(CompleteText.self, source: "Sources/OpsbotDatabase/Messages/CompleteText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(CompleteText.self, source: "Sources/OpsbotDatabase/Messages/CompleteText.swift") == CompleteText.samples.count)
    }

    @Test func providerMessage() {
        let problems = RussianText.catalogProblems(ProviderMessage.self, source: "Sources/PaymentProviders/Messages/ProviderMessage.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(ProviderMessage.self, source: "Sources/PaymentProviders/Messages/ProviderMessage.swift") == ProviderMessage.samples.count)
    }

    @Test func postgresText() {
        let problems = RussianText.catalogProblems(PostgresText.self, source: "Sources/Postgres/Messages/PostgresText.swift", allow: Self.allow)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(PostgresText.self, source: "Sources/Postgres/Messages/PostgresText.swift") == PostgresText.samples.count)
    }

    @Test func largeSQLResultGoesAsAFileInRussian() {
        let rows = PostgresRows(columns: ["n"], types: [23], values: (1...100).map { [String($0)] }, commandStatus: "SELECT 100")
        let r = Language.$current.withValue(.ru) { SQLModule.render(rows, name: "big", maxRows: 500) }
        #expect(r.html == "/big: 100 строк (файлом)")
        #expect(r.attachment?.filename == "big.txt")
        #expect(String(decoding: r.attachment!.data, as: UTF8.self).split(separator: "\n").count == 102)
        let few = PostgresRows(columns: ["n"], types: [23], values: [["1"], ["2"]], commandStatus: "SELECT 2")
        #expect(HTML.toPlainText(Language.$current.withValue(.ru) { SQLModule.render(few, name: "two", maxRows: 1) }.html)
            .contains("… ещё 1 строка не показана"))
    }

    @Test func amountsAndErrorsInBothLanguages() {
        #expect(DatabaseFormat.money("549.00", "RUB", .en) == "549.00 RUB")
        #expect(DatabaseFormat.money("549.00", "RUB", .ru) == "549,00 ₽")
        #expect(DatabaseFormat.money("500", "RUB", .en) == "500 RUB", "English stays as the database wrote it")
        #expect(DatabaseFormat.money("0.00012", "BTC", .ru) == "0,00012 BTC", "a crypto amount keeps its digits")
        // libpq's text stays as it came; opsbot's words are translated.
        let e = PostgresError(.connect, "connection to server at \"h\", port 1 failed: Connection refused")
        #expect(e.description == "cannot connect to the database: connection to server at \"h\", port 1 failed: Connection refused")
        #expect(e.russian == "не удаётся подключиться к базе: connection to server at \"h\", port 1 failed: Connection refused")
        let t = PostgresError(.timeout, PostgresText.queryCancelled(seconds: 30))
        #expect(t.description == "query ran longer than 30 s and was cancelled")
        #expect(t.russian == "запрос выполнялся дольше 30 с и был отменён")
        #expect(Language.$current.withValue(.ru) { ChatError.text(t) } == t.russian)
        let p = ProviderError(.credentials, .credentialNotSet(label: "YOOKASSA_SECRET_KEY", labelRU: "YOOKASSA_SECRET_KEY"))
        #expect(p.message == "YOOKASSA_SECRET_KEY is not set" && p.russian == "YOOKASSA_SECRET_KEY не задан")
    }
}

/// Russian runs of the database commands against the real PostgreSQL (the demo database) and
/// the provider fakes: every reply has no English outside code, commands and values, and valid HTML.
@Suite(.enabled(if: TestPostgres.enabled))
struct DatabaseRussianTests {
    /// Values and typed-back words that stay as they are in a Russian reply.
    static let allow: Set<String> = ["pending", "succeeded", "canceled", "force", "cryptobot", "overdue", "habitbot",
                                     "provider", "duplicates", "sqlstate"]

    static func ru<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        try await Language.$current.withValue(.ru) { try await body() }
    }

    static func html(_ o: CommandOutcome) -> String {
        switch o {
        case .reply(let r): r.html
        case .confirm(let p): p.preview
        case .choose(let prompt, _): prompt
        }
    }

    /// No English words (outside code, commands, values), valid HTML, within Telegram's limit.
    static func check(_ html: String, allow extra: Set<String> = [], removing exact: [String] = [],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        var s = html
        for e in exact where !e.isEmpty { s = s.replacingOccurrences(of: HTML.escape(e), with: " ").replacingOccurrences(of: e, with: " ") }
        let words = RussianText.englishWords(in: s, allow: allow.union(extra))
        #expect(words.isEmpty, "English in Russian: \(words) — \(html)", sourceLocation: sourceLocation)
        let problems = RussianText.htmlProblems(html)
        #expect(problems.isEmpty, "\(problems) — \(html)", sourceLocation: sourceLocation)
        #expect(html.count <= 4096, sourceLocation: sourceLocation)
    }

    @Test func schemaDriftInRussian() async throws {
        let f = try await DBFixture.make()
        let out = try await Self.ru { try await f.run("/schema") }
        let text = HTML.toPlainText(Self.html(out))
        #expect(text.contains("схема разошлась с кодом") && text.contains("нет колонки users.notifications_enabled"), "\(text)")
        #expect(text.contains("база на ревизии 006_add_tier, код ждёт 007_notifications (отстаёт на 1 миграцию)"), "\(text)")
        Self.check(Self.html(out))
        // The check keeps both languages: the alert chat reads Russian, the CLI English.
        let r = try #require(await SchemaCheck(database: f.app.databaseFeature).run(f.app).first)
        #expect(r.summary == "schema drift: 2 problems" && r.summary(.ru) == "схема разошлась с кодом: 2 проблемы", "\(r.summary) / \(r.summary(.ru))")
        _ = try await f.sql("ALTER TABLE users ADD notifications_enabled boolean NOT NULL DEFAULT true; UPDATE alembic_version SET version_num = '007_notifications'")
        let ok = try await Self.ru { try await f.run("/schema") }
        #expect(HTML.toPlainText(Self.html(ok)) == "✅ схема в порядке (проверено 27 колонок, ревизия 007_notifications)")
        Self.check(Self.html(ok))
    }

    @Test func pendingPaymentsWithProvidersInRussian() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00")
        f.yk.set(FakeYooKassa.payment(id: ProviderFixture.id(4), status: "canceled", amount: "299.00", cancellation: ("yoo_money", "expired_on_confirmation")))
        f.cp.set(FakeCryptoPay.invoice(id: 1000006, status: "active", amount: "5.00", currency: "USD", fiat: true, payload: "CB-771209"))
        let out = try await Self.ru { try await f.db.run("/payments pending 1m") }
        let html = Self.html(out), text = HTML.toPlainText(html)
        // 4 rows: 250 + 299 + 100 RUB and 5 USD.
        #expect(text.hasPrefix("⚠️ 4 платежа в ожидании дольше 1 мин — на сумму 649,00 ₽, 5,00 $"), "\(text)")
        let line = { (id: String) in text.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? "" }
        #expect(line("5").contains("250,00 ₽") && line("5").contains("оплачен в YooKassa") && line("5").contains("✅"), "\(text)")
        #expect(line("4").contains("отменён у провайдера (expired_on_confirmation)"), "\(text)")
        #expect(line("6").contains("ждёт оплаты у провайдера"), "\(text)")
        #expect(line("7").contains("нет у провайдера"), "\(text)")
        #expect(text.contains("у провайдера") && text.contains("сначала спросим провайдера"), "\(text)")
        Self.check(html)
        // Plurals in the header: 1 платёж, 2 платежа, 5 платежей.
        let one = try await Self.ru { try await f.db.run("/payments pending 1h") }
        #expect(HTML.toPlainText(Self.html(one)).hasPrefix("⚠️ 1 платёж в ожидании дольше 1 ч"), "\(Self.html(one))")
        let none = try await Self.ru { try await f.db.run("/payments pending 1d") }
        #expect(HTML.toPlainText(Self.html(none)) == "✅ нет платежей в ожидании старше 1 д")
        // The check keeps both languages.
        let check = await PaymentsCheck(database: f.db.app.databaseFeature).run(f.db.app)
        let pending = try #require(check.first { $0.target == "pending" })
        #expect(pending.summary == "3 pending payments older than 15 min (total 549.00 RUB, 5.00 USD)", "\(pending.summary)")
        #expect(pending.summary(.ru) == "3 платежа в ожидании дольше 15 мин (на сумму 549,00 ₽, 5,00 $)", "\(pending.summary(.ru))")
        #expect(RussianText.englishWords(in: check.map { $0.summary(.ru) }.joined(separator: "\n")).isEmpty)
        // Paid at YooKassa 30 minutes ago, pending here: the alert's summary in both languages.
        let providers = await PaymentProvidersCheck(database: f.db.app.databaseFeature).run(f.db.app)
        let lost = try #require(providers.first { $0.check == "payment_webhook_lost" && $0.target == "5" }, "\(providers.map(\.summary))")
        #expect(lost.summary.hasPrefix("payment 5 of user 4, 250.00 RUB: pending here, paid at YooKassa") && lost.summary.hasSuffix("the webhook never arrived"))
        #expect(lost.summary(.ru).hasPrefix("платёж 5 пользователя 4, 250,00 ₽: у нас в ожидании, а в YooKassa оплачен"), "\(lost.summary(.ru))")
        #expect(lost.summary(.ru).hasSuffix("вебхук так и не пришёл"))
        for r in providers {
            #expect(RussianText.englishWords(in: HTML.escape(r.summary(.ru)), allow: Self.allow).isEmpty, "\(r.summary(.ru))")
        }
    }

    @Test func providerDownLookupAndDuplicatesInRussian() async throws {
        let f = try await ProviderFixture.make(yookassaURL: "http://127.0.0.1:1/v3")
        defer { f.stop() }
        let list = try await Self.ru { try await f.db.run("/payments pending 1m") }
        let text = HTML.toPlainText(Self.html(list))
        #expect(text.contains("❔ неизвестно (недоступен)") && text.contains("API YooKassa недоступен: в соединении отказано"), "\(text)")
        #expect(text.contains("статус неизвестен, это не «не оплачен»"), "\(text)")
        Self.check(Self.html(list))
        let provider = try await Self.ru { try await f.db.run("/payments provider 5") }
        #expect(HTML.toPlainText(Self.html(provider)).contains("статус неизвестен"), "\(Self.html(provider))")
        Self.check(Self.html(provider))
        for line in ["/payments 5", "/payments 424242", "/payments duplicates", "/payments provider 424242"] {
            let out = try await Self.ru { try await f.db.run(line) }
            Self.check(Self.html(out))
        }
        let dups = HTML.toPlainText(Self.html(try await Self.ru { try await f.db.run("/payments duplicates") }))
        #expect(dups.contains("🔴 1 двойное зачисление") && dups.contains("500,00 ₽") && dups.contains("исправить: /reverse_duplicate 3"), "\(dups)")
        #expect(HTML.toPlainText(Self.html(try await Self.ru { try await f.db.run("/payments 424242") })).contains("нет платежа с id или id у провайдера «424242»"))
        let bad = await Self.ru { await f.db.module("payments", ["what": .string("pending"), "older_than": .string("15x")]) }
        #expect(HTML.toPlainText(Self.html(bad)).contains("возраст задаётся длительностью"))
        Self.check(Self.html(bad))
        // The provider check's summaries, read in Russian by the alert chat.
        let checks = await PaymentProvidersCheck(database: f.db.app.databaseFeature).run(f.db.app)
        let ru = checks.map { $0.summary(.ru) }
        #expect(ru.contains { $0.hasPrefix("не удаётся спросить YooKassa (yookassa): API YooKassa недоступен") }, "\(ru)")
        for s in ru { #expect(RussianText.englishWords(in: HTML.escape(s), allow: Self.allow).isEmpty, "\(s)") }
    }

    @Test func refusedCredentialsInRussian() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.yk.state.withLock { $0.secretKey = "test_rotatedrotatedrotatedrotated" }
        let list = try await Self.ru { try await f.db.run("/payments pending 1m") }
        let text = HTML.toPlainText(Self.html(list))
        #expect(text.contains("❔ неизвестно (ключи)") && text.contains("YooKassa не принимает ключи (401 invalid_credentials): проверьте YOOKASSA_SHOP_ID и YOOKASSA_SECRET_KEY"), "\(text)")
        Self.check(Self.html(list), allow: ["invalid_credentials"])
        let checks = await PaymentProvidersCheck(database: f.db.app.databaseFeature).run(f.db.app)
        let creds = try #require(checks.first { $0.check == "provider_credentials" && $0.target == "yookassa" })
        #expect(creds.status == .critical)
        #expect(creds.summary.hasPrefix("YooKassa (yookassa): YooKassa refused the credentials (401 invalid_credentials)"), "\(creds.summary)")
        #expect(creds.summary(.ru).hasPrefix("YooKassa (yookassa): YooKassa не принимает ключи (401 invalid_credentials)"), "\(creds.summary(.ru))")
        // Without the secret at all: the variable is named, in both languages.
        let g = try await ProviderFixture.make(environment: ["YOOKASSA_SHOP_ID": "506751", "CRYPTOBOT_TOKEN": f.cp.state.current.token])
        defer { g.stop() }
        let unset = try await Self.ru { try await g.db.run("/payments provider 5") }
        #expect(HTML.toPlainText(Self.html(unset)).contains("YOOKASSA_SECRET_KEY не задан"), "\(Self.html(unset))")
        Self.check(Self.html(unset))
    }

    @Test func completeInRussian() async throws {
        let f = try await ProviderFixture.make()
        defer { f.stop() }
        f.paidAtYooKassa(5, "250.00")
        // Preview, confirm and result.
        let out = try await Self.ru { try await f.db.run("/complete 5") }
        let plan = try #require(out.plan, "\(Self.html(out))")
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.hasPrefix("Зачислить этот платёж?") && preview.contains("YooKassa подтверждает, что деньги пришли"), "\(preview)")
        #expect(preview.contains("250,00 ₽") && preview.contains("UPDATE"), "\(preview)")
        #expect(plan.confirmLabel == "Зачислить платёж 5")
        Self.check(plan.preview)
        let result = await Self.ru { await plan.run(NoProgress()) }
        #expect(HTML.toPlainText(result.html).hasPrefix("✅ Платёж 5 зачислен: 250,00 ₽ balance_topup пользователю"), "\(result.html)")
        Self.check(result.html)
        #expect(try await f.db.sql("SELECT status FROM payments WHERE id = 5") == "succeeded")
        // Pressed again: refused, nothing credited twice.
        let again = await Self.ru { await plan.run(NoProgress()) }
        #expect(HTML.toPlainText(again.html).contains("⚠️ Не зачислен: платёж 5 уже в статусе succeeded"), "\(again.html)")
        Self.check(again.html)
        // Wrong status, unknown id, refusals by the provider, force without a reason.
        for (line, want) in [("/complete 5", "уже в статусе succeeded"), ("/complete 42", "нет платежа с id или id у провайдера «42»"),
                             ("/complete 7", "Подтверждение для платежа 7 не предлагаю"), ("/complete 4 force", "нужна причина для аудита")] {
            let o = try await Self.ru { try await f.db.run(line) }
            #expect(HTML.toPlainText(Self.html(o)).contains(want), "\(line): \(Self.html(o))")
            Self.check(Self.html(o))
        }
        // Override with a reason: a choice, then a second confirmation.
        let forced = try await Self.ru { try await f.db.run("/complete 7 force ticket-123") }
        guard case .choose(let prompt, let choices) = forced else { Issue.record("no choice: \(Self.html(forced))"); return }
        #expect(prompt.contains("Принудительно") && choices.first?.label == "⚠️ Зачислить принудительно, дальше", "\(prompt)")
        Self.check(prompt)
    }

    @Test func databaseDownInRussian() async throws {
        let f = try await DBFixture.make(url: "postgresql://app:secretpw@127.0.0.1:1/app")
        for line in ["/complete 5", "/payments pending", "/schema", "/reverse_duplicate 3", "/jobs"] {
            let out = try await Self.ru { try await f.run(line) }
            let html = Self.html(out)
            #expect(html.contains("не удаётся подключиться к базе") || html.contains("схема не проверена"), "\(line): \(html)")
            #expect(!html.contains("secretpw"))
            // libpq's own words stay as they came: take them out before looking for English.
            Self.check(html, removing: [Self.libpq(html)])
        }
        let check = try #require(await DatabaseCheck(database: f.app.databaseFeature).run(f.app).first)
        #expect(check.summary.hasPrefix("unreachable: connection to server at") && check.summary(.ru).hasPrefix("недоступна: connection to server at"))
    }

    /// libpq's text in a reply: from "connection to server" to the end of its sentence(s).
    static func libpq(_ html: String) -> String {
        guard let start = html.range(of: "connection to server") else { return "" }
        let tail = html[start.lowerBound...]
        let end = tail.range(of: "connections?")?.upperBound ?? tail.endIndex
        return String(tail[..<end])
    }

    @Test func reverseDuplicateInRussian() async throws {
        let f = try await DBFixture.make()
        let out = try await Self.ru { try await f.run("/reverse_duplicate 3") }
        let plan = try #require(out.plan, "\(Self.html(out))")
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.hasPrefix("Откатить двойное зачисление этого платежа?"), "\(preview)")
        #expect(preview.contains("оставить: balance_transactions #2 (500,00)") && preview.contains("удалить: balance_transactions #3 (500,00)"), "\(preview)")
        #expect(preview.contains("баланс: пользователь 3 −500"), "\(preview)")
        #expect(plan.confirmLabel == "Откатить дубль платежа 3")
        Self.check(plan.preview)
        let done = await Self.ru { await plan.run(NoProgress()) }
        #expect(HTML.toPlainText(done.html).hasPrefix("✅ Двойное зачисление платежа 3 откачено:"), "\(done.html)")
        Self.check(done.html)
        let again = await Self.ru { await plan.run(NoProgress()) }
        #expect(HTML.toPlainText(again.html).hasPrefix("⚠️ Не откачено:"), "\(again.html)")
        Self.check(again.html)
        for (line, want) in [("/reverse_duplicate 1", "Откатывать нечего"), ("/reverse_duplicate 4242", "Нет платежа с id «4242»")] {
            let o = try await Self.ru { try await f.run(line) }
            #expect(HTML.toPlainText(Self.html(o)).contains(want), "\(line): \(Self.html(o))")
            Self.check(Self.html(o))
        }
    }

    @Test func sqlModuleInRussian() async throws {
        let f = try await DBFixture.make()
        let jobs = try await Self.ru { try await f.run("/jobs") }
        #expect(HTML.toPlainText(Self.html(jobs)).hasPrefix("/jobs: 3 строки"), "\(Self.html(jobs))")
        Self.check(Self.html(jobs))
        let clear = try #require(try await Self.ru { try await f.run("/clear_job nosuchjob") }.plan)
        #expect(HTML.toPlainText(clear.preview).hasPrefix("Выполнится в одной транзакции:") && clear.confirmLabel == "Выполнить")
        Self.check(clear.preview)
        let ran = await Self.ru { await clear.run(NoProgress()) }
        #expect(HTML.toPlainText(ran.html) == "✅ /clear_job: DELETE 0 (0 строк)", "\(ran.html)")
        Self.check(ran.html)
        _ = try await f.sql("DELETE FROM apscheduler_jobs")
        let empty = try await Self.ru { try await f.run("/jobs") }
        #expect(HTML.toPlainText(Self.html(empty)) == "/jobs: строк нет")
        // A server error: its own words stay, ours are Russian.
        _ = try await f.sql("DROP TABLE apscheduler_jobs")
        let broken = try await Self.ru { try await f.run("/jobs") }
        #expect(HTML.toPlainText(Self.html(broken)).hasSuffix("(SQLSTATE 42P01) Ничего не изменено."), "\(Self.html(broken))")
        Self.check(Self.html(broken), removing: ["relation \"apscheduler_jobs\" does not exist"])
    }

    /// Russian is longer: a long pending list still pages under 4096 characters, and the whole
    /// list still goes as a file.
    @Test func longPendingListPagesAndGoesToAFileInRussian() async throws {
        let f = try await DBFixture.make(sql: DBFixture.demoSQL + """
            INSERT INTO payments (user_id, amount, payment_type, provider, provider_payment_id, status, created_at)
            SELECT 1, 12345.67, 'balance_topup', 'yookassa', '2d8f1c3a-000f-5000-9000-' || lpad(g::text, 12, '0'), 'pending', now() - interval '1 day' - g * interval '1 minute'
            FROM generate_series(1, 300) g;
            """)
        let first = try #require(try await Self.ru { try await f.run("/payments") }.reply)
        let text = HTML.toPlainText(first.html)
        #expect(text.contains("страница 1 из"), "\(text)")
        #expect(first.html.count <= 4096, "\(first.html.count)")
        Self.check(first.html)
        let labels = first.buttons.flatMap { $0 }.map(\.text)
        #expect(labels == ["Дальше ▶", "📄 Файлом"], "\(labels)")
        // Callback data never changes with the language.
        #expect(first.buttons.flatMap { $0 }.map(\.data).allSatisfy { $0.hasPrefix("pay:") && $0.utf8.count <= 64 })
        let next = try #require(first.buttons.first?.first)
        let toast = await Self.ru {
            await PaymentsPageHandler(database: f.app.databaseFeature).handle(IncomingCallback(id: "q", chatID: 1, userID: 1, messageID: 77, data: next.data), app: f.app)
        }
        #expect(toast == "страница 2")
        guard case .edited(_, let page2) = f.transport.events.last else { Issue.record("no edit"); return }
        #expect(HTML.toPlainText(page2.html).contains("страница 2 из"))
        #expect(page2.buttons.flatMap { $0 }.map(\.text) == ["◀ Назад", "Дальше ▶", "📄 Файлом"])
        Self.check(page2.html)
        let file = try await Self.ru { try await PaymentsView.pendingFile(try f.app.databaseFeature.client(), threshold: 900) }
        #expect(HTML.toPlainText(file.html) == "📄 303 платежа в ожидании дольше 15 мин", "\(file.html)")
        let tsv = String(decoding: try #require(file.attachment).data, as: UTF8.self)
        #expect(tsv.split(separator: "\n").count == 1 + 303)
        #expect(tsv.hasPrefix("id\tuser\tamount\tcurrency"), "the file stays machine-readable")
        #expect(tsv.contains("12345.67\tRUB"), "no decimal commas in the file")
        let toastFile = await Self.ru {
            await PaymentsPageHandler(database: f.app.databaseFeature).handle(IncomingCallback(id: "q", chatID: 1, userID: 1, messageID: 77, data: "pay:900:f"), app: f.app)
        }
        #expect(toastFile == "готовлю файл…")
    }
}
