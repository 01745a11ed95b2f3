import Foundation
import LocalStore
import SystemOps
import OpsbotCore
import OpsbotSupport

/// What the status collector keeps in the history (`History`), and the checks that look at
/// where a series is heading: `disk_fill` and the projection of `memory_growth`.
///
/// Series: `disk:<mount>` and `inodes:<mount>` (% used), `memory:<service>` (MB),
/// `latency:<service>:<endpoint>` (ms); events `restart` (a service's start time changed).
extension StatusCollector {
    static func record(_ report: StatusReport, history: History, now: Date) {
        var values: [(series: String, value: Double)] = []
        for u in report.disk ?? [] {
            values.append(("disk:\(u.mountPoint)", u.usedPercent))
            values.append(("inodes:\(u.mountPoint)", u.inodesUsedPercent))
        }
        for s in report.services {
            if let mem = s.status.memoryBytes { values.append(("memory:\(s.config.name)", Double(mem) / 1_048_576)) }
            for h in s.health where h.ok { values.append(("latency:\(s.config.name):\(h.endpoint.label)", h.seconds * 1000)) }
        }
        if !values.isEmpty { history.record(values, at: now) }
    }

    /// `disk_fill` per mount: when the least-squares line over the last `disk.fill_window` of
    /// `disk:<mount>` reaches 100 % within `fill_warn` (warning) or `fill_critical` (critical).
    /// Hysteresis: a level holds until the projection is 1.5 × its threshold away, and the fit
    /// needs a quarter of the window (at least 10 min) of points, so a brief burst does not page.
    static func diskFillChecks(_ mounts: [MountUsage], _ cfg: DiskConfig, history: History, now: Date,
                               previous: [String: CheckResult.Status]) -> [CheckResult] {
        mounts.map { u in
            let name = "disk:\(u.mountPoint)"
            guard let p = Projection.project(history, series: name, limit: 100, now: now, window: cfg.fillWindow) else {
                return CheckResult(check: "disk_fill", target: u.mountPoint, status: .ok,
                                   message: StatusText.fillMeasuring(mount: u.mountPoint, needs: Projection.minimumSpan(cfg.fillWindow)))
            }
            let ttf = p.secondsToLimit
            var status: CheckResult.Status = .ok
            if let ttf {
                status = ttf <= cfg.fillCritical ? .critical : ttf <= cfg.fillWarn ? .warning : .ok
                switch previous[u.mountPoint] {
                case .critical? where status != .critical && ttf <= cfg.fillCritical * 1.5: status = .critical
                case .warning? where status == .ok && ttf <= cfg.fillWarn * 1.5: status = .warning
                default: break
                }
            }
            let rate = p.trend.slope * 3600
            let summary: StatusText = ttf.map {
                .fillIn(mount: u.mountPoint, seconds: $0, window: cfg.fillWindow, rate: rate, usedPercent: u.usedPercent, freeBytes: u.freeBytes)
            } ?? .notFilling(mount: u.mountPoint, rate: rate, window: cfg.fillWindow, usedPercent: u.usedPercent)
            return CheckResult(check: "disk_fill", target: u.mountPoint, status: status, message: summary,
                               value: ttf.map { $0 / 60 }, remediation: status == .ok ? nil : "/disk")
        }
    }
}

/// Where a series is heading: the `predict_linear` fit over a recent window and when it meets a limit.
public struct Projection: Sendable {
    public var trend: LinearTrend
    public var limit: Double
    /// Seconds from the newest point until the fitted line reaches `limit` (nil: not heading there).
    public var secondsToLimit: Double?

    /// The fit over `window` seconds before `now` of `series`' minute points; nil until the
    /// points span a quarter of the window (at least 10 min).
    public static func project(_ history: History, series: String, limit: Double, now: Date, window: Double) -> Projection? {
        let pts = history.minutePoints(series, from: now.addingTimeInterval(-window), to: now)
        guard let t = LinearTrend.fit(pts.map { ($0.time, $0.value) }), t.span >= minimumSpan(window) else { return nil }
        return Projection(trend: t, limit: limit, secondsToLimit: t.secondsUntil(limit))
    }

    public static func minimumSpan(_ window: Double) -> Double { min(window, max(600, window / 4)) }

    /// "the last hour's rate", "the last 30 min's rate".
    public static func ratePhrase(_ window: Double) -> String {
        window == 3600 ? "the last hour's rate" : "the last \(Durations.format(window))'s rate"
    }

    public static func windowPhrase(_ window: Double) -> String {
        window == 3600 ? "the last hour" : "the last \(Durations.format(window))"
    }

    /// The machine's RAM in MB (`MemTotal`), the limit a local service's memory heads for.
    public static func machineMemoryMB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
        return kb / 1024
    }
}
