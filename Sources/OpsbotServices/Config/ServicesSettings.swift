import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// Everything the services feature reads from the config, decoded once.
public struct ServicesSettings: Sendable {
    /// In config order.
    public var services: [ServiceConfig]
    public var options: ServiceOptions
    public var disk: DiskConfig
    public var dependencies: [DependencyConfig]
    public var targetBot: TargetBotConfig?
    /// `hosts:` — machines reached over SSH (name → host).
    public var hosts: [String: HostConfig] = [:]
    /// opsbot's state directory: the SSH client's generated files live under it.
    public var stateDirectory: String = ".state"

    public static let sections: [ConfigSection] = [
        ConfigSection("services", as: [String: ServiceConfig].self),
        ConfigSection("service_options", as: ServiceOptions.self),
        ConfigSection("disk", as: DiskConfig.self),
        ConfigSection("dependencies", as: [DependencyConfig].self),
        ConfigSection("target_bot", as: TargetBotConfig.self),
        ConfigSection("hosts", as: [String: HostConfig].self),
    ]

    /// `${VAR}` in paths and argv, from the environment opsbot runs in (e.g. `${DEMO_DIR}/worker.log`).
    public static func expand(_ s: String, _ env: [String: String]) -> String {
        guard s.contains("${") else { return s }
        var out = s
        while let r = out.range(of: #"\$\{[A-Za-z_][A-Za-z0-9_]*\}"#, options: .regularExpression) {
            let name = String(out[r].dropFirst(2).dropLast())
            out.replaceSubrange(r, with: env[name] ?? "")
        }
        return out
    }

    public static func load(_ config: Config, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> ServicesSettings {
        var services: [ServiceConfig] = []
        let names = config.serviceNames
        if !names.isEmpty {
            let map = try config.section("services", as: [String: ServiceConfig].self) ?? [:]
            for n in names {
                guard var s = map[n] else { continue }
                s.name = n
                func path(_ p: String?) -> String? { p.map { config.resolvePath(expand($0, env)) } }
                s.logFile = path(s.logFile)
                s.pidfile = path(s.pidfile)
                s.workingDirectory = path(s.workingDirectory)
                s.start = s.start?.map { expand($0, env) }
                if let f = s.env?.file { s.env?.file = path(f) }
                s.runEnv = s.runEnv.mapValues { v in if case .file(let f) = v { .file(path(f) ?? f) } else { v } }
                if let f = s.heroku?.token.file { s.heroku?.token.file = path(f) }
                if let f = s.railway?.token.file { s.railway?.token.file = path(f) }
                services.append(s)
            }
        }
        let options = try config.section("service_options", as: ServiceOptions.self) ?? ServiceOptions()
        for n in options.restartOrder where !names.contains(n) {
            throw ConfigError(file: config.source, key: "service_options.restart_order", message: "\"\(n)\" is not a service (known: \(names.joined(separator: ", ")))")
        }
        let target = try config.section("target_bot", as: TargetBotConfig.self)
        if let s = target?.service, !names.contains(s) {
            throw ConfigError(file: config.source, key: "target_bot.service", message: "\"\(s)\" is not a service (known: \(names.joined(separator: ", ")))")
        }
        var hosts = try config.section("hosts", as: [String: HostConfig].self) ?? [:]
        for (name, var h) in hosts {
            guard name.range(of: HostConfig.namePattern, options: .regularExpression) != nil else {
                throw ConfigError(file: config.source, key: "hosts.\(name)", message: "host names are 1–32 of a-z 0-9 _ - (they name files and ssh_config entries)")
            }
            h.name = name
            h.identityFile = h.identityFile.map { config.resolvePath(expand($0, env)) }
            if let j = h.proxyJump, hosts[j] == nil || j == name {
                throw ConfigError(file: config.source, key: "hosts.\(name).proxy_jump", message: "\"\(j)\" is not another entry of hosts: (known: \(hosts.keys.sorted().joined(separator: ", ")))")
            }
            hosts[name] = h
        }
        for s in services {
            if let h = s.host, hosts[h] == nil {
                throw ConfigError(file: config.source, key: "services.\(s.name).host",
                                  message: "\"\(h)\" is not an entry of hosts: (known: \(hosts.keys.sorted().joined(separator: ", ")))")
            }
        }
        var settings = ServicesSettings(services: services, options: options,
                                        disk: try config.section("disk", as: DiskConfig.self) ?? DiskConfig(),
                                        dependencies: try config.section("dependencies", as: [DependencyConfig].self) ?? [],
                                        targetBot: target)
        settings.hosts = hosts
        settings.stateDirectory = config.resolvePath(config.stateDir)
        return settings
    }

    public func service(_ name: String) -> ServiceConfig? { services.first { $0.name == name } }

    /// The service the target bot runs in: `target_bot.service`, else the one marked `bot: true`.
    public var botService: ServiceConfig? {
        if let n = targetBot?.service { return service(n) }
        return services.first { $0.bot }
    }
}
