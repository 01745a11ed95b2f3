import Foundation

/// The app's PostgreSQL: `/schema` (the deploy gate), `/payments`, `/complete`, the generic
/// `sql` runbook module, and the `database`, `schema` and `payments` checks. Settings live in
/// the `database:` config section (documented in demo/config-database.yaml); the connection
/// string only ever comes from DATABASE_URL.
public enum DatabaseFeature: Feature {
    public static var configSections: [ConfigSection] { [ConfigSection("database", as: DatabaseConfig.self)] }

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

    public static func registerModules(_ r: ModuleRegistry) {
        r.register("schema") { _, _ in SchemaModule() }
        r.register("payments") { _, _ in PaymentsModule() }
        r.register("complete") { _, command in
            guard command.confirm else {
                throw ConfigError(file: command.source, key: "confirm", message: "completing a payment writes to the database, so it must be confirm: true")
            }
            return CompleteModule(commandName: command.name)
        }
        r.register("reverse_duplicate") { _, command in
            guard command.confirm else {
                throw ConfigError(file: command.source, key: "confirm", message: "reversing a double credit writes to the database, so it must be confirm: true")
            }
            return ReverseDuplicateModule(commandName: command.name)
        }
        r.register("sql") { settings, command in try SQLModule(settings: settings, command: command) }
    }

    public static func registerChecks(_ r: CheckRegistry, config: Config) {
        r.register(DatabaseCheck())
        r.register(SchemaCheck())
        r.register(PaymentsCheck())
    }

    public static func registerCallbacks(_ r: CallbackRegistry) {
        r.register(prefix: "pay", PaymentsPageHandler())
    }
}
