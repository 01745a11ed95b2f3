// OpsbotDatabase — the app's PostgreSQL through libpq: the schema deploy gate, payments
// (/payments, /complete, /reverse_duplicate), the generic `sql` runbook module and their
// checks. Depends on OpsbotCore and Postgres.

import Foundation
import OpsbotCore
import OpsbotSupport

/// The app's PostgreSQL: `/schema` (the deploy gate), `/payments`, `/complete`, the generic
/// `sql` runbook module, and the `database`, `schema` and `payments` checks. Settings live in
/// the `database:` config section (documented in demo/config-database.yaml); the connection
/// string only ever comes from DATABASE_URL.
public struct DatabaseFeature: Feature {
    public static var configSections: [ConfigSection] { [ConfigSection("database", as: DatabaseConfig.self)] }

    private let built: Result<DatabaseClient, Error>
    /// What the payment providers' credentials are read from (opsbot's own, or a test's).
    let environment: [String: String]
    /// What provider deadlines and 429 waits sleep on.
    let clock: any OpsClock

    public init(config: Config, environment: [String: String] = ProcessInfo.processInfo.environment, clock: any OpsClock = SystemClock()) {
        built = Result {
            DatabaseClient(settings: try config.section("database", as: DatabaseConfig.self) ?? DatabaseConfig(), url: config.databaseURL)
        }
        self.environment = environment
        self.clock = clock
        if case .success(let db) = built {
            for p in db.settings.payments.providers.values { p.registerSecrets(environment) }
        }
    }

    /// The client (its pool connects on first use); throws when `database:` is invalid.
    public func client() throws -> DatabaseClient { try built.get() }

    /// The configured payment providers (`database.payments.providers`).
    func providers(_ db: DatabaseClient) -> ProviderDirectory {
        ProviderDirectory(config: db.settings.payments, environment: environment, clock: clock)
    }

    public static func validate(_ config: Config) -> [ConfigError] {
        do {
            let settings = try config.section("database", as: DatabaseConfig.self) ?? DatabaseConfig()
            if let node = config.root?.mapping?.value("database")?.mapping?.value("schema"),
               settings.schema.tables.isEmpty && settings.schema.migrations == nil {
                return [ConfigError(file: config.source, key: "database.schema", message: "has no tables and no migrations: `opsbot check schema` would have nothing to compare (list the tables the code needs, or remove the section)", line: node.mark?.line)]
            }
            if let dir = settings.schema.migrations?.versionsDir {
                do { _ = try AlembicHistory.load(directory: config.resolvePath(dir)) } catch {
                    return [ConfigError(file: config.source, key: "database.schema.migrations.versions_dir", message: "\(error)")]
                }
            }
            return []
        } catch let e as ConfigError {
            return [e]
        } catch {
            return [ConfigError(file: config.source, key: "database", message: "\(error)")]
        }
    }

    /// Why a database command cannot work here (no DATABASE_URL; for /schema, nothing to
    /// compare), nil when it can — or when `database:` is invalid (the command says so).
    func notConfigured(needsSchema: Bool = false) -> String? {
        guard let c = try? client() else { return nil }
        if !c.isConfigured { return DatabaseText.urlNotInEnvironment.text() }
        if needsSchema && c.settings.schema.tables.isEmpty && c.settings.schema.migrations == nil {
            return DatabaseText.schemaListsNothing.text()
        }
        return nil
    }

    public func registerModules(_ r: ModuleRegistry) {
        r.register("schema") { _, _ in SchemaModule(database: self) }
        r.register("payments") { _, _ in PaymentsModule(database: self) }
        r.register("complete") { _, command in
            guard command.confirm else {
                throw ConfigError(file: command.source, key: "confirm", message: "completing a payment writes to the database, so it must be confirm: true")
            }
            return CompleteModule(database: self, commandName: command.name)
        }
        r.register("reverse_duplicate") { _, command in
            guard command.confirm else {
                throw ConfigError(file: command.source, key: "confirm", message: "reversing a double credit writes to the database, so it must be confirm: true")
            }
            return ReverseDuplicateModule(database: self, commandName: command.name)
        }
        r.register("sql") { settings, command in try SQLModule(database: self, settings: settings, command: command) }
    }

    public func registerChecks(_ r: CheckRegistry) {
        r.register(DatabaseCheck(database: self))
        r.register(SchemaCheck(database: self))
        r.register(PaymentsCheck(database: self))
        r.register(PaymentProvidersCheck(database: self))
    }

    public func registerCallbacks(_ r: CallbackRegistry) {
        r.register(prefix: "pay", PaymentsPageHandler(database: self))
    }
}
