import Foundation

/// A slice of opsbot (core commands, database, services, alerts) that wires itself in:
/// its config sections, its modules, its checks and any background work.
public protocol Feature: Sendable {
    /// Top-level config keys this feature owns, with their types (e.g.
    /// `ConfigSection("database", as: DatabaseConfig.self)`): decoded once at load, strictly.
    static var configSections: [ConfigSection] { get }
    /// Problems in its config sections, each naming the file and key (`opsbot validate`).
    static func validate(_ config: Config) -> [ConfigError]
    static func registerModules(_ registry: ModuleRegistry)
    static func registerChecks(_ registry: CheckRegistry, config: Config)
    /// Inline-button handlers for this feature's own prefixes (e.g. alerts' Acknowledge).
    static func registerCallbacks(_ registry: CallbackRegistry)
    /// Background work while `run` or `console` is up (e.g. the alert scheduler).
    /// Returns when the task is cancelled.
    static func runBackground(_ app: AppContext) async
}

extension Feature {
    public static func validate(_ config: Config) -> [ConfigError] { [] }
    public static func registerChecks(_ registry: CheckRegistry, config: Config) {}
    public static func registerCallbacks(_ registry: CallbackRegistry) {}
    public static func runBackground(_ app: AppContext) async {}
}
