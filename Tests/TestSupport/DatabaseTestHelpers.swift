import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// An opsbot app wired to a fresh copy of the demo app database (demo/app-db.sql).
package struct DBFixture {
    package let app: AppContext
    package let transport: RecordingTransport
    package let url: String
    package let pg: TestPostgres
    package var dbName: String { String(url.split(separator: "=").last!) }

    package init(app: AppContext, transport: RecordingTransport, url: String, pg: TestPostgres) {
        self.app = app
        self.transport = transport
        self.url = url
        self.pg = pg
    }

    package static var demoSQL: String {
        (try? String(contentsOfFile: TestApp.repositoryRoot + "/demo/app-db.sql", encoding: .utf8)) ?? ""
    }
    package static var demoConfig: String {
        (try? String(contentsOfFile: TestApp.repositoryRoot + "/demo/config-database.yaml", encoding: .utf8)) ?? ""
    }

    /// `database` replaces the demo's database section when given; `url` overrides DATABASE_URL.
    package static func make(sql: String? = demoSQL, database: String? = nil, url: String? = nil, commands: [(String, String)]? = nil,
                     clock: WallClock = SystemWallClock()) async throws -> DBFixture {
        let pg = try await TestPostgres.sharedAsync()
        let dbURL: String
        if let url { dbURL = url } else { dbURL = try await pg.createDatabaseAsync(sql: sql) }
        let yaml = DefaultConfig.yaml + "\n" + (database ?? demoConfig)
        let (app, transport) = try TestApp.make(configYAML: yaml, commands: commands, clock: clock, environment: ["DATABASE_URL": dbURL])
        return DBFixture(app: app, transport: transport, url: dbURL, pg: pg)
    }

    /// Runs `/name words…` through the catalog's argument validation and the module.
    package func run(_ line: String) async throws -> CommandOutcome {
        let words = line.split(separator: " ").map(String.init)
        let name = String(words[0].dropFirst())
        guard let entry = app.catalog.entry(name) else { throw DBFixtureError.noCommand(name) }
        let args = try ArgumentValidator.bind(Array(words.dropFirst()), to: entry.command, services: [])
        return await module(name, args)
    }

    /// Runs a module with arguments that bypass the catalog's patterns (injection tests).
    package func module(_ name: String, _ args: [String: ArgumentValue]) async -> CommandOutcome {
        let entry = app.catalog.entry(name)!
        let req = CommandRequest(command: entry.command, arguments: args, chatID: 1, userID: 1)
        return await entry.module.handle(ModuleContext(app: app, request: req, progress: NoProgress()))
    }

    package func sql(_ s: String) async throws -> String {
        try await pg.psqlAsync(database: dbName, command: s).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension CommandOutcome {
    package var text: String {
        switch self {
        case .reply(let r): HTML.toPlainText(r.html)
        case .confirm(let p): HTML.toPlainText(p.preview)
        case .choose(let prompt, _): prompt
        }
    }
    package var reply: Reply? { if case .reply(let r) = self { r } else { nil } }
    package var plan: ConfirmationPlan? { if case .confirm(let p) = self { p } else { nil } }
}
package enum DBFixtureError: Error { case noCommand(String) }
