import Foundation

/// A slice of opsbot (core commands, database, services, alerts, …) built once, as a value,
/// from its typed config: it hands its modules, checks and buttons what they need as stored
/// properties, so nothing looks anything up at run time.
///
/// The type says which config sections it owns (known before any config is read, for strict
/// decoding); the value is built by the composition (`OpsbotApp`'s `FeatureSet`) and rebuilt by
/// a reload.
public protocol Feature: Sendable {
    /// Top-level config keys this feature owns, with their types (e.g.
    /// `ConfigSection("database", as: DatabaseConfig.self)`): decoded once at load, strictly.
    static var configSections: [ConfigSection] { get }
    /// Problems in its config sections, each naming the file and key (`opsbot validate`).
    static func validate(_ config: Config) -> [ConfigError]
    /// Catalog module names (`module: restart`) to factories; each module gets this feature's parts.
    func registerModules(_ registry: ModuleRegistry)
    func registerChecks(_ registry: CheckRegistry)
    /// Inline-button handlers for this feature's own prefixes (e.g. alerts' Acknowledge).
    func registerCallbacks(_ registry: CallbackRegistry)
    /// Binds what needs the running process (the local store, the clock) before anything runs.
    func attach(_ app: AppContext)
    /// Background work while `run` or `console` is up (e.g. the alert scheduler).
    /// Returns when the task is cancelled.
    func runBackground(_ app: AppContext) async
}

extension Feature {
    public static func validate(_ config: Config) -> [ConfigError] { [] }
    public func registerModules(_ registry: ModuleRegistry) {}
    public func registerChecks(_ registry: CheckRegistry) {}
    public func registerCallbacks(_ registry: CallbackRegistry) {}
    public func attach(_ app: AppContext) {}
    public func runBackground(_ app: AppContext) async {}
}

/// The feature values of one config, and what they register: replaced together by a reload.
public struct FeatureWiring: Sendable {
    public let features: [any Feature]
    public let modules: ModuleRegistry
    public let checks: CheckRegistry
    public let callbacks: CallbackRegistry

    public init(_ features: [any Feature]) {
        self.features = features
        modules = ModuleRegistry()
        checks = CheckRegistry()
        callbacks = CallbackRegistry()
        for f in features {
            f.registerModules(modules)
            f.registerChecks(checks)
            f.registerCallbacks(callbacks)
        }
    }

    /// Every feature's background work, as child tasks of the caller, until cancelled.
    public func runBackground(_ app: AppContext) async {
        await withTaskGroup(of: Void.self) { group in
            for f in features { group.addTask { await f.runBackground(app) } }
        }
    }
}
