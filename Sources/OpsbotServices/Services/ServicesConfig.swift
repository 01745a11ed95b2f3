import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// A regular expression in the config, compiled (and refused with its key) at load time.
public struct ConfigRegex: Decodable, Sendable, Hashable {
    public var pattern: String
    public var regex: NSRegularExpression
    public init(_ pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: pattern)
    }
    public init(from d: Decoder) throws {
        let c = try d.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(s) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a valid regular expression: \(s)")
        }
    }
    public func matches(_ s: String) -> Bool { regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
    public static func == (a: ConfigRegex, b: ConfigRegex) -> Bool { a.pattern == b.pattern }
    public func hash(into h: inout Hasher) { h.combine(pattern) }
}

/// One health endpoint of a service (several per service: direct and through nginx).
public struct HealthEndpoint: Decodable, Sendable, Hashable {
    public var name: String?
    public var url: String
    public var expect: Int = 200
    public var timeout: Double = 5
    /// Slower than this is reported as slow (platforms restart containers at ~10 s).
    public var slow: Double = 2
    public var unixSocket: String?

    public var label: String { name ?? (URL(string: url)?.path).flatMap { $0.isEmpty ? nil : $0 } ?? url }

    enum CodingKeys: String, CodingKey { case name, url, expect, timeout, slow, unixSocket = "unix_socket" }
    public init(name: String? = nil, url: String, expect: Int = 200, timeout: Double = 5, slow: Double = 2) {
        self.name = name; self.url = url; self.expect = expect; self.timeout = timeout; self.slow = slow
    }
    public init(from d: Decoder) throws {
        if let s = try? d.singleValueContainer().decode(String.self) { self.init(url: s); return }
        let c = try d.container(keyedBy: CodingKeys.self)
        let url = try c.decode(String.self, forKey: .url)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: "expected an http:// or https:// URL")
        }
        let timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 5
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name), url: url,
                  expect: try c.decodeIfPresent(Int.self, forKey: .expect) ?? 200, timeout: timeout,
                  slow: try c.decodeIfPresent(ConfigDuration.self, forKey: .slow)?.seconds ?? min(2, timeout))
        unixSocket = try c.decodeIfPresent(String.self, forKey: .unixSocket)
    }
}

/// A log pattern counted per window (alerts: `log_pattern`).
public struct LogPattern: Decodable, Sendable, Hashable {
    public var name: String
    public var regex: ConfigRegex
    public var window: Double = 900
    /// Count at which the check warns / goes critical.
    public var warn: Int = 1
    public var critical: Int?
    enum CodingKeys: String, CodingKey { case name, regex, window, warn, critical }
    public init(name: String, regex: ConfigRegex, window: Double = 900, warn: Int = 1, critical: Int? = nil) {
        self.name = name; self.regex = regex; self.window = window; self.warn = warn; self.critical = critical
    }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        regex = try c.decode(ConfigRegex.self, forKey: .regex)
        window = try c.decodeIfPresent(ConfigDuration.self, forKey: .window)?.seconds ?? 900
        warn = try c.decodeIfPresent(Int.self, forKey: .warn) ?? 1
        critical = try c.decodeIfPresent(Int.self, forKey: .critical)
    }
}

/// Where a service's environment is read from for `/env`, and the rules it must satisfy.
public struct EnvCheckConfig: Decodable, Sendable, Hashable {
    /// `backend` (systemd Environment, container env, /proc/PID/environ) or `file`.
    public var source: String = "backend"
    public var file: String?
    public var rules: [EnvRule] = []
    enum CodingKeys: String, CodingKey { case source, file, rules }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        file = try c.decodeIfPresent(String.self, forKey: .file)
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? (file == nil ? "backend" : "file")
        guard ["backend", "file"].contains(source) else {
            throw DecodingError.dataCorruptedError(forKey: .source, in: c, debugDescription: "expected backend or file")
        }
        if source == "file" && file == nil {
            throw DecodingError.dataCorruptedError(forKey: .file, in: c, debugDescription: "source file needs file: PATH")
        }
        rules = try c.decodeIfPresent([EnvRule].self, forKey: .rules) ?? []
    }
}

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

