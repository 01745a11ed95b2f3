import Foundation
@testable import OpsbotCore
import Postgres
import Testing
import TestHarness
@testable import OpsbotDatabase

@Suite(.enabled(if: TestPostgres.enabled))
struct PaymentsTests {
    @Test func pendingListingCountsAndTotalsFirst() async throws {
        let f = try await DBFixture.make()
        let text = try await f.run("/payments").text
        #expect(text.hasPrefix("⚠️ 3 pending payments older than 15 min — total 549.00 RUB, 5.00 USD"))
        #expect(text.contains("2d8f1c3a-000f-5000-9000-1a2b3c4d5e04"))
        #expect(!text.contains("2d8f1c3a-000f-5000-9000-1a2b3c4d5e07"))  // 3 minutes old
        #expect(try await f.run("/payments pending 1h").text.hasPrefix("⚠️ 1 pending payment older than 1 h"))
        #expect(try await f.run("/payments pending 1d").text == "✅ no pending payments older than 1 d")
        #expect(await f.module("payments", ["what": .string("pending"), "older_than": .string("15x")]).text.contains("must be a duration"))
        let check = await PaymentsCheck(database: f.app.databaseFeature).run(f.app)
        #expect(check.first { $0.target == "pending" }?.status == .warning)
        #expect(check.first { $0.target == "pending" }?.value == 3)
        #expect(check.first { $0.target == "duplicates" }?.status == .warning)
    }

    @Test func customColumnNamesStatusAndMinorUnits() async throws {
        let sql = """
        CREATE TABLE "Orders" (oid text PRIMARY KEY, customer int, sum_kop bigint, kind text, state text, made_at timestamptz, done_at timestamptz, ext text);
        INSERT INTO "Orders" VALUES ('o-1', 7, 12345, 'coins', 'new', now() - interval '2 hours', NULL, 'X1'),
                                    ('o-2', 8, 500, 'coins', 'paid', now() - interval '3 hours', now(), 'X2');
        """
        let config = """
        database:
          payments:
            table: Orders
            columns: {id: oid, user: customer, amount: sum_kop, type: kind, status: state, created_at: made_at, completed_at: done_at, provider: "", provider_payment_id: ext}
            pending_status: new
            succeeded_status: paid
            amount_scale: 2
            currency: EUR
            pending_after: 30m
            credits: []
            completion:
              coins: ["UPDATE \\"Orders\\" SET ext = ext || '-credited' WHERE oid = {id}"]
        """
        let f = try await DBFixture.make(sql: sql, database: config)
        let text = try await f.run("/payments").text
        #expect(text.hasPrefix("⚠️ 1 pending payment older than 30 min — total 123.45 EUR"))
        #expect(text.contains("o-1"))
        #expect(try await f.run("/payments X2").text.contains("Payment o-2 — paid"))
        let plan = try #require(try await f.run("/complete o-1").plan)
        #expect(await plan.run(NoProgress()).html.contains("completed"))
        #expect(try await f.sql("SELECT state || ' ' || ext FROM \"Orders\" WHERE oid = 'o-1'") == "paid X1-credited")
    }

