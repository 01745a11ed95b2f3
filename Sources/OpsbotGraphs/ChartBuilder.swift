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
    /// `summary` without the alt text, as HTML (commands in `<code>`); empty: `summary` escaped.
    public var summaryHTML: [String] = []
}

/// What `/graph` can draw, and how: from the history (`History`), the services' settings
/// (thresholds, health endpoints) and the audit log (restarts and deploys by command).
public struct ChartBuilder: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case disk, inodes, memory, latency, restarts, payments, alerts
        var unit: GraphUnit {
            switch self {
            case .disk, .inodes: .percent
            case .memory: .mb
            case .latency: .ms
            case .restarts, .payments, .alerts: .count
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

    /// The chart of `kind` for `target` over the `period` before `now`, in `language` (by
    /// default the asker's); a problem with the request as a `GraphError`.
    public func build(_ kind: Kind, target: String?, period: Double, now: Date, language: Language = Language.current) throws -> BuiltChart {
        let from = now.addingTimeInterval(-period)
        let lang = language
        func title(_ subject: ChartSubject) -> String { GraphText.title(subject: subject, period: period).text(lang) }
        func spec(_ subject: ChartSubject, points: [ChartPoint], thresholds: [ChartThreshold] = [], marks: [ChartMark],
                  yMin: Double? = nil, yMax: Double? = nil, bars: Bool = false) -> ChartSpec {
            ChartSpec(title: title(subject), unit: GraphText.unit(kind.unit).text(lang), start: from, end: now, points: points,
                      thresholds: thresholds, marks: marks, yMin: yMin, yMax: yMax, timeZone: timeZone, bars: bars, language: lang)
        }
        switch kind {
        case .disk, .inodes:
            let mounts = targets(kind, now: now)
            guard !mounts.isEmpty else { throw GraphError(.noHistory(kind: kind)) }
            let mount: String
            if let target {
                guard mounts.contains(target) else { throw GraphError(.noMountHistory(mount: target, known: mounts)) }
                mount = target
            } else {
                // The fullest mount: the one that matters.
                mount = mounts.max { (last("\(kind.rawValue):\($0)", now) ?? 0) < (last("\(kind.rawValue):\($1)", now) ?? 0) } ?? mounts[0]
            }
            let pts = history.points("\(kind.rawValue):\(mount)", from: from, to: now, now: now)
            let disk = services?.disk ?? DiskConfig()
            let subject: ChartSubject = kind == .disk ? .disk(mount: mount) : .inodes(mount: mount)
            var chart = spec(subject, points: chartPoints(pts),
                             thresholds: [ChartThreshold(disk.warnPercent, label: GraphText.warningLine(percent: disk.warnPercent).text(lang), level: .warning),
                                          ChartThreshold(disk.criticalPercent, label: GraphText.criticalLine(percent: disk.criticalPercent).text(lang), level: .critical)],
                             marks: marks(service: nil, from: from, to: now, lang), yMin: 0, yMax: 100)
            var lines = [summaryLine(pts, unit: .percent)]
            if kind == .disk, let p = Projection.project(history, series: "disk:\(mount)", limit: 100, now: now, window: disk.fillWindow) {
                lines.append(projectionLine(p, window: disk.fillWindow))
                if let s = p.secondsToLimit, s > 0 {
                    chart.projection = ChartProjection(from: ChartPoint(time: p.trend.at, value: p.trend.value),
                                                       to: ChartPoint(time: p.trend.at.addingTimeInterval(s), value: 100))
                }
            }
            if target == nil && mounts.count > 1 { lines.append(.otherMounts(kind: kind, mounts: mounts.filter { $0 != mount })) }
            return finish(chart, lines: lines, subject: subject, period: period)

        case .memory:
            let known = targets(.memory, now: now)
            guard let target else { throw GraphError(.whichService(kind: .memory, known: known)) }
            guard known.contains(target) else { throw GraphError(.noMemoryHistory(service: target, known: known)) }
            let series = "memory:\(target)"
            let pts = history.points(series, from: from, to: now, now: now)
            let subject = ChartSubject.memory(service: target)
            var chart = spec(subject, points: chartPoints(pts), marks: marks(service: target, from: from, to: now, lang))
            var lines = [summaryLine(pts, unit: .mb)]
            let cfg = services?.services.first { $0.name == target }
            let local = cfg.map { $0.host == nil && $0.heroku == nil && $0.railway == nil } ?? false
            let window = services?.disk.fillWindow ?? 3600
            if local, let ram = Projection.machineMemoryMB(),
               let p = Projection.project(history, series: series, limit: ram, now: now, window: window) {
                if let s = p.secondsToLimit, s > 0, p.trend.slope > 0 {
                    lines.append(.reachesRAM(ramMB: Int(ram), seconds: s, ratePerHour: p.trend.slope * 3600, window: window))
                    // The limit line and the dashed projection only when it gets there within the chart's reach.
                    if s <= period / 2 {
                        chart.thresholds.append(ChartThreshold(ram, label: GraphText.ramLine(mb: Int(ram)).text(lang), level: .limit))
                    }
                    chart.projection = ChartProjection(from: ChartPoint(time: p.trend.at, value: p.trend.value),
                                                       to: ChartPoint(time: p.trend.at.addingTimeInterval(s), value: ram))
                } else {
                    lines.append(.notGrowing(ratePerHour: p.trend.slope * 3600, window: window))
                }
            }
            return finish(chart, lines: lines, subject: subject, period: period)

        case .latency:
            let known = targets(.latency, now: now)
            guard let target else { throw GraphError(.whichService(kind: .latency, known: known)) }
            let names = history.seriesNames(prefix: "latency:\(target)", since: now.addingTimeInterval(-Self.maxPeriod))
                .filter { $0 == "latency:\(target)" || $0.hasPrefix("latency:\(target):") }
            guard let series = names.first else { throw GraphError(.noLatencyHistory(service: target, known: known)) }
            let endpoint = String(series.dropFirst("latency:\(target):".count))
            let pts = history.points(series, from: from, to: now, now: now)
            let subject = ChartSubject.latency(service: target, endpoint: endpoint)
            var chart = spec(subject, points: chartPoints(pts), marks: marks(service: target, from: from, to: now, lang))
            if let e = services?.services.first(where: { $0.name == target })?.health.first(where: { $0.label == endpoint }) {
                chart.thresholds.append(ChartThreshold(e.slow * 1000, label: GraphText.slowLine(seconds: e.slow).text(lang), level: .warning))
            }
            return finish(chart, lines: [summaryLine(pts, unit: .ms)], subject: subject, period: period)

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
            let subject = ChartSubject.restarts(service: target, perHour: bucket == 3600)
            let chart = spec(subject, points: pts, marks: marks(service: target, from: from, to: now, lang, restarts: false), yMin: 0, bars: true)
            return finish(chart, lines: [.restartCount(count: events.count, period: period)], subject: subject, period: period)

        case .payments, .alerts:
            let series = kind == .payments ? "payments:pending" : "alerts:firing"
            let pts = history.points(series, from: from, to: now, now: now)
            let subject: ChartSubject = kind == .payments ? .payments : .alerts
            let chart = spec(subject, points: chartPoints(pts), marks: marks(service: nil, from: from, to: now, lang), yMin: 0)
            return finish(chart, lines: [summaryLine(pts, unit: .count)], subject: subject, period: period)
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
    func marks(service: String?, from: Date, to: Date, _ language: Language, restarts: Bool = true) -> [ChartMark] {
        var out: [ChartMark] = []
        if restarts {
            out += history.events(kinds: ["restart"], target: service, from: from, to: to).map { ChartMark(time: $0.time, label: "↻ \($0.target)") }
        }
        let audit = (try? store?.recentAudit(limit: 200, since: from)) ?? []
        for e in audit where ["restart", "redeploy"].contains(e.command) && e.at <= to {
            let args = e.arguments.split(separator: " ").first.map(String.init) ?? ""
            if let service, args != service, args != "all" { continue }
            out.append(ChartMark(time: e.at, label: e.command == "redeploy" ? GraphText.deployMark(service: args).text(language) : "/restart \(args)"))
        }
        // Many marks on one chart: keep the newest 12.
        return Array(out.sorted { $0.time < $1.time }.suffix(12))
    }

    func summaryLine(_ pts: [History.Point], unit: GraphUnit) -> GraphText {
        guard let lastP = pts.last else { return .noData }
        let vals = pts.map(\.value)
        let lo = pts.map { $0.low ?? $0.value }.min() ?? 0, hi = pts.map { $0.high ?? $0.value }.max() ?? 0
        let avg = vals.reduce(0, +) / Double(vals.count)
        return .summary(now: lastP.value, min: lo, avg: avg, max: hi, unit: unit)
    }

    func projectionLine(_ p: Projection, window: Double) -> GraphText {
        let rate = p.trend.slope * 3600
        guard let s = p.secondsToLimit else { return .notFilling(ratePerHour: rate, window: window) }
        if s == 0 { return .fullNow }
        return .fillsIn(seconds: s, ratePerHour: rate, window: window)
    }

    /// Caption: bold title, the summary lines, then the alt text in italics.
    func finish(_ spec: ChartSpec, lines: [GraphText], subject: ChartSubject, period: Double) -> BuiltChart {
        let lang = spec.language
        let unit: GraphUnit = switch subject {
        case .disk, .inodes: .percent
        case .memory: .mb
        case .latency: .ms
        case .restarts, .payments, .alerts: .count
        }
        let first = spec.bars ? nil : spec.points.first, lastP = spec.bars ? nil : spec.points.last
        let alt = GraphText.alt(ChartAlt(subject: subject, period: period, bars: spec.bars, from: first?.value, to: lastP?.value, unit: unit,
                                         thresholds: spec.thresholds.map(\.label), projection: spec.projection != nil,
                                         marks: spec.marks.count, zone: timeZone.identifier)).text(lang)
        let html = lines.map { $0.text(lang) }
        var caption = "<b>\(HTML.escape(spec.title))</b>\n" + html.joined(separator: "\n") + "\n<i>\(alt)</i>"
        if caption.count > 1024 {
            // Cut as plain text (no tag left open), so that the escaped text still fits.
            var plain = HTML.toPlainText(caption).prefix(1000)
            while HTML.escape(String(plain)).count > 1023 { plain = plain.dropLast(max(1, (HTML.escape(String(plain)).count - 1023) / 5)) }
            caption = HTML.escape(String(plain)) + "…"
        }
        // The fallback: the same lines and the data, a row per step (at most 12).
        let step = max(1, spec.points.count / 12)
        let rows = stride(from: 0, to: spec.points.count, by: step).map { i in
            "\(GraphFormat.dateTime(spec.points[i].time, zone: timeZone, lang))  \(GraphFormat.value(spec.points[i].value, unit, lang))"
        }
        return BuiltChart(spec: spec, caption: caption, summary: [spec.title] + html.map(HTML.toPlainText) + [HTML.toPlainText(alt)],
                          fallback: rows.joined(separator: "\n"), summaryHTML: [HTML.escape(spec.title)] + html)
    }
}

/// A request `/graph` cannot draw: its text in the asker's language (HTML); `description`
/// (logs) in English plain text.
public struct GraphError: Error, CustomStringConvertible, Localizable {
    let message: GraphText
    init(_ message: GraphText) { self.message = message }
    public var english: String { message.english }
    public var russian: String { message.russian }
    public var description: String { HTML.toPlainText(message.english) }
}

/// `service` of a target such as `web:/healthz`.
enum AlertRuleService {
    static func of(_ target: String) -> String { target.split(separator: ":", maxSplits: 1).first.map(String.init) ?? target }
}