/// `service_options:` — settings shared by all services.
public struct ServiceOptions: Decodable, Sendable {
    /// Order for `/restart all` (services not listed follow, in config order).
    public var restartOrder: [String] = []
    public var defaultLines: Int = 50
    public var maxLines: Int = 2000
    /// Env var names whose values are masked in log output (besides secret-shaped strings).
    public var maskEnv: [String] = ["TELEGRAM_BOT_TOKEN", "BOT_TOKEN", "DATABASE_URL", "ENCRYPTION_SECRET", "OPENAI_API_KEY"]
    public var dockerSocket: String = "/var/run/docker.sock"
    public var systemctl: [String] = ["systemctl"]
    public var journalctl: [String] = ["journalctl"]
    public var dockerCLI: [String] = ["docker"]
    /// argv prefix the process backend starts apps with when opsbot runs under systemd, so they
    /// leave opsbot's cgroup; [] starts them as opsbot's children (session of their own).
    public var systemdRun: [String] = ["systemd-run"]
    /// Replies with more log lines than this go out as a file.
    public var attachmentLines: Int = 80
    enum CodingKeys: String, CodingKey {
        case restartOrder = "restart_order", defaultLines = "default_lines", maxLines = "max_lines", maskEnv = "mask_env"
        case dockerSocket = "docker_socket", systemctl, journalctl, dockerCLI = "docker_cli", attachmentLines = "attachment_lines"
        case systemdRun = "systemd_run"
    }
    public init() {}
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        restartOrder = try c.decodeIfPresent([String].self, forKey: .restartOrder) ?? []
        defaultLines = try c.decodeIfPresent(Int.self, forKey: .defaultLines) ?? 50
        maxLines = try c.decodeIfPresent(Int.self, forKey: .maxLines) ?? 2000
        maskEnv = try c.decodeIfPresent([String].self, forKey: .maskEnv) ?? maskEnv
        dockerSocket = try c.decodeIfPresent(String.self, forKey: .dockerSocket) ?? dockerSocket
        systemctl = try c.decodeIfPresent([String].self, forKey: .systemctl) ?? systemctl
        journalctl = try c.decodeIfPresent([String].self, forKey: .journalctl) ?? journalctl
        dockerCLI = try c.decodeIfPresent([String].self, forKey: .dockerCLI) ?? dockerCLI
        systemdRun = try c.decodeIfPresent([String].self, forKey: .systemdRun) ?? systemdRun
        attachmentLines = try c.decodeIfPresent(Int.self, forKey: .attachmentLines) ?? 80
    }
}

/// `disk:` — thresholds and where to look for big directories and logs.
public struct DiskConfig: Decodable, Sendable {
    public var warnPercent: Double = 85
    public var criticalPercent: Double = 95
    public var roots: [String] = ["/var/log", "/var/lib/docker", "/tmp"]
    public var logDirs: [String] = ["/var/log"]
    public var depth: Int = 2
    public var scanTime: Double = 5
    public var top: Int = 8
    public var ignoreMounts: [String] = []
    /// Hysteresis: a disk alert clears only this many points below its threshold.
    public var clearMargin: Double = 5
    public var logGrowth = LogGrowth()
    /// `disk_fill`: warning when a mount will be full within `fill_warn`, critical within
    /// `fill_critical`, at the rate of the last `fill_window` (least squares).
    public var fillWarn: Double = 4 * 3600
    public var fillCritical: Double = 3600
    public var fillWindow: Double = 3600

