import Foundation

/// The built-in commands every opsbot has: /help, /ping, /audit, and the generic `shell`
/// module through which operators add runbook steps without recompiling.
public struct CoreFeature: Feature {
    /// The core's keys (telegram, admins, …) are `ConfigLoader.coreSections`.
    public static var configSections: [ConfigSection] { [] }

    public init() {}

    public func registerModules(_ r: ModuleRegistry) {
        r.register("help") { _, _ in HelpModule() }
        r.register("ping") { _, _ in PingModule() }
        r.register("audit") { _, _ in AuditModule() }
        r.register("shell") { settings, command in try ShellModule(settings: settings, command: command) }
    }
}
