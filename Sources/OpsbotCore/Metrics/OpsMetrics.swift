import CoreMetrics
import Foundation
import Prometheus
import SystemOps
import TelegramBotAPI

/// opsbot's metrics, recorded through swift-metrics and rendered by swift-prometheus for
/// `GET /metrics`. Labels are low-cardinality only (method, result, command name from the
/// catalog, provider, severity) — never ids or free text. Tests swap `current` for
/// MetricsTestKit's `TestMetrics`.
public final class OpsMetrics: Sendable {
    public let factory: any MetricsFactory
    /// Set when the factory is Prometheus's: what `/metrics` renders.
    public let registry: PrometheusCollectorRegistry?
    private let cpuSeen = Locked<Double>(0)

    public init(factory: any MetricsFactory, registry: PrometheusCollectorRegistry? = nil) {
        self.factory = factory
        self.registry = registry
    }

    public static func prometheus() -> OpsMetrics {
        let registry = PrometheusCollectorRegistry()
        return OpsMetrics(factory: PrometheusMetricsFactory(registry: registry), registry: registry)
    }

    private static let installed = Locked<OpsMetrics>(OpsMetrics.prometheus())
    /// The process's metrics (a Prometheus registry unless a test installed another, or
    /// scoped one to its own task with `$scoped.withValue`, so parallel tests do not share counts).
    public static var current: OpsMetrics { scoped ?? installed.current }
    @TaskLocal public static var scoped: OpsMetrics?
    public static func install(_ m: OpsMetrics) { installed.withLock { $0 = m } }

    // MARK: recording

    func count(_ label: String, _ dims: [(String, String)] = [], by n: Int64 = 1) {
        Counter(label: label, dimensions: dims, factory: factory).increment(by: n)
    }
    public func gauge(_ label: String, _ dims: [(String, String)], _ v: Double) {
        Gauge(label: label, dimensions: dims, factory: factory).record(v)
    }

    /// A `BotAPI` observer that counts its requests into `current` (`opsbot run`'s client).
    public static let botAPIObserver: @Sendable (_ method: String, _ result: String) -> Void = { method, result in
        OpsMetrics.current.telegramRequest(method: method, result: result)
    }

