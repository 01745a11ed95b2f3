import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// One monitored service (a value of the `services:` mapping; its key is the name).
public struct ServiceConfig: Decodable, Sendable {
    public enum Backend: String, Decodable, Sendable, CaseIterable {
        case systemd, docker, process, command, heroku, railway
        /// Set by `host:`: the service is served by `opsbot remote` on that host.
        case remote

        public init(from d: Decoder) throws {
            let s = try d.singleValueContainer().decode(String.self)
            guard let v = Backend(rawValue: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: d.codingPath, debugDescription:
                    "unknown backend \"\(s)\" (one of \(Backend.allCases.filter { $0 != .remote }.map(\.rawValue).joined(separator: ", ")))"))
            }
            self = v
        }
    }
    public var name: String = ""
    public var backend: Backend
    // systemd
    public var unit: String?
    // docker
    public var container: String?
    public var composeService: String?
    public var composeProject: String?
    // process
    public var match: ConfigRegex?
    public var pidfile: String?
    public var start: [String]?
    public var workingDirectory: String?
    /// The account the service runs as (name or uid): `match` counts only its processes.
    public var user: String?
    public var stopTimeout: Double = 10
    // command
    public var statusCommand: [String]?
    public var runningPattern: ConfigRegex?
    public var logsCommand: [String]?
    public var restartCommand: [String]?
    /// Prints one line per running copy (`fly machines list`, `render ps`): without it the
    /// command backend says "instances: unknown", never 0.
    public var instancesCommand: [String]?
    /// Prints the app's environment as NAME=value lines, for `/env` (values are never shown).
    public var envCommand: [String]?
    public var commandTimeout: Double = 30
    // remote (`host:`): the entry of `hosts:` it runs on, and its name in that host's config
    public var host: String?
    public var remoteService: String?
    // heroku / railway
    public var heroku: HerokuServiceConfig?
    public var railway: RailwayServiceConfig?
    // common
    public var logFile: String?
    public var health: [HealthEndpoint] = []
    public var startupMarker: ConfigRegex?
    public var heartbeatMarker: ConfigRegex?
    public var heartbeatMaxAge: Double = 600
    /// Health and heartbeat alerts wait until the service has been up this long (from its own
    /// start time; not in a restart loop): a reboot with a slow web does not page.
    public var startupGrace: Double = 60
    public var logPatterns: [LogPattern] = []
    /// The target bot runs here: more than one instance is a 409 risk.
    public var bot: Bool = false
    public var maxInstances: Int = 1
    public var restartWait: Double = 60
    /// After a restart the service must stay running this long (a crash right after start fails).
    public var restartSettle: Double = 2
    public var restartLoop: Int = 5
    /// MB per hour of steady growth that counts as a leak.
    public var memoryGrowthMBPerHour: Double = 50
    public var env: EnvCheckConfig?
    /// Variables the commands opsbot runs for this service get (command backend's commands,
    /// process backend's `start`), besides PATH, LANG, HOME, TZ: a value or `{file: PATH}`.
    public var runEnv: [String: ChildEnvValue] = [:]

    /// The environment of this service's commands; a secret file that cannot be read is an error.
    public func childEnvironment() throws -> [String: String] {
        ProcessRunner.childEnvironment(try ChildEnvValue.resolve(runEnv, source: "services.\(name).run_env"))
    }

    enum CodingKeys: String, CodingKey {
        case backend, unit, container, composeService = "compose_service", composeProject = "compose_project"
        case match, pidfile, start, workingDirectory = "working_directory", user, stopTimeout = "stop_timeout"
        case statusCommand = "status_command", runningPattern = "running_pattern", logsCommand = "logs_command"
        case restartCommand = "restart_command", commandTimeout = "command_timeout"
        case instancesCommand = "instances_command", envCommand = "env_command", heroku, railway
        case logFile = "log_file", health, startupMarker = "startup_marker", heartbeatMarker = "heartbeat_marker"
        case heartbeatMaxAge = "heartbeat_max_age", startupGrace = "startup_grace", logPatterns = "log_patterns", bot, maxInstances = "max_instances"
        case restartWait = "restart_wait", restartSettle = "restart_settle", restartLoop = "restart_loop", memoryGrowthMBPerHour = "memory_growth_mb_per_hour", env
        case runEnv = "run_env"
        case host, remoteService = "remote_service"
    }

    /// The name shown in replies: `worker@web1` for a service on another host.
    public var displayName: String { host.map { "\(name)@\($0)" } ?? name }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        remoteService = try c.decodeIfPresent(String.self, forKey: .remoteService)
        if let rs = remoteService, rs.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"#, options: .regularExpression) == nil {
            throw DecodingError.dataCorruptedError(forKey: .remoteService, in: c, debugDescription: "expected a service name (letters, digits, _ . -)")
        }
        if host != nil {
            // The remote host's own config says how the service runs there.
            if let b = try c.decodeIfPresent(Backend.self, forKey: .backend), b != .remote {
                throw DecodingError.dataCorruptedError(forKey: .backend, in: c, debugDescription:
                    "a service with host: is run by that host's own config (opsbot remote); remove backend: here or set it to remote")
            }
            backend = .remote
        } else {
            if remoteService != nil {
                throw DecodingError.dataCorruptedError(forKey: .remoteService, in: c, debugDescription: "remote_service needs host:")
            }
            backend = try c.decode(Backend.self, forKey: .backend)
        }
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        container = try c.decodeIfPresent(String.self, forKey: .container)
        composeService = try c.decodeIfPresent(String.self, forKey: .composeService)
        composeProject = try c.decodeIfPresent(String.self, forKey: .composeProject)
        match = try c.decodeIfPresent(ConfigRegex.self, forKey: .match)
        pidfile = try c.decodeIfPresent(String.self, forKey: .pidfile)
        start = try c.decodeIfPresent([String].self, forKey: .start)
        workingDirectory = try c.decodeIfPresent(String.self, forKey: .workingDirectory)
        user = try c.decodeIfPresent(String.self, forKey: .user)
        stopTimeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .stopTimeout)?.seconds ?? 10
        statusCommand = try c.decodeIfPresent([String].self, forKey: .statusCommand)
        runningPattern = try c.decodeIfPresent(ConfigRegex.self, forKey: .runningPattern)
        logsCommand = try c.decodeIfPresent([String].self, forKey: .logsCommand)
        restartCommand = try c.decodeIfPresent([String].self, forKey: .restartCommand)
        instancesCommand = try c.decodeIfPresent([String].self, forKey: .instancesCommand)
        envCommand = try c.decodeIfPresent([String].self, forKey: .envCommand)
        commandTimeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .commandTimeout)?.seconds ?? 30
        heroku = try c.decodeIfPresent(HerokuServiceConfig.self, forKey: .heroku)
        railway = try c.decodeIfPresent(RailwayServiceConfig.self, forKey: .railway)
        logFile = try c.decodeIfPresent(String.self, forKey: .logFile)
        health = try c.decodeIfPresent([HealthEndpoint].self, forKey: .health) ?? []
        startupMarker = try c.decodeIfPresent(ConfigRegex.self, forKey: .startupMarker)
        heartbeatMarker = try c.decodeIfPresent(ConfigRegex.self, forKey: .heartbeatMarker)
        heartbeatMaxAge = try c.decodeIfPresent(ConfigDuration.self, forKey: .heartbeatMaxAge)?.seconds ?? 600
        startupGrace = try c.decodeIfPresent(ConfigDuration.self, forKey: .startupGrace)?.seconds ?? 60
        logPatterns = try c.decodeIfPresent([LogPattern].self, forKey: .logPatterns) ?? []
        bot = try c.decodeIfPresent(Bool.self, forKey: .bot) ?? false
        maxInstances = try c.decodeIfPresent(Int.self, forKey: .maxInstances) ?? 1
        restartWait = try c.decodeIfPresent(ConfigDuration.self, forKey: .restartWait)?.seconds ?? 60
        restartSettle = try c.decodeIfPresent(ConfigDuration.self, forKey: .restartSettle)?.seconds ?? 2
        restartLoop = try c.decodeIfPresent(Int.self, forKey: .restartLoop) ?? 5
        memoryGrowthMBPerHour = try c.decodeIfPresent(Double.self, forKey: .memoryGrowthMBPerHour) ?? 50
        env = try c.decodeIfPresent(EnvCheckConfig.self, forKey: .env)
        runEnv = try c.decodeIfPresent([String: ChildEnvValue].self, forKey: .runEnv) ?? [:]

        func need(_ ok: Bool, _ key: CodingKeys, _ why: String) throws {
            if !ok { throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: why)) }
        }
        switch backend {
        case .systemd: try need(unit != nil, .unit, "the systemd backend needs unit")
        case .docker: try need(container != nil || composeService != nil, .container, "the docker backend needs container or compose_service")
        case .process: try need(match != nil || pidfile != nil, .match, "the process backend needs match or pidfile")
        case .command: try need(statusCommand != nil, .statusCommand, "the command backend needs status_command")
        case .remote: try need(host != nil, .host, "the remote backend needs host: (an entry of hosts:)")
        case .heroku: try need(heroku != nil, .heroku, "the heroku backend needs heroku: {app: NAME}")
        case .railway: try need(railway != nil, .railway, "the railway backend needs railway: {project_id, environment_id, service_id}")
        }
        if heroku != nil && backend != .heroku {
            throw DecodingError.dataCorruptedError(forKey: .heroku, in: c, debugDescription: "heroku: is only read with backend: heroku")
        }
        if railway != nil && backend != .railway {
            throw DecodingError.dataCorruptedError(forKey: .railway, in: c, debugDescription: "railway: is only read with backend: railway")
        }
    }
}
