import Foundation
@testable import OpsbotCore
import Postgres
import Testing
import TestHarness
@testable import OpsbotApp
@testable import OpsbotDatabase

@Suite(.enabled(if: TestPostgres.enabled), .ownThreads)
struct SQLModuleTests {
    @Test func jobsListsAsAlignedTable() async throws {
        let f = try await DBFixture.make()
        let r = try #require(try await f.run("/jobs").reply)
        #expect(r.html.contains("<pre>"))
        let text = HTML.toPlainText(r.html)
        #expect(text.contains("/jobs: 3 rows"))
        #expect(text.contains("trial_notifications"))
        #expect(text.contains("overdue"))
    }

    @Test func clearJobIsConfirmedAndBindsItsArgument() async throws {
        let f = try await DBFixture.make()
        let plan = try #require(try await f.run("/clear_job habit_reminders").plan)
        #expect(plan.preview.contains("DELETE FROM apscheduler_jobs WHERE id = $1"))
        #expect(plan.preview.contains("$1 = &#39;habit_reminders&#39;") || plan.preview.contains("$1 = 'habit_reminders'"))
        #expect(try await f.sql("SELECT count(*) FROM apscheduler_jobs") == "3")
        #expect(HTML.toPlainText(await plan.run(NoProgress()).html).contains("DELETE 1 (1 row)"))
        #expect(try await f.sql("SELECT count(*) FROM apscheduler_jobs") == "2")
    }

    @Test func loadingRulesAndReadOnlyEnforcement() async throws {
        func load(_ yaml: String) -> [ConfigError] {
            CatalogLoader.load(sources: [("Commands/x.yaml", yaml)], registry: Features.build(Config()).modules, config: Config()).errors
        }
        let writesUnconfirmed = "name: x\ndescription: x\nmodule: sql\nsettings: {statement: 'DELETE FROM t', read_only: false}\n"
        #expect(load(writesUnconfirmed).first?.key == "confirm")
        let noFlag = "name: x\ndescription: x\nmodule: sql\nsettings: {statement: 'SELECT 1'}\n"
        #expect(load(noFlag).first?.key == "settings.read_only")
        let mismatch = "name: x\ndescription: x\nmodule: sql\narguments: [{name: a, type: string}]\nsettings: {statement: 'SELECT $1, $2', parameters: [a], read_only: true}\n"
        #expect(load(mismatch).first?.message.contains("$1…$2") == true)
        // A "read-only" command whose statement writes is stopped by the server.
        let sneaky = "name: sneaky\ndescription: x\nmodule: sql\nsettings: {statement: 'DELETE FROM apscheduler_jobs', read_only: true}\n"
        let f = try await DBFixture.make(commands: [("Commands/sneaky.yaml", sneaky)])
        #expect(try await f.run("/sneaky").text.contains("read-only transaction"))
        #expect(try await f.sql("SELECT count(*) FROM apscheduler_jobs") == "3")
    }

    /// Issue 18 item 5: `validate` names a catalog statement's missing table (the shipped /jobs
    /// failed at first use with `relation "apscheduler_jobs" does not exist`) without running it.
    @Test func validateNamesTablesTheDatabaseDoesNotHave() async throws {
        let missing = "name: queue\ndescription: x\nmodule: sql\nsettings: {statement: 'SELECT id FROM apscheduler_jobz', read_only: true}\n"
        let column = "name: wipe\ndescription: x\nmodule: sql\nconfirm: true\narguments: [{name: id, type: string}]\nsettings: {statement: 'DELETE FROM apscheduler_jobs WHERE idd = $1', parameters: [id], read_only: false}\n"
        let fine = "name: clear\ndescription: x\nmodule: sql\nconfirm: true\narguments: [{name: id, type: string}]\nsettings: {statement: 'DELETE FROM apscheduler_jobs WHERE id = $1', parameters: [id], read_only: false}\n"
        let f = try await DBFixture.make(commands: [("Commands/queue.yaml", missing), ("Commands/wipe.yaml", column), ("Commands/clear.yaml", fine)])
        func problems(_ name: String) async -> [String] { await f.app.catalog.entry(name)!.module.liveProblems() }
        let queue = await problems("queue"), wipe = await problems("wipe"), clear = await problems("clear")
        #expect(queue == ["the database refuses the statement: relation \"apscheduler_jobz\" does not exist (SQLSTATE 42P01)"], "\(queue)")
        #expect(wipe.first?.contains("column \"idd\" does not exist") == true, "\(wipe)")
        #expect(clear.isEmpty, "\(clear)")
        // Nothing ran: the rows are all still there.
        #expect(try await f.sql("SELECT count(*) FROM apscheduler_jobs") == "3")
    }

    @Test func slowStatementIsCancelledAndReported() async throws {
        let slow = "name: slow\ndescription: x\nmodule: sql\nsettings: {statement: 'SELECT pg_sleep(60)', read_only: true, timeout: 1s}\n"
        let f = try await DBFixture.make(commands: [("Commands/slow.yaml", slow)])
        let started = Date()
        let text = try await f.run("/slow").text
        #expect(text.contains("ran longer than 1 s and was cancelled"), "\(text)")
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(try await f.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'") == "0")
    }

    @Test func largeResultsGoAsAFile() {
        let rows = PostgresRows(columns: ["n"], types: [23], values: (1...100).map { [String($0)] }, commandStatus: "SELECT 100")
        let r = SQLModule.render(rows, name: "big", maxRows: 500)
        #expect(r.attachment?.filename == "big.txt")
        #expect(String(decoding: r.attachment!.data, as: UTF8.self).split(separator: "\n").count == 102)
    }
}
