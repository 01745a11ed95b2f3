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
    /// The demo's database section without its payment providers (they point at the demo
    /// sandbox's port): rows complete as they did before providers existed.
    package static var demoConfig: String { demoConfig(providers: nil) }

    /// The demo's database section with `providers` (YAML lines at the `providers:` key's
    /// indentation and below, e.g. from `providersYAML`) in place of the demo's.
    package static func demoConfig(providers: String?) -> String {
        let text = (try? String(contentsOfFile: TestApp.repositoryRoot + "/demo/config-database.yaml", encoding: .utf8)) ?? ""
        var out: [Substring] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("    providers:") { skipping = true; continue }
            if skipping && (line.hasPrefix("      ") || line.trimmingCharacters(in: .whitespaces).isEmpty) { continue }
            skipping = false
            out.append(line)
        }
        var s = out.joined(separator: "\n")
        if let providers { s += "\n    providers:\n" + providers }
        return s + "\n"
    }

    /// `providers:` entries for the fakes: `yookassa` (YooKassa) and `cryptobot` (Crypto Pay by payload).
    package static func providersYAML(yookassa: String, cryptopay: String, timeout: String = "2s") -> String {
        """
              yookassa: {type: yookassa, shop_id_env: YOOKASSA_SHOP_ID, secret_key_env: YOOKASSA_SECRET_KEY, api_url: "\(yookassa)", timeout: \(timeout)}
              cryptobot: {type: cryptopay, token_env: CRYPTOBOT_TOKEN, network: mainnet, api_url: "\(cryptopay)", id_field: payload, timeout: \(timeout)}
        """
    }

    /// `database` replaces the demo's database section when given; `url` overrides DATABASE_URL.
    package static func make(sql: String? = demoSQL, database: String? = nil, url: String? = nil, commands: [(String, String)]? = nil,
                     clock: any OpsClock = SystemClock(), providerEnvironment: [String: String]? = nil) async throws -> DBFixture {
        let pg = try await TestPostgres.sharedAsync()
        let dbURL: String
        if let url { dbURL = url } else { dbURL = try await pg.createDatabaseAsync(sql: sql) }
        let yaml = DefaultConfig.yaml + "\n" + (database ?? demoConfig)
        let (app, transport) = try TestApp.make(configYAML: yaml, commands: commands, clock: clock, environment: ["DATABASE_URL": dbURL],
                                                servicesEnvironment: providerEnvironment)
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
