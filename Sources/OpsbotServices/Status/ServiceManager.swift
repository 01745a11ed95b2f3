import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// The services feature's shared state: decoded settings, one backend per service, which
/// services are being restarted right now, and a short history of samples (memory trend,
/// restarts in the last hour). One per config, held by `ServicesFeature`.
public final class ServiceManager: Sendable {
    public let settings: ServicesSettings
    public let environment: [String: String]
    private let backends: [String: ServiceBackend]
    /// The SSH client for services on other hosts (nil when `hosts:` is empty).
    public let ssh: SSHClient?
    /// What restart verification and the platform APIs' rate-limit waits sleep on.
    public let clock: any OpsClock
    private let restarting = Locked<Set<String>>([])
    private let history = Locked<[String: [Sample]]>([:])
    private let fillLevelState = Locked<[String: CheckResult.Status]>([:])

    struct Sample { var time: Date; var memory: Int?; var counter: Int?; var startedAt: Date? }

    public init(settings: ServicesSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
                backends: [String: ServiceBackend]? = nil, clock: any OpsClock = SystemClock()) {
        self.settings = settings
        self.clock = clock
        self.environment = environment
        let client = settings.hosts.isEmpty ? nil : SSHClient(hosts: settings.hosts, stateDirectory: settings.stateDirectory)
        ssh = client
        var b: [String: ServiceBackend] = [:]
        for s in settings.services {
            b[s.name] = backends?[s.name] ?? ServiceManager.makeBackend(s, options: settings.options, environment: environment, client: client, clock: clock)
        }
        self.backends = b
        for name in settings.options.maskEnv { if let v = environment[name] { Redactor.shared.register(v) } }
        // Platform tokens are secrets from the start, before any request could print one.
        for s in settings.services {
            for t in [s.heroku?.token, s.railway?.token].compactMap({ $0 }) {
                _ = try? t.read(environment)
                if t.file == nil { ProcessRunner.withheldVariables.withLock { _ = $0.insert(t.env) } }
            }
        }
    }

    static func makeBackend(_ s: ServiceConfig, options: ServiceOptions, environment: [String: String], client: SSHClient?,
                            clock: any OpsClock = SystemClock()) -> ServiceBackend {
        if let host = s.host, let client { return RemoteBackend(config: s, host: host, client: client) }
        return switch s.backend {
        case .systemd: SystemdBackend(config: s, options: options)
        case .docker: DockerBackend(config: s, options: options)
        case .process: ProcessBackend(config: s, options: options, underSystemd: TransientUnit.underSystemd(environment: environment))
        case .command: CommandBackend(config: s)
        case .heroku: HerokuBackend(config: s, environment: environment, clock: clock)
        case .railway: RailwayBackend(config: s, environment: environment, clock: clock)
        case .remote: UnavailableBackend(config: s, reason: "\(s.name) names host \(s.host ?? "?") but no SSH client is configured")
        }
    }

    public func backend(_ name: String) -> ServiceBackend? { backends[name] }

    /// Services in `/restart all` order: `restart_order` first, then the rest in config order.
    public var restartOrder: [String] {
        let names = settings.services.map(\.name)
        return settings.options.restartOrder + names.filter { !settings.options.restartOrder.contains($0) }
    }

    /// Claims the service for a restart; false when one is already running.
    public func beginRestart(_ name: String) -> Bool { restarting.withLock { $0.insert(name).inserted } }
    public func endRestart(_ name: String) { restarting.withLock { _ = $0.remove(name) } }
    public func isRestarting(_ name: String) -> Bool { restarting.current.contains(name) }

    /// After a fix a service's windowed log alerts count only lines from then on, so they
    /// resolve once the fresh window stays clean: a `/restart` starts every pattern's window of
    /// the service afresh, a `/conflicts` fix only the pattern it fixed (`pattern: "conflict"`).
    private let logWindowStarts = Locked<[String: Date]>([:])
    public func startFreshLogWindow(_ name: String, pattern: String? = nil, at date: Date = Date()) {
        logWindowStarts.withLock { $0[pattern.map { "\(name)\u{1F}\($0)" } ?? name] = date }
    }
    /// Where the pattern's window starts afresh (the later of the service's and the pattern's
    /// own fix); `pattern` nil: the service's.
    public func logWindowStart(_ name: String, pattern: String? = nil) -> Date? {
        let d = logWindowStarts.current
        let own = pattern.flatMap { d["\(name)\u{1F}\($0)"] }
        return [d[name], own].compactMap { $0 }.max()
    }