    public func telegramRequest(method: String, result: String) {
        count("opsbot_telegram_requests_total", [("method", Self.safe(method)), ("result", result)])
    }
    public func updateReceived(at: Date) {
        count("opsbot_telegram_updates_total")
        gauge("opsbot_telegram_last_update_timestamp_seconds", [], at.timeIntervalSince1970)
    }
    /// `name` must be a catalog command name or `unknown`.
    public func command(_ name: String, outcome: String, seconds: Double) {
        count("opsbot_commands_total", [("command", Self.safe(name)), ("outcome", outcome)])
        Timer(label: "opsbot_command_duration_seconds", dimensions: [("command", Self.safe(name))], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }
    public func check(provider: String, seconds: Double?) {
        if let seconds {
            Timer(label: "opsbot_check_duration_seconds", dimensions: [("provider", Self.safe(provider))], factory: factory)
                .recordNanoseconds(Int64(seconds * 1e9))
        } else {
            count("opsbot_check_timeouts_total", [("provider", Self.safe(provider))])
        }
    }
    public func confirmation(outcome: String) { count("opsbot_confirmations_total", [("outcome", outcome)]) }
    public func alertmanagerPoll(ok: Bool) { count("opsbot_alertmanager_polls_total", [("result", ok ? "ok" : "error")]) }
    public func webhook(result: String) { count("opsbot_alertmanager_webhooks_total", [("result", result)]) }

    /// Label values from code are already low-cardinality; this keeps them label-safe too.
    static func safe(_ s: String) -> String {
        let t = s.prefix(40).map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        return t.isEmpty ? "unknown" : String(t)
    }

    // MARK: scrape

    /// Gauges read at scrape time (the process; features set theirs before), then the Prometheus text.
    public func render(_ app: AppContext?) -> String {
        gauge("opsbot_build_info", [("version", OpsbotVersion.string)], 1)
        gauge("opsbot_start_time_seconds", [], app?.startedAt.timeIntervalSince1970 ?? 0)
        if let last = app?.pollingHealth.lastSuccess { gauge("opsbot_telegram_last_poll_success_timestamp_seconds", [], last.timeIntervalSince1970) }
        let p = ProcessStats.read()
        gauge("opsbot_process_resident_memory_bytes", [], p.rssBytes)
        gauge("opsbot_process_open_fds", [], p.openFDs)
        let delta = cpuSeen.withLock { seen -> Double in
            let d = max(0, p.cpuSeconds - seen)
            seen = p.cpuSeconds
            return d
        }
        FloatingPointCounter(label: "opsbot_process_cpu_seconds_total", dimensions: [], factory: factory).increment(by: delta)
        guard let registry else { return "" }
        var out: [UInt8] = []
        registry.emit(into: &out)
        return Self.withHelp(String(decoding: out, as: UTF8.self))
    }

    /// swift-metrics has no help text; Prometheus's linter (`promtool check metrics`) wants
    /// one per family, so it is added before each `# TYPE` line.
    static func withHelp(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE ") {
                let name = line.split(separator: " ")[2]
                out += "# HELP \(name) \(help[String(name)] ?? name.replacingOccurrences(of: "_", with: " "))\n"
            }
            out += line + "\n"
        }
        return String(out.dropLast())
    }

    public static let help: [String: String] = [
        "opsbot_build_info": "opsbot build, value 1",
        "opsbot_start_time_seconds": "When the process started (Unix time)",
        "opsbot_telegram_requests_total": "Bot API requests by method and result (ok, 409, 429, 5xx, 401, error, network)",
        "opsbot_telegram_updates_total": "Updates received from getUpdates",
        "opsbot_telegram_last_poll_success_timestamp_seconds": "When getUpdates last succeeded (Unix time)",
        "opsbot_telegram_last_update_timestamp_seconds": "When the last update was received (Unix time)",
        "opsbot_commands_total": "Chat commands by catalog name and outcome",
        "opsbot_command_duration_seconds": "Time from a command message to its reply, by command",
        "opsbot_check_duration_seconds": "Check provider run time, by provider",
        "opsbot_check_timeouts_total": "Check provider runs that overstayed their timeout, by provider",
        "opsbot_confirmations_total": "Confirmation button presses by outcome",
        "opsbot_alertmanager_polls_total": "Alertmanager polls by result",
        "opsbot_alertmanager_webhooks_total": "POST /alertmanager requests by result",
        "opsbot_alerts_firing": "Alerts firing now, by severity",
        "opsbot_outbox_pending": "Alert messages waiting in the outbox",
        "opsbot_outbox_oldest_age_seconds": "Age of the oldest message waiting in the outbox",
        "opsbot_process_resident_memory_bytes": "Resident set size of the opsbot process",
        "opsbot_process_cpu_seconds_total": "CPU time (user + system) of the opsbot process",
        "opsbot_process_open_fds": "Open file descriptors of the opsbot process",
    ]
}

/// RSS, CPU time and open fds of this process, from /proc.
struct ProcessStats {
    var rssBytes: Double = 0
    var cpuSeconds: Double = 0
    var openFDs: Double = 0

    static func read() -> ProcessStats {
        var s = ProcessStats()
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
           let kb = Double(line.split(separator: " ").dropFirst().first ?? "") {
            s.rssBytes = kb * 1024
        }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let f = stat[stat.index(after: close)...].split(separator: " ")
            // fields after ")": state(0) … utime(11) stime(12), in clock ticks
            if f.count > 12, let u = Double(f[11]), let k = Double(f[12]) {
                s.cpuSeconds = (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
            }
        }
        s.openFDs = Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 0)
        return s
    }
}

/// opsbot's version, for `opsbot_build_info`.
public enum OpsbotVersion {
    public static let string = "0.1.0"
}

/// When getUpdates last succeeded: `/healthz` and the scrape's gauge read it, the poller sets it.
public final class PollingHealth: Sendable {
    private let last = Locked<Date?>(nil)
    public init() {}
    public func succeeded(at d: Date?) { last.withLock { $0 = d } }
    public var lastSuccess: Date? { last.current }
}