    /// Seed 003's incident: a log that fills the disk. Each run of the disk check measures the
    /// files and alerts (`log_growth`) when one grows faster than `max_mb_per_hour`.
    public struct LogGrowth: Decodable, Sendable {
        /// Growth above this (MB per hour) alerts; 0 turns the check off.
        public var maxMBPerHour: Double = 200
        /// Files watched besides every service's `log_file`.
        public var files: [String] = []
        enum CodingKeys: String, CodingKey { case maxMBPerHour = "max_mb_per_hour", files }
        public init() {}
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            maxMBPerHour = try c.decodeIfPresent(Double.self, forKey: .maxMBPerHour) ?? maxMBPerHour
            files = try c.decodeIfPresent([String].self, forKey: .files) ?? []
        }
    }

    enum CodingKeys: String, CodingKey {
        case warnPercent = "warn_percent", criticalPercent = "critical_percent", roots, logDirs = "log_dirs", depth
        case scanTime = "scan_time", top, ignoreMounts = "ignore_mounts", logGrowth = "log_growth", clearMargin = "clear_margin"
        case fillWarn = "fill_warn", fillCritical = "fill_critical", fillWindow = "fill_window"
    }
    public init() {}
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        warnPercent = try c.decodeIfPresent(Double.self, forKey: .warnPercent) ?? 85
        criticalPercent = try c.decodeIfPresent(Double.self, forKey: .criticalPercent) ?? 95
        roots = try c.decodeIfPresent([String].self, forKey: .roots) ?? roots
        logDirs = try c.decodeIfPresent([String].self, forKey: .logDirs) ?? logDirs
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? 2
        scanTime = try c.decodeIfPresent(ConfigDuration.self, forKey: .scanTime)?.seconds ?? 5
        top = try c.decodeIfPresent(Int.self, forKey: .top) ?? 8
        ignoreMounts = try c.decodeIfPresent([String].self, forKey: .ignoreMounts) ?? []
        logGrowth = try c.decodeIfPresent(LogGrowth.self, forKey: .logGrowth) ?? LogGrowth()
        clearMargin = try c.decodeIfPresent(Double.self, forKey: .clearMargin) ?? clearMargin
        fillWarn = try c.decodeIfPresent(ConfigDuration.self, forKey: .fillWarn)?.seconds ?? fillWarn
        fillCritical = try c.decodeIfPresent(ConfigDuration.self, forKey: .fillCritical)?.seconds ?? fillCritical
        fillWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .fillWindow)?.seconds ?? fillWindow
        if fillCritical > fillWarn {
            throw DecodingError.dataCorruptedError(forKey: .fillCritical, in: c, debugDescription: "fill_critical must not be longer than fill_warn")
        }
        if fillWindow < 300 {
            throw DecodingError.dataCorruptedError(forKey: .fillWindow, in: c, debugDescription: "fill_window must be at least 5m")
        }
    }
}

/// One entry of `dependencies:` — an external thing the app needs.
public struct DependencyConfig: Decodable, Sendable {
    public var name: String
    public var url: String?
    /// `host:port`
    public var tcp: String?
    public var dns: String?
    public var timeout: Double = 5
    public var expect: Int?
    enum CodingKeys: String, CodingKey { case name, url, tcp, dns, timeout, expect }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        tcp = try c.decodeIfPresent(String.self, forKey: .tcp)
        dns = try c.decodeIfPresent(String.self, forKey: .dns)
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 5
        expect = try c.decodeIfPresent(Int.self, forKey: .expect)
        if [url, tcp, dns].compactMap({ $0 }).count != 1 {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: "give exactly one of url, tcp (host:port) or dns (host name)")
        }
        if let tcp, tcp.split(separator: ":").count < 2 || Int(tcp.split(separator: ":").last ?? "") == nil {
            throw DecodingError.dataCorruptedError(forKey: .tcp, in: c, debugDescription: "expected host:port")
        }
    }
}

/// `target_bot:` — the monitored Telegram bot, checked through its own token.
public struct TargetBotConfig: Decodable, Sendable {
    /// Name of the env var holding the target bot's token (never the token itself).
    public var tokenEnv: String = "TELEGRAM_BOT_TOKEN"
    public var apiURL: String = "https://api.telegram.org"
    /// `polling` (a set webhook is a problem) or `webhook`.
    public var mode: String = "polling"
    public var timeout: Double = 10
    /// The service the bot runs in (for /conflicts).
    public var service: String?
    /// Conflict lines in its log within this window count (409 evidence).
    public var conflictWindow: Double = 900
    public var pendingWarn: Int = 100
    enum CodingKeys: String, CodingKey {
        case tokenEnv = "token_env", apiURL = "api_url", mode, timeout, service, conflictWindow = "conflict_window", pendingWarn = "pending_warn"
    }
    public init() {}
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        tokenEnv = try c.decodeIfPresent(String.self, forKey: .tokenEnv) ?? tokenEnv
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? mode
        guard ["polling", "webhook"].contains(mode) else {
            throw DecodingError.dataCorruptedError(forKey: .mode, in: c, debugDescription: "expected polling or webhook")
        }
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 10
        service = try c.decodeIfPresent(String.self, forKey: .service)
        conflictWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .conflictWindow)?.seconds ?? 900
        pendingWarn = try c.decodeIfPresent(Int.self, forKey: .pendingWarn) ?? 100
    }
}

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