    @Test func pagesWithNextAndPrevButtons() async throws {
        let f = try await DBFixture.make(sql: DBFixture.demoSQL + """
            INSERT INTO payments (user_id, amount, payment_type, provider, status, created_at)
            SELECT 1, 10, 'balance_topup', 'yookassa', 'pending', now() - interval '1 day' - g * interval '1 minute' FROM generate_series(1, 22) g;
            """)
        let first = try #require(try await f.run("/payments").reply)
        #expect(HTML.toPlainText(first.html).contains("page 1 of 3"))
        let next = try #require(first.buttons.first?.first { $0.text.hasPrefix("Next") })
        #expect(next.data.utf8.count <= 64)
        let answer = await PaymentsPageHandler(database: f.app.databaseFeature).handle(IncomingCallback(id: "q", chatID: 1, userID: 1, messageID: 77, data: next.data), app: f.app)
        #expect(answer == "page 2")
        guard case .edited(let ref, let page2) = f.transport.events.last else { Issue.record("no edit"); return }
        #expect(ref.messageID == 77)
        #expect(HTML.toPlainText(page2.html).contains("page 2 of 3"))
        #expect(page2.buttons.flatMap { $0 }.map(\.text).contains("◀ Prev"))
        #expect(await PaymentsPageHandler(database: f.app.databaseFeature).handle(IncomingCallback(id: "q", chatID: 1, userID: 1, messageID: 77, data: "pay:x:1'--"), app: f.app) == "unknown button")
        // The whole list as a file.
        let file = try await PaymentsView.pendingFile(try f.app.databaseFeature.client(), threshold: 900)
        let tsv = String(decoding: try #require(file.attachment).data, as: UTF8.self)
        #expect(tsv.split(separator: "\n").count == 1 + 25)
    }

    @Test func lookupByIdOrProviderIdAndDuplicates() async throws {
        let f = try await DBFixture.make()
        #expect(try await f.run("/payments 5").text.contains("Payment 5 — pending"))
        #expect(try await f.run("/payments CB-771203").text.contains("Payment 3 — succeeded"))
        #expect(try await f.run("/payments 424242").text.contains("No payment with id or provider payment id \"424242\""))
        #expect(try await f.run("/payments abc").text.contains("No payment"))
        let dups = try await f.run("/payments duplicates").text
        // Issue 8 item 15: who, how much, which rows, the balance effect and the fix.
        #expect(dups.contains("payment 3 · user 3 · 500.00 RUB balance_topup"), "\(dups)")
        #expect(dups.contains("rows: balance_transactions #2 500.00, balance_transactions #3 500.00"), "\(dups)")
        #expect(dups.contains("effect: user 3 balance 500 too high") && dups.contains("fix: /reverse_duplicate 3"), "\(dups)")
        #expect(!dups.contains("runbook"))
        _ = try await f.sql("INSERT INTO payments (user_id, amount, payment_type, provider, provider_payment_id, status) VALUES (1, 100, 'balance_topup', 'yookassa', '2d8f1c3a-000f-5000-9000-1a2b3c4d5e01', 'succeeded')")
        #expect(try await f.run("/payments duplicates").text.contains("2 succeeded payments share provider payment id 2d8f1c3a-000f-5000-9000-1a2b3c4d5e01"))
    }

    @Test func injectionAttemptsInEveryArgument() async throws {
        let f = try await DBFixture.make()
        let attacks = ["1 OR 1=1", "1' OR '1'='1", "'; DROP TABLE payments; --", "5; UPDATE users SET balance = 1e9", "$1", "\\x00", "5)--"]
        for a in attacks {
            #expect(await f.module("payments", ["what": .string(a)]).text.contains("No payment"), "\(a)")
            #expect(await f.module("payments", ["what": .string("pending"), "older_than": .string(a)]).text.contains("must be a duration"), "\(a)")
            #expect(await f.module("complete", ["id": .string(a)]).text.contains("No payment"), "\(a)")
            let clear = try #require(await f.module("clear_job", ["id": .string(a)]).plan)
            #expect(await clear.run(NoProgress()).html.contains("(0 rows)"), "\(a)")
        }
        #expect(try await f.sql("SELECT count(*) FROM apscheduler_jobs") == "3")
        #expect(try await f.sql("SELECT count(*) FROM payments") == "8")
        #expect(try await f.sql("SELECT sum(balance)::text FROM users") == "1160.00")
        // The catalog refuses them before any module sees them.
        await #expect(throws: ArgumentError.self) { try await f.run("/complete 1'--") }
    }

    /// Issue 8 item 15: the double credit is reversed once, however many presses race.
    @Test func reverseDuplicateRemovesTheExtraCreditExactlyOnce() async throws {
        let f = try await DBFixture.make()
        let before = try await f.sql("SELECT balance::text FROM users WHERE id = 3")
        let plan = try #require(try await f.run("/reverse_duplicate 3").plan)
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("keep: balance_transactions #2 (500.00)") && preview.contains("delete: balance_transactions #3 (500.00)"), "\(preview)")
        #expect(preview.contains("UPDATE \"users\" SET \"balance\" = \"balance\" - $1::numeric"), "the SQL with its values: \(preview)")
        #expect(preview.contains("DELETE FROM \"balance_transactions\" WHERE \"id\"::text = '3'") || preview.contains("DELETE FROM"), "\(preview)")
        #expect(preview.contains("balance: user 3 −500"))
        #expect(try await f.run("/reverse_duplicate 1").text.contains("Nothing to reverse"))
        // Other opsbot instances (own pools) and parallel presses within each.
        var plans = [plan]
        for _ in 0..<2 {
            let other = DBFixture(app: try await DBFixture.make(url: f.url).app, transport: f.transport, url: f.url, pg: f.pg)
            plans.append(try #require(try await other.run("/reverse_duplicate 3").plan))
        }
        let results = await withTaskGroup(of: String.self) { group in
            for p in plans { for _ in 0..<4 { group.addTask { HTML.toPlainText(await p.run(NoProgress()).html) } } }
            var out: [String] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(results.filter { $0.hasPrefix("✅") }.count == 1, "\(results)")
        #expect(results.filter { $0.contains("Not reversed") }.count == 11, "\(results)")
        #expect(try await f.sql("SELECT string_agg(id::text, ',') FROM balance_transactions WHERE payment_id = 3") == "2")
        let after = try await f.sql("SELECT (balance + 500)::text FROM users WHERE id = 3")
        #expect(after == before, "balance corrected once: \(before) → \(after) + 500")
        #expect(try await f.run("/payments duplicates").text.contains("no payment credited more than once"))
    }
}