    /// Each mount's disk level from the previous check, for hysteresis.
    private let diskLevelState = Locked<[String: CheckResult.Status]>([:])
    public func diskLevels(_ mounts: [String]) -> [String: CheckResult.Status] { diskLevelState.current.filter { mounts.contains($0.key) } }
    /// `disk_fill`'s level per mount last time (its hysteresis).
    public func fillLevels(_ mounts: [String]) -> [String: CheckResult.Status] { fillLevelState.current.filter { mounts.contains($0.key) } }
    public func recordFillLevels(_ levels: [String: CheckResult.Status]) { fillLevelState.withLock { $0.merge(levels) { $1 } } }
    public func recordDiskLevels(_ levels: [String: CheckResult.Status]) { diskLevelState.withLock { $0.merge(levels) { $1 } } }

    /// A log file's size at the previous disk check, and the rate measured then.
    struct LogSize: Codable, Sendable { var bytes: Int64; var at: Date; var rate: Double? }
    /// Log file sizes seen by the previous disk check, for the growth rate; kept in the local
    /// store (`keepLogGrowth`) so that a restart neither forgets a rate nor resolves its alert.
    private let logSizes = Locked<[String: LogSize]>([:])
    private let logSizesSink = Locked<(@Sendable (String) -> Void)?>(nil)

    /// Bytes per hour since the previous sample (nil on the first, or after a truncation: not
    /// known yet). A sample under a second after the previous one repeats the rate known then.
    public func logGrowth(_ path: String, bytes: Int64, at now: Date) -> Double? {
        let (rate, json) = logSizes.withLock { d -> (Double?, String?) in
            if let prev = d[path], bytes >= prev.bytes, now.timeIntervalSince(prev.at) < 1 { return (prev.rate, nil) }
            var rate: Double?
            if let prev = d[path], bytes >= prev.bytes { rate = Double(bytes - prev.bytes) / now.timeIntervalSince(prev.at) * 3600 }
            d[path] = LogSize(bytes: bytes, at: now, rate: rate)
            return (rate, (try? JSONEncoder().encode(d)).map { String(decoding: $0, as: UTF8.self) })
        }
        if let json, let sink = logSizesSink.current { sink(json) }
        return rate
    }

    /// Restores the samples a previous run saved (`json`) and saves each new one through `save`.
    public func keepLogGrowth(_ json: String?, save: @escaping @Sendable (String) -> Void) {
        if let json, let d = try? JSONDecoder().decode([String: LogSize].self, from: Data(json.utf8)) {
            logSizes.withLock { $0.merge(d) { current, _ in current } }
        }
        logSizesSink.withLock { $0 = save }
    }

    /// Masks secret-shaped strings and the values of the env vars in `mask_env`.
    public func mask(_ text: String) -> String {
        var out = text
        for name in settings.options.maskEnv {
            if let v = environment[name], v.count >= 4 { out = out.replacingOccurrences(of: v, with: "[\(name)]") }
        }
        return Redactor.shared.redact(out)
    }

    // MARK: - History

    public func record(_ name: String, _ s: ServiceStatus, at now: Date) {
        history.withLock { h in
            var list = h[name] ?? []
            list.append(Sample(time: now, memory: s.memoryBytes, counter: s.restartCounter, startedAt: s.startedAt))
            list.removeAll { now.timeIntervalSince($0.time) > 7200 }
            if list.count > 720 { list.removeFirst(list.count - 720) }
            h[name] = list
        }
    }

    /// The start time in the newest sample of `name` (a later one means it restarted since).
    public func lastStartedAt(_ name: String) -> Date? { history.withLock { $0[name]?.last?.startedAt } }

    /// Restarts within the last hour, when enough history exists to say (nil otherwise).
    public func restartsLastHour(_ name: String, now: Date) -> Int? {
        let list = history.withLock { $0[name] ?? [] }.filter { now.timeIntervalSince($0.time) <= 3600 }
        guard let first = list.first, let last = list.last, last.time.timeIntervalSince(first.time) >= 60 else { return nil }
        if let a = first.counter, let b = last.counter { return max(0, b - a) }
        var starts = Set<Date>()
        for s in list { if let d = s.startedAt { starts.insert(d) } }
        return max(0, starts.count - 1)
    }

    /// Memory growth in MB per hour over the history (least squares), when it spans ≥ 10 min.
    public func memoryTrend(_ name: String, now: Date) -> (mbPerHour: Double, span: Double)? {
        let pts = history.withLock { $0[name] ?? [] }.compactMap { s in s.memory.map { (s.time.timeIntervalSince(now) / 3600, Double($0) / 1e6) } }
        guard pts.count >= 3, let f = pts.first, let l = pts.last, (l.0 - f.0) * 3600 >= 600 else { return nil }
        let n = Double(pts.count)
        let mx = pts.reduce(0) { $0 + $1.0 } / n, my = pts.reduce(0) { $0 + $1.1 } / n
        let num = pts.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let den = pts.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard den > 0 else { return nil }
        return (num / den, (l.0 - f.0) * 3600)
    }
}
