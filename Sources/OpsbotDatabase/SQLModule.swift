import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// The generic `sql` module: an operator's runbook query as a catalog file, without
/// recompiling. `statement` carries `$1…` placeholders bound from the validated arguments
/// listed in `parameters`. A statement that writes must be `read_only: false` and the command
/// `confirm: true`; read-only ones run in a READ ONLY transaction so the server enforces it.
struct SQLModule: CommandModule {
    var notConfigured: String? { database.notConfigured() }
    let database: DatabaseFeature
    struct Settings: Decodable {
        var statement: String
        var parameters: [String]?
        var readOnly: Bool?
        var timeout: ConfigDuration?
        var maxRows: Int?
        enum CodingKeys: String, CodingKey {
            case statement, parameters, readOnly = "read_only", timeout, maxRows = "max_rows"
        }
    }

    let statement: String
    let parameters: [String]
    let readOnly: Bool
    let timeout: Double?
    let maxRows: Int
    let confirm: Bool
    let commandName: String

    init(database: DatabaseFeature, settings raw: ModuleSettings, command: CatalogCommand) throws {
        self.database = database
        let s = try raw.decode(Settings.self)
        statement = s.statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !statement.isEmpty else { throw ConfigError(file: raw.source, key: "settings.statement", message: "is empty") }
        parameters = s.parameters ?? []
        guard let ro = s.readOnly else {
            throw ConfigError(file: raw.source, key: "settings.read_only", message: "is required: true for a query, false for a statement that writes (then the command needs confirm: true)")
        }
        readOnly = ro
        if !ro && !command.confirm {
            throw ConfigError(file: raw.source, key: "confirm", message: "this command writes (read_only: false), so it must be confirm: true")
        }
        timeout = try raw.positive(s.timeout, key: "timeout")
        maxRows = s.maxRows ?? 500
        let names = Set(command.arguments.map(\.name))
        for (i, p) in parameters.enumerated() where !names.contains(p) {
            throw ConfigError(file: raw.source, key: "settings.parameters[\(i)]", message: "\(p) names no argument (arguments: \(names.sorted().joined(separator: ", ")))")
        }
        let highest = SQLModule.highestPlaceholder(statement)
        guard highest == parameters.count else {
            throw ConfigError(file: raw.source, key: "settings.parameters", message: "the statement uses $1…$\(highest) but \(parameters.count) parameter(s) are listed")
        }
        confirm = command.confirm
        commandName = command.name
    }

    /// Prepares the statement (PREPARE parses, resolves tables and columns and types `$n`, and
    /// runs nothing) in a read-only transaction, then drops it: a table or column the database
    /// does not have is named before the command first runs.
    func liveProblems() async -> [String] {
        guard notConfigured == nil, let db = try? database.client() else { return [] }
        let statement = statement
        do {
            try await db.session { s in
                try s.transaction(readOnly: true) { t in
                    try t.query(PostgresQuery(unsafeSQL: "PREPARE opsbot_validate AS " + statement), timeout: 10)
                    try t.query("DEALLOCATE opsbot_validate", timeout: 10)
                }
            }
            return []
        } catch let e as PostgresError where e.isUnreachable {
            return ["the statement could not be checked: \(e.description)"]
        } catch {
            return ["the database refuses the statement: \(describe(error))"]
        }
    }

    static func highestPlaceholder(_ sql: String) -> Int {
        var highest = 0
        var i = sql.startIndex
        while let d = sql[i...].firstIndex(of: "$") {
            var j = sql.index(after: d)
            var n = ""
            while j < sql.endIndex, sql[j].isASCII, sql[j].isNumber { n.append(sql[j]); j = sql.index(after: j) }
            if let v = Int(n) { highest = max(highest, v) }
            i = j
        }
        return highest
    }

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let binds = parameters.map { PostgresBind(text: ctx.request.arguments[$0]?.parameter) }
        let query = PostgresQuery(unsafeSQL: statement, binds: binds)
        let shown = statement + (binds.isEmpty ? "" : "\n  -- " + binds.enumerated().map { "$\($0.offset + 1) = \($0.element)" }.joined(separator: ", "))
        let db: DatabaseClient
        do { db = try database.client() } catch { return .reply(.text(DatabaseText.unknownFailure(error: ErrorText(error), nothingChanged: true).text())) }
        let run: @Sendable (ProgressReporter) async -> Reply = { [readOnly, timeout, maxRows, commandName] _ in
            do {
                let rows = try await db.session(retryIfLost: readOnly) { s in
                    try s.transaction(readOnly: readOnly) { tx in try tx.query(query, timeout: timeout) }
                }
                return SQLModule.render(rows, name: commandName, maxRows: maxRows)
            } catch {
                return .text(DatabaseText.sqlFailed(command: commandName, error: ErrorText(error)).text())
            }
        }
        if confirm {
            return .confirm(ConfirmationPlan(preview: DatabaseText.sqlPreview(statement: shown).text(), confirmLabel: DatabaseText.sqlRunLabel.text(),
                                             auditAction: "/\(commandName): \(shown)", run: run))
        }
        return .reply(await run(NoProgress()))
    }

    /// An aligned table in `<pre>`, or a file when it would not fit a message.
    static func render(_ rows: PostgresRows, name: String, maxRows: Int) -> Reply {
        if rows.columns.isEmpty {
            let counted = rows.affectedRows > 0 || rows.commandStatus.hasPrefix("DELETE") || rows.commandStatus.hasPrefix("UPDATE")
            return .text(DatabaseText.sqlDone(command: name, status: rows.commandStatus, rows: counted ? rows.affectedRows : nil).text())
        }
        if rows.isEmpty { return .text(DatabaseText.sqlNoRows(command: name).text()) }
        let cells = rows.values.prefix(maxRows).map { $0.map { $0 ?? "NULL" } }
        let table = TextTable.render(header: rows.columns, rows: Array(cells), maxCell: 60)
        let more = rows.count > maxRows ? DatabaseText.sqlMoreRows(rows: rows.count - maxRows).text() : ""
        let title = DatabaseText.sqlRows(command: name, rows: rows.count).text()
        if rows.count > 40 || table.count > 3500 {
            let full = TextTable.render(header: rows.columns, rows: rows.values.map { $0.map { $0 ?? "NULL" } }, maxCell: 10_000)
            return Reply(html: DatabaseText.sqlAsFile(command: name, rows: rows.count).text(), attachment: Attachment(filename: "\(name).txt", data: Data(full.utf8)))
        }
        return Reply.pre(table + more, title: title)
    }
}
