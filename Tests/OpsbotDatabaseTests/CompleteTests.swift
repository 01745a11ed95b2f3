import Foundation
@testable import OpsbotCore
import Postgres
import Testing
import TestHarness
@testable import OpsbotDatabase

@Suite(.enabled(if: TestPostgres.enabled))
struct CompleteTests {
    @Test func balanceTopUpPreviewShowsExactStatementsThenCreditsOnce() async throws {
        let f = try await DBFixture.make()
        let outcome = try await f.run("/complete 5")
        let plan = try #require(outcome.plan)
        #expect(plan.preview.contains("INSERT INTO balance_transactions (user_id, amount, type, payment_id) VALUES ($1, $2, &#39;topup&#39;, $3)") ||
                plan.preview.contains("INSERT INTO balance_transactions (user_id, amount, type, payment_id) VALUES ($1, $2, 'topup', $3)"))
        #expect(outcome.text.contains("-- $1 = '4', $2 = '250.00', $3 = '5'"))
        #expect(outcome.text.contains("UPDATE users SET balance = balance + $1 WHERE id = $2"))
        #expect(outcome.text.contains("SET \"status\" = $1, \"completed_at\" = now() WHERE \"id\" = $2 AND \"status\" = $3"))
        #expect(try await f.sql("SELECT status FROM payments WHERE id = 5") == "pending")  // preview changes nothing
        let done = await plan.run(NoProgress())
        #expect(HTML.toPlainText(done.html).hasPrefix("✅ Payment 5 completed: 250.00 RUB balance_topup for user 4"))
        #expect(try await f.sql("SELECT balance::text FROM users WHERE id = 4") == "270.00")
        #expect(try await f.sql("SELECT count(*) FROM balance_transactions WHERE payment_id = 5") == "1")
        #expect(try await f.sql("SELECT status || ' ' || (completed_at IS NOT NULL) FROM payments WHERE id = 5") == "succeeded true")
        // Double press: the second run refuses and credits nothing.
        let again = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(again.contains("Not completed: payment 5 is already succeeded at "))
        #expect(try await f.sql("SELECT balance::text FROM users WHERE id = 4") == "270.00")
        // A new /complete for it is refused before any preview.
        #expect(try await f.run("/complete 5").text.contains("already succeeded"))
    }

    @Test func subscriptionByProviderPaymentID() async throws {
        let f = try await DBFixture.make()
        let plan = try #require(try await f.run("/complete 2d8f1c3a-000f-5000-9000-1a2b3c4d5e04").plan)
        #expect(await plan.run(NoProgress()).html.contains("completed"))
        #expect(try await f.sql("SELECT tier FROM users WHERE id = 2") == "premium")
        #expect(try await f.sql("SELECT count(*) FROM subscriptions WHERE payment_id = 4 AND expires_at > now() + interval '29 days'") == "1")
        #expect(try await f.sql("SELECT status FROM payments WHERE id = 4") == "succeeded")
    }

    @Test func clearRefusalsChangeNothing() async throws {
        let f = try await DBFixture.make(sql: DBFixture.demoSQL + "INSERT INTO payments (user_id, amount, payment_type, provider, status) VALUES (1, 1, 'gift', 'x', 'pending');")
        let before = try await f.sql("SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM payments p")
        #expect(try await f.run("/complete 999999").text.contains("No payment with id or provider payment id \"999999\""))
        #expect(try await f.run("/complete not-a-number").text.contains("No payment"))
        #expect(try await f.run("/complete 1").text.contains("Payment 1 is already succeeded"))
        #expect(try await f.run("/complete 9").text.contains("type \"gift\", which has no completion steps in database.payments.completion (configured: balance_topup, subscription)"))
        #expect(try await f.sql("SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM payments p") == before)
        // Database down at preview time.
        let down = try await DBFixture.make(url: "host=127.0.0.1 port=1 dbname=x connect_timeout=2")
        #expect(try await down.run("/complete 5").text.contains("cannot connect to the database"))
        #expect(try await down.run("/complete 5").text.contains("Nothing was changed"))
    }

    @Test func paymentChangedSinceThePreviewIsRefused() async throws {
        let f = try await DBFixture.make()
        let plan = try #require(try await f.run("/complete 6").plan)
        _ = try await f.sql("UPDATE payments SET amount = 500 WHERE id = 6")
        #expect(HTML.toPlainText(await plan.run(NoProgress()).html).contains("changed since the preview"))
        #expect(try await f.sql("SELECT status FROM payments WHERE id = 6") == "pending")
    }

    /// Many admins pressing Confirm at the same moment, each on their own connections.
    @Test func concurrentCompletionsCreditExactlyOnce() async throws {
        let f = try await DBFixture.make()
        let plan = try #require(try await f.run("/complete 5").plan)
        // Separate opsbot instances (own pools) plus parallel presses within each.
        var apps: [AppContext] = [f.app]
        for _ in 0..<3 { apps.append(try await DBFixture.make(url: f.url).app) }
        var plans: [ConfirmationPlan] = []
        for app in apps.dropFirst() {
            plans.append(try #require(try await DBFixture(app: app, transport: f.transport, url: f.url, pg: f.pg).run("/complete 5").plan))
        }
        let results = await withTaskGroup(of: String.self) { group in
            for p in plans {
                for _ in 0..<4 { group.addTask { HTML.toPlainText(await p.run(NoProgress()).html) } }
            }
            for _ in 0..<2 { group.addTask { HTML.toPlainText(await plan.run(NoProgress()).html) } }
            var out: [String] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 14)
        #expect(results.filter { $0.hasPrefix("✅") }.count == 1, "\(results)")
        #expect(results.filter { $0.contains("already succeeded") }.count == 13, "\(results)")
        #expect(try await f.sql("SELECT count(*) FROM balance_transactions WHERE payment_id = 5") == "1")
        #expect(try await f.sql("SELECT balance::text FROM users WHERE id = 4") == "270.00")
    }

    /// The connection drops between presses (or after COMMIT, before the answer): the retry
    /// reconnects, sees the payment already succeeded and credits nothing.
    @Test func retryAfterDroppedConnectionNeverCreditsTwice() async throws {
        let f = try await DBFixture.make()
        let plan = try #require(try await f.run("/complete 5").plan)
        #expect(await plan.run(NoProgress()).html.contains("completed"))
        _ = try await f.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        let again = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(again.contains("already succeeded"), "\(again)")
        #expect(again.contains("connection dropped") && again.contains("not credited twice"), "\(again)")
        #expect(try await f.sql("SELECT count(*) FROM balance_transactions WHERE payment_id = 5") == "1")
        // And a fresh completion works on the re-established connection.
        _ = try await f.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        let p6 = try #require(try await f.run("/complete 6").plan)
        #expect(await p6.run(NoProgress()).html.contains("completed"))
    }

    @Test func completeMustBeConfirmed() throws {
        let yaml = "name: complete\ndescription: x\nmodule: complete\narguments: [{name: id, type: string}]\n"
        #expect(throws: TestAppError.self) { try TestApp.make(commands: [("Commands/complete.yaml", yaml)]) }
    }
}
