import Foundation
import OpsbotCore
import OpsbotSupport
import Postgres

/// `/schema`: does the database match what the app's code expects? The same inspection is
/// the `schema` check, i.e. `opsbot check schema`, the deploy gate.
struct SchemaModule: CommandModule {
    var notConfigured: String? { database.notConfigured(needsSchema: true) }
    let database: DatabaseFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let db: DatabaseClient
        do { db = try database.client() } catch {
            return .reply(.text(DatabaseText.unknownFailure(error: ErrorText(error), nothingChanged: false).text()))
        }
        let report = await SchemaInspector.inspect(db, resolvePath: ctx.app.config.resolvePath)
        return .reply(SchemaModule.reply(report))
    }

    static func reply(_ r: SchemaReport) -> Reply {
        if r.failure != nil { return Reply(html: "❔ " + HTML.escape(r.summaryText.text())) }
        if r.ok { return Reply(html: "✅ " + HTML.escape(r.summaryText.text())) }
        let lines = r.issues.map { "• " + HTML.escape($0.text()) }.joined(separator: "\n")
        return Reply(html: DatabaseText.schemaDriftHeader(columns: r.columnsChecked).text() + "\n\(lines)")
    }
}

/// `schema` for `opsbot check schema` and alerts: ok / critical (drift) / unknown (unreachable).
struct SchemaCheck: CheckProvider {
    let database: DatabaseFeature
    let name = "schema"
    func run(_ app: AppContext) async -> [CheckResult] {
        let db: DatabaseClient
        do { db = try database.client() } catch {
            return [CheckResult(check: "schema", target: "database", status: .unknown, message: DatabaseText.failure(error: ErrorText(error), nothingChanged: false))]
        }
        guard db.isConfigured else {
            return [CheckResult(check: "schema", target: "database", status: .unknown, message: DatabaseText.urlNotSet)]
        }
        // A gate with nothing to compare must not pass: "schema OK (0 columns checked)" let
        // every deploy through.
        let expected = (try? app.config.section("database", as: DatabaseConfig.self))??.schema ?? SchemaExpectations()
        if expected.tables.isEmpty && expected.migrations == nil {
            return [CheckResult(check: "schema", target: "database", status: .unknown,
                                message: DatabaseText.schemaNothingToCheck(source: app.config.source))]
        }
        let r = await SchemaInspector.inspect(db, resolvePath: app.config.resolvePath)
        if r.failure != nil { return [CheckResult(check: "schema", target: "database", status: .unknown, message: r.summaryText)] }
        var result = CheckResult(check: "schema", target: "database", status: r.ok ? .ok : .critical, message: r.summaryText,
                                 value: Double(r.problems.count))
        result.setEvidence(r.issues)
        return [result]
    }
}

/// `database`: reachable, and how long a round trip takes.
struct DatabaseCheck: CheckProvider {
    let database: DatabaseFeature
    let name = "database"
    func run(_ app: AppContext) async -> [CheckResult] {
        let db: DatabaseClient
        do { db = try database.client() } catch {
            return [CheckResult(check: "database", target: "database", status: .unknown, message: DatabaseText.failure(error: ErrorText(error), nothingChanged: false))]
        }
        guard db.isConfigured else {
            return [CheckResult(check: "database", target: "database", status: .unknown, message: DatabaseText.urlNotSet)]
        }
        let elapsed = app.clock.stopwatch()
        do {
            _ = try await db.session { s in try s.query("SELECT 1", timeout: 5) }
            let ms = elapsed() * 1000
            return [CheckResult(check: "database", target: "database", status: .ok,
                                message: DatabaseText.reachable(milliseconds: ms), value: ms)]
        } catch {
            // libpq's own words, whole: "unreachable: connection to server at … failed: …".
            let why = (error as? PostgresError).map { $0.isUnreachable ? ErrorText(english: $0.message, russian: $0.russianMessage ?? $0.message) : ErrorText($0) } ?? ErrorText(error)
            return [CheckResult(check: "database", target: "database", status: .critical, message: DatabaseText.unreachable(error: why))]
        }
    }
}
