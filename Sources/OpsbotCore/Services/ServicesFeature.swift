import Foundation

/// Service operations: /status, /logs, /disk and cleanups, /restart, /conflicts, /env, and the
/// checks behind them (for `opsbot check` and the alert engine).
///
/// Config sections: `services` (name → settings), `service_options`, `disk`, `dependencies`,
/// `target_bot` — documented in demo/config-services.yaml; `hosts` (remote hosts over SSH) in
/// opsbot.example.yaml.
public enum ServicesFeature: Feature {
    public static var configSections: [ConfigSection] { ServicesSettings.sections }

    public static func validate(_ config: Config) -> [ConfigError] {
        let settings: ServicesSettings
        do { settings = try ServicesSettings.load(config) } catch let e as ConfigError { return [e] } catch {
            return [ConfigError(file: config.source, key: "services", message: "\(error)")]
        }
        if !settings.hosts.isEmpty && !SSHClient.clientInstalled() {
            return [ConfigError(file: config.source, key: "hosts", message: "the OpenSSH client (ssh) is not on PATH; install openssh-client")]
        }
        return []
    }

    public static func registerModules(_ r: ModuleRegistry) {
        r.register("status") { _, _ in StatusModule() }
        r.register("logs") { _, _ in LogsModule() }
        r.register("restart") { _, _ in RestartModule() }
        r.register("disk") { _, _ in DiskModule() }
        r.register("disk_cleanup") { settings, command in try CleanupModule(settings: settings, command: command, config: nil) }
        r.register("docker_prune") { _, _ in DockerPruneModule() }
        r.register("conflicts") { _, _ in ConflictsModule() }
        r.register("env") { _, _ in EnvModule() }
        r.register("scale") { _, _ in ScaleModule() }
        r.register("redeploy") { _, _ in RedeployModule() }
    }

    /// Samples every service once a minute while opsbot runs, so that /status can show the
    /// memory trend and restarts in the last hour even when no alert rule polls `services`.
    public static func runBackground(_ app: AppContext) async {
        guard let m = try? ServiceManager.shared(app), !m.settings.services.isEmpty else { return }
        while !Task.isCancelled {
            _ = await StatusCollector.collect(m, parts: .services, clock: app.clock)
            try? await app.clock.sleep(for: .seconds(60))
        }
        // Stopping: close the SSH master connections rather than leave them for control_persist.
        if let ssh = m.ssh {
            await withTaskGroup(of: Void.self) { g in for h in ssh.hosts.keys { g.addTask { await ssh.closeMaster(h) } } }
        }
    }

    public static func registerChecks(_ registry: CheckRegistry, config: Config) {
        registry.register(ServicesCheckProvider(name: "services", parts: .services))
        registry.register(ServicesCheckProvider(name: "health", parts: .health))
        registry.register(ServicesCheckProvider(name: "disk", parts: .disk))
        registry.register(ServicesCheckProvider(name: "dependencies", parts: .dependencies))
        registry.register(ServicesCheckProvider(name: "target_bot", parts: .targetBot))
        registry.register(ServicesCheckProvider(name: "logs", parts: .logs))
        registry.register(EnvCheck())
    }
}

/// One slice of the status collector as a named check group (`opsbot check health`).
public struct ServicesCheckProvider: CheckProvider {
    public let name: String
    let parts: StatusCollector.Parts

    public var emits: [String] {
        var out: [String] = []
        if parts.contains(.services) { out += ["service_down", "instances", "restart_loop", "memory_growth"] }
        if parts.contains(.health) { out += ["health", "health_slow"] }
        if parts.contains(.disk) { out += ["disk", "log_growth"] }
        if parts.contains(.dependencies) { out += ["dependency"] }
        if parts.contains(.targetBot) { out += ["target_bot", "webhook"] }
        if parts.contains(.logs) { out += ["log_pattern", "heartbeat"] }
        return out
    }

    public func run(_ app: AppContext) async -> [CheckResult] {
        let m: ServiceManager
        do { m = try ServiceManager.shared(app) } catch {
            return [CheckResult(check: name, target: "config", status: .unknown, summary: "services config invalid: \(error)")]
        }
        if parts == .targetBot && m.settings.targetBot == nil { return [] }
        return await StatusCollector.collect(m, parts: parts, clock: app.clock).checks
    }
}
