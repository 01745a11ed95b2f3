// OpsbotServices — the services feature: backends (systemd, docker, process, command, Heroku,
// Railway, remote hosts over SSH), the status collector and probes, /status /logs /disk
// /restart /conflicts /env /scale /redeploy and their checks. Depends on OpsbotCore only
// (alert counts for /status arrive as a closure).

import Foundation
import OpsbotCore
import OpsbotSupport
import SystemOps

/// Service operations: /status, /logs, /disk and cleanups, /restart, /conflicts, /env, and the
/// checks behind them (for `opsbot check` and the alert engine).
///
/// Config sections: `services` (name → settings), `service_options`, `disk`, `dependencies`,
/// `target_bot` — documented in demo/config-services.yaml; `hosts` (remote hosts over SSH) in
/// opsbot.example.yaml.
public struct ServicesFeature: Feature {
    public static var configSections: [ConfigSection] { ServicesSettings.sections }

    /// One manager per config: backends, restart claims and the sample history live in it.
    private let built: Result<ServiceManager, Error>
    /// Firing and muted alert counts for `/status` (from the alerts feature, when there is one).
    let alertCounts: @Sendable () -> (firing: Int, muted: Int)?

    /// `environment`: what the backends see (opsbot's own, or a test's).
    public init(config: Config, environment: [String: String] = ProcessInfo.processInfo.environment,
                clock: any OpsClock = SystemClock(),
                alertCounts: @escaping @Sendable () -> (firing: Int, muted: Int)? = { nil }) {
        built = Result { ServiceManager(settings: try ServicesSettings.load(config, environment: environment), environment: environment, clock: clock) }
        self.alertCounts = alertCounts
    }

    /// The manager; throws the config problem when `services:` is invalid.
    public func manager() throws -> ServiceManager { try built.get() }

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

    /// Every `match:` that also catches processes not the service's (another user's, another
    /// unit's) or cannot tell them apart, as read from /proc now: `opsbot validate` prints them.
    public func matchWarnings() async -> [String] {
        guard let m = try? manager() else { return [] }
        var out: [String] = []
        for s in m.settings.services where s.match != nil && (s.backend == .process || s.backend == .systemd) {
            if let w = await m.backend(s.name)?.status().matchWarning { out.append("services.\(s.name).match: " + w) }
        }
        return out
    }

    public func registerModules(_ r: ModuleRegistry) {
        r.register("status") { _, _ in StatusModule(services: self) }
        r.register("logs") { _, _ in LogsModule(services: self) }
        r.register("restart") { _, _ in RestartModule(services: self) }
        r.register("disk") { _, _ in DiskModule(services: self) }
        r.register("disk_cleanup") { settings, command in try CleanupModule(settings: settings, command: command, config: nil) }
        r.register("docker_prune") { _, _ in DockerPruneModule(services: self) }
        r.register("conflicts") { _, _ in ConflictsModule(services: self) }
        r.register("env") { _, _ in EnvModule(services: self) }
        r.register("scale") { _, _ in ScaleModule(services: self) }
        r.register("redeploy") { _, _ in RedeployModule(services: self) }
    }

    /// The log growth samples live in the local store: a restart keeps the rate (and its alert).
    public func attach(_ app: AppContext) {
        guard let m = try? manager() else { return }
        let store = app.store
        m.keepLogGrowth(try? store.value(Self.logGrowthKey)) { json in
            do { try store.setValue(json, for: Self.logGrowthKey) } catch { Log.warning("services: cannot save the log growth samples: \(error)") }
        }
    }

    static let logGrowthKey = "services.log_growth"

    /// Samples every service once a minute while opsbot runs, so that /status can show the
    /// memory trend and restarts in the last hour even when no alert rule polls `services`.
    public func runBackground(_ app: AppContext) async {
        guard let m = try? manager() else { return }
        while !Task.isCancelled {
            // Disk usage goes into the history every minute too, for /graph and `disk_fill`, even
            // when no alert rule polls `disk` (statvfs only: the checks are the alert loop's).
            if !m.settings.services.isEmpty { _ = await StatusCollector.collect(m, parts: .services, clock: app.clock, history: app.store.history) }
            let ignore = m.settings.disk.ignoreMounts
            if let d = await withDeadline(.seconds(3), fallback: nil, { await runBlocking(name: "opsbot.statvfs") { Optional(DiskUsage.mounts(ignore: ignore)) } }) {
                StatusCollector.record(StatusReport(disk: d), history: app.store.history, now: app.clock.now())
            }
            try? await app.clock.sleep(for: .seconds(60))
        }
        // Stopping: close the SSH master connections rather than leave them for control_persist.
        if let ssh = m.ssh {
            await withTaskGroup(of: Void.self) { g in for h in ssh.hosts.keys { g.addTask { await ssh.closeMaster(h) } } }
        }
    }

    public func registerChecks(_ registry: CheckRegistry) {
        registry.register(ServicesCheckProvider(services: self, name: "services", parts: .services))
        registry.register(ServicesCheckProvider(services: self, name: "health", parts: .health))
        registry.register(ServicesCheckProvider(services: self, name: "disk", parts: .disk))
        registry.register(ServicesCheckProvider(services: self, name: "dependencies", parts: .dependencies))
        registry.register(ServicesCheckProvider(services: self, name: "target_bot", parts: .targetBot))
        registry.register(ServicesCheckProvider(services: self, name: "logs", parts: .logs))
        registry.register(EnvCheck(services: self))
    }
}

/// One slice of the status collector as a named check group (`opsbot check health`).
public struct ServicesCheckProvider: CheckProvider {
    let services: ServicesFeature
    public let name: String
    let parts: StatusCollector.Parts

    public var emits: [String] {
        var out: [String] = []
        if parts.contains(.services) { out += ["service_down", "instances", "restart_loop", "memory_growth"] }
        if parts.contains(.health) { out += ["health", "health_slow"] }
        if parts.contains(.disk) { out += ["disk", "log_growth", "disk_fill"] }
        if parts.contains(.dependencies) { out += ["dependency"] }
        if parts.contains(.targetBot) { out += ["target_bot", "webhook"] }
        if parts.contains(.logs) { out += ["log_pattern", "heartbeat"] }
        return out
    }

    public func run(_ app: AppContext) async -> [CheckResult] {
        let m: ServiceManager
        do { m = try services.manager() } catch {
            return [CheckResult(check: name, target: "config", status: .unknown, message: StatusText.configInvalid(error: StatusText.errorText(error)))]
        }
        if parts == .targetBot && m.settings.targetBot == nil { return [] }
        return await StatusCollector.collect(m, parts: parts, clock: app.clock, history: app.store.history).checks
    }
}
