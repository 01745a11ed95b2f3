import Charts
import Foundation
import LocalStore
import OpsbotCore
import OpsbotServices
import OpsbotSupport

/// One chart ready to send: the picture's description and the caption that goes with it (a
/// summary, the projection, and the alt text — what the picture shows, in words).
public struct BuiltChart: Sendable {
    public var spec: ChartSpec
    /// HTML, ≤ 1024 characters (Telegram's caption limit).
    public var caption: String
    /// Plain text the caption and the fallback share.
    public var summary: [String]
    /// A short text table of the data for when the picture cannot be drawn.
    public var fallback: String
}

/// What `/graph` can draw, and how: from the history (`History`), the services' settings
/// (thresholds, health endpoints) and the audit log (restarts and deploys by command).
public struct ChartBuilder: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case disk, inodes, memory, latency, restarts, payments, alerts
        var unit: String {
            switch self {
            case .disk, .inodes: "%"
            case .memory: "MB"
            case .latency: "ms"
            case .restarts, .payments, .alerts: ""
            }
        }
        var about: String {
            switch self {
            case .disk: "disk used % per mount, with warn/critical lines and when it will be full"
            case .inodes: "inodes used % per mount"
            case .memory: "a service's memory (MB), where it is heading"
            case .latency: "a service's health check latency (ms)"
            case .restarts: "restarts per hour (all services or one)"
            case .payments: "payments stuck in pending"
            case .alerts: "alerts firing"
            }
        }
        var needsTarget: Bool { self == .memory || self == .latency }
    }

    public let history: History
    public let services: ServicesSettings?
    public let store: Store?
    public let timeZone: TimeZone

    public init(history: History, services: ServicesSettings?, store: Store? = nil, timeZone: TimeZone) {
        self.history = history
        self.services = services
        self.store = store
        self.timeZone = timeZone
    }

    public static let defaultPeriod: Double = 24 * 3600
    public static let maxPeriod: Double = History.hourRetention

    /// Targets with data for `kind` in the last 30 days (mounts, services).
    public func targets(_ kind: Kind, now: Date) -> [String] {
        let since = now.addingTimeInterval(-Self.maxPeriod)
        switch kind {
        case .disk, .inodes, .memory:
            return history.seriesNames(prefix: "\(kind.rawValue):", since: since).map { String($0.dropFirst(kind.rawValue.count + 1)) }
        case .latency:
            let names = history.seriesNames(prefix: "latency:", since: since).map { String($0.dropFirst(8)) }
            return Array(Set(names.map { AlertRuleService.of($0) })).sorted()
        case .restarts:
            return services?.services.map(\.name) ?? []
        case .payments, .alerts:
            return []
        }
    }

    /// The chart of `kind` for `target` over the `period` before `now`; a problem with the request as an error message.
    public func build(_ kind: Kind, target: String?, period: Double, now: Date) throws -> BuiltChart {
        let from = now.addingTimeInterval(-period)
        let span = "the last \(Durations.format(period))"
        switch kind {
        case .disk, .inodes:
            let mounts = targets(kind, now: now)
            guard !mounts.isEmpty else { throw GraphError("no \(kind.rawValue) history yet: opsbot records it every minute while it runs") }
            let mount: String
            if let target {
                guard mounts.contains(target) else { throw GraphError("no history for mount \(target) (known: \(mounts.joined(separator: ", ")))") }
                mount = target
            } else {
                // The fullest mount: the one that matters.
                mount = mounts.max { (last("\(kind.rawValue):\($0)", now) ?? 0) < (last("\(kind.rawValue):\($1)", now) ?? 0) } ?? mounts[0]
            }
            let pts = history.points("\(kind.rawValue):\(mount)", from: from, to: now, now: now)
            let disk = services?.disk ?? DiskConfig()
            var spec = ChartSpec(title: "\(kind == .disk ? "Disk" : "Inodes") used on \(mount) — \(span)", unit: "%", start: from, end: now,
                                 points: chartPoints(pts),
                                 thresholds: [ChartThreshold(disk.warnPercent, label: String(format: "warning %.0f %%", disk.warnPercent), level: .warning),
                                              ChartThreshold(disk.criticalPercent, label: String(format: "critical %.0f %%", disk.criticalPercent), level: .critical)],
                                 marks: marks(service: nil, from: from, to: now), yMin: 0, yMax: 100, timeZone: timeZone)
            var lines = [summaryLine(pts, unit: "%")]
            if kind == .disk, let p = Projection.project(history, series: "disk:\(mount)", limit: 100, now: now, window: disk.fillWindow) {
                lines.append(projectionLine(p, window: disk.fillWindow, what: "full"))
                if let s = p.secondsToLimit, s > 0 {
                    spec.projection = ChartProjection(from: ChartPoint(time: p.trend.at, value: p.trend.value),
                                                      to: ChartPoint(time: p.trend.at.addingTimeInterval(s), value: 100))
                }
            }
            if target == nil && mounts.count > 1 { lines.append("Other mounts: \(mounts.filter { $0 != mount }.joined(separator: ", ")) — /graph \(kind.rawValue) <mount>") }
            return finish(spec, lines: lines, what: "\(kind.rawValue) used on \(mount)", span: span)

        case .memory:
            let known = targets(.memory, now: now)
            guard let target else { throw GraphError("which service? /graph memory <service> (with history: \(known.isEmpty ? "none yet" : known.joined(separator: ", ")))") }
            guard known.contains(target) else { throw GraphError("no memory history for \(target) (with history: \(known.isEmpty ? "none yet" : known.joined(separator: ", ")))") }
            let series = "memory:\(target)"
            let pts = history.points(series, from: from, to: now, now: now)
            var spec = ChartSpec(title: "Memory of \(target) — \(span)", unit: "MB", start: from, end: now, points: chartPoints(pts),
                                 marks: marks(service: target, from: from, to: now), timeZone: timeZone)
            var lines = [summaryLine(pts, unit: "MB")]
            let cfg = services?.services.first { $0.name == target }
            let local = cfg.map { $0.host == nil && $0.heroku == nil && $0.railway == nil } ?? false
            if local, let ram = Projection.machineMemoryMB(),
               let p = Projection.project(history, series: series, limit: ram, now: now, window: services?.disk.fillWindow ?? 3600) {
                if let s = p.secondsToLimit, s > 0, p.trend.slope > 0 {
                    lines.append("Reaches the machine's RAM (\(Int(ram)) MB) in \(LinearTrend.approx(s)) at \(Projection.ratePhrase(services?.disk.fillWindow ?? 3600)) (\(String(format: "%+.0f MB/h", p.trend.slope * 3600)))")
                    // The limit line and the dashed projection only when it gets there within the chart's reach.
                    if s <= period / 2 {
                        spec.thresholds.append(ChartThreshold(ram, label: "RAM \(Int(ram)) MB", level: .limit))
                        spec.projection = ChartProjection(from: ChartPoint(time: p.trend.at, value: p.trend.value),
                                                          to: ChartPoint(time: p.trend.at.addingTimeInterval(s), value: ram))
                    } else {
                        spec.projection = ChartProjection(from: ChartPoint(time: p.trend.at, value: p.trend.value),
                                                          to: ChartPoint(time: p.trend.at.addingTimeInterval(s), value: ram))
                    }
                } else {
                    lines.append(String(format: "Not growing (%+.0f MB/h over %@)", p.trend.slope * 3600, Projection.windowPhrase(services?.disk.fillWindow ?? 3600)))
                }
            }
            return finish(spec, lines: lines, what: "memory of \(target)", span: span)

        case .latency:
            let known = targets(.latency, now: now)
            guard let target else { throw GraphError("which service? /graph latency <service> (with history: \(known.isEmpty ? "none yet" : known.joined(separator: ", ")))") }
            let names = history.seriesNames(prefix: "latency:\(target)", since: now.addingTimeInterval(-Self.maxPeriod))
                .filter { $0 == "latency:\(target)" || $0.hasPrefix("latency:\(target):") }
            guard let series = names.first else { throw GraphError("no health check history for \(target) (with history: \(known.isEmpty ? "none yet" : known.joined(separator: ", ")))") }
            let endpoint = String(series.dropFirst("latency:\(target):".count))
            let pts = history.points(series, from: from, to: now, now: now)
            var spec = ChartSpec(title: "Health latency of \(target) \(endpoint) — \(span)", unit: "ms", start: from, end: now, points: chartPoints(pts),
                                 marks: marks(service: target, from: from, to: now), timeZone: timeZone)
            if let e = services?.services.first(where: { $0.name == target })?.health.first(where: { $0.label == endpoint }) {
                spec.thresholds.append(ChartThreshold(e.slow * 1000, label: "slow \(Durations.format(e.slow))", level: .warning))
            }
            return finish(spec, lines: [summaryLine(pts, unit: "ms")], what: "health latency of \(target)", span: span)

        case .restarts:
            let events = history.events(kinds: ["restart"], target: target, from: from, to: now)
            let bucket: Double = period <= 2 * 86400 ? 3600 : 86400
            var counts: [Double: Double] = [:]
            for e in events { counts[(e.time.timeIntervalSince1970 / bucket).rounded(.down), default: 0] += 1 }
            var pts: [ChartPoint] = []
            var b = (from.timeIntervalSince1970 / bucket).rounded(.down)
            while b * bucket <= now.timeIntervalSince1970 {
                pts.append(ChartPoint(time: Date(timeIntervalSince1970: b * bucket + bucket / 2), value: counts[b] ?? 0))
                b += 1
            }
            let spec = ChartSpec(title: "Restarts\(target.map { " of \($0)" } ?? "") per \(bucket == 3600 ? "hour" : "day") — \(span)", unit: "",
                                 start: from, end: now, points: pts, marks: marks(service: target, from: from, to: now, restarts: false),
                                 yMin: 0, timeZone: timeZone, bars: true)
            return finish(spec, lines: ["\(events.count) restart(s) in \(span)"], what: "restarts", span: span)

        case .payments, .alerts:
            let series = kind == .payments ? "payments:pending" : "alerts:firing"
            let pts = history.points(series, from: from, to: now, now: now)
            let title = kind == .payments ? "Pending payments (stuck) — \(span)" : "Alerts firing — \(span)"
            let spec = ChartSpec(title: title, unit: "", start: from, end: now, points: chartPoints(pts),
                                 marks: marks(service: nil, from: from, to: now), yMin: 0, timeZone: timeZone)
            return finish(spec, lines: [summaryLine(pts, unit: "")], what: kind == .payments ? "pending payments" : "alerts firing", span: span)
        }
    }

    // MARK: - parts

    func last(_ series: String, _ now: Date) -> Double? {
        history.minutePoints(series, from: now.addingTimeInterval(-3600), to: now).last?.value
            ?? history.hourPoints(series, from: now.addingTimeInterval(-Self.maxPeriod), to: now).last?.value
    }

    func chartPoints(_ pts: [History.Point]) -> [ChartPoint] {
        pts.map { ChartPoint(time: $0.time, value: $0.value, low: $0.low, high: $0.high) }
    }

    /// Restarts seen by the collector, and /restart and /redeploy run from chat (the audit log).
    func marks(service: String?, from: Date, to: Date, restarts: Bool = true) -> [ChartMark] {
        var out: [ChartMark] = []
        if restarts {
            out += history.events(kinds: ["restart"], target: service, from: from, to: to).map { ChartMark(time: $0.time, label: "↻ \($0.target)") }
        }
        let audit = (try? store?.recentAudit(limit: 200, since: from)) ?? []
        for e in audit where ["restart", "redeploy"].contains(e.command) && e.at <= to {
            let args = e.arguments.split(separator: " ").first.map(String.init) ?? ""
            if let service, args != service, args != "all" { continue }
            out.append(ChartMark(time: e.at, label: e.command == "redeploy" ? "deploy \(args)" : "/restart \(args)"))
        }
        // Many marks on one chart: keep the newest 12.
        return Array(out.sorted { $0.time < $1.time }.suffix(12))
    }

    func summaryLine(_ pts: [History.Point], unit: String) -> String {
        guard let lastP = pts.last else { return "No data for this period yet." }
        let vals = pts.map(\.value)
        let lo = pts.map { $0.low ?? $0.value }.min() ?? 0, hi = pts.map { $0.high ?? $0.value }.max() ?? 0
        let avg = vals.reduce(0, +) / Double(vals.count)
        return "Now \(fmt(lastP.value, unit)) · min \(fmt(lo, unit)) · avg \(fmt(avg, unit)) · max \(fmt(hi, unit))"
    }

    func projectionLine(_ p: Projection, window: Double, what: String) -> String {
        let rate = String(format: "%+.1f %%/h", p.trend.slope * 3600)
        guard let s = p.secondsToLimit else { return "Not filling (\(rate) over \(Projection.windowPhrase(window)))" }
        if s == 0 { return "Full now" }
        return "\(what.prefix(1).uppercased() + what.dropFirst()) in \(LinearTrend.approx(s)) at \(Projection.ratePhrase(window)) (\(rate))"
    }

    func fmt(_ v: Double, _ unit: String) -> String {
        let n = abs(v) >= 100 || v == v.rounded() ? String(format: "%.0f", v) : String(format: "%.1f", v)
        return unit.isEmpty ? n : unit == "%" ? "\(n) %" : "\(n) \(unit)"
    }

    /// Caption: bold title, the summary lines, then the alt text in italics.
    func finish(_ spec: ChartSpec, lines: [String], what: String, span: String) -> BuiltChart {
        var alt = "Chart: \(spec.bars ? "bars" : "line") of \(what) over \(span)"
        if let f = spec.points.first, let l = spec.points.last, !spec.bars { alt += ", from \(fmt(f.value, spec.unit)) to \(fmt(l.value, spec.unit))" }
        let th = spec.thresholds.map { "\($0.label)" }
        if !th.isEmpty { alt += "; lines at \(th.joined(separator: ", "))" }
        if spec.projection != nil { alt += "; a dashed line projects the trend" }
        if !spec.marks.isEmpty { alt += "; \(spec.marks.count) restart/deploy mark(s)" }
        alt += "; times in \(timeZone.identifier)."
        var caption = "<b>\(HTML.escape(spec.title))</b>\n" + lines.map { HTML.escape($0) }.joined(separator: "\n") + "\n<i>\(HTML.escape(alt))</i>"
        if caption.count > 1024 { caption = HTML.escape(String(HTML.toPlainText(caption).prefix(1000))) + "…" }
        // The fallback: the same lines and the data, a row per step (at most 12).
        let step = max(1, spec.points.count / 12)
        let f = DateFormatter()
        f.timeZone = timeZone
        f.dateFormat = "d MMM HH:mm"
        let rows = stride(from: 0, to: spec.points.count, by: step).map { i in "\(f.string(from: spec.points[i].time))  \(fmt(spec.points[i].value, spec.unit))" }
        return BuiltChart(spec: spec, caption: caption, summary: [spec.title] + lines + [alt], fallback: rows.joined(separator: "\n"))
    }
}

public struct GraphError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// `service` of a target such as `web:/healthz`.
enum AlertRuleService {
    static func of(_ target: String) -> String { target.split(separator: ":", maxSplits: 1).first.map(String.init) ?? target }
}
