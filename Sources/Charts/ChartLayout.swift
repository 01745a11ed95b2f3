import Foundation

/// Where things go on the canvas: the plot rectangle, the y range with its ticks, and the
/// time → x and value → y mappings (public so tests can find a threshold's pixel row).
public struct ChartLayout: Sendable {
    public let plotLeft: Double, plotTop: Double, plotRight: Double, plotBottom: Double
    public let yLow: Double, yHigh: Double, yStep: Double
    /// The visible time span: the spec's, stretched to the projection's end when that is later
    /// (capped at half the span again, so a far-off "full" does not squash the history).
    public let start: Date, end: Date

    public init(_ spec: ChartSpec) {
        plotLeft = 96
        plotRight = Double(spec.width) - 28
        plotTop = 74
        plotBottom = Double(spec.height) - 64
        var lo = spec.yMin ?? .infinity, hi = spec.yMax ?? -.infinity
        var values = spec.points.flatMap { [$0.value, $0.low ?? $0.value, $0.high ?? $0.value] } + spec.thresholds.map(\.value)
        if let p = spec.projection { values += [p.from.value, p.to.value] }
        if spec.yMin == nil { lo = min(values.min() ?? 0, spec.bars ? 0 : .infinity) }
        if spec.yMax == nil { hi = values.max() ?? 1 }
        if !lo.isFinite { lo = 0 }
        if !hi.isFinite { hi = lo + 1 }
        if spec.yMin == nil && lo >= 0 && lo < (hi - lo) { lo = 0 }   // start at 0 when it is close
        if hi - lo < 1e-9 { hi = lo + max(1, abs(lo) * 0.1) }
        // Counts (restarts, alerts, payments) get whole-number ticks.
        let whole = !spec.points.isEmpty && spec.points.allSatisfy { $0.value == $0.value.rounded() } && spec.unit.isEmpty
        if whole && hi - lo < 4 { hi = lo + 4 }
        let step = whole ? max(1, Self.niceStep((hi - lo) / 5)) : Self.niceStep((hi - lo) / 5)
        yStep = step
        yLow = spec.yMin ?? (lo / step).rounded(.down) * step
        yHigh = spec.yMax ?? max((hi / step).rounded(.up) * step, yLow + step)
        start = spec.start
        var e = spec.end
        if let p = spec.projection, p.to.time > e {
            e = min(p.to.time, spec.end.addingTimeInterval(spec.end.timeIntervalSince(spec.start) / 2))
        }
        end = e
    }

    public func x(_ t: Date) -> Double {
        let span = max(1, end.timeIntervalSince(start))
        return plotLeft + (plotRight - plotLeft) * t.timeIntervalSince(start) / span
    }

    public func y(_ v: Double) -> Double {
        plotBottom - (plotBottom - plotTop) * (v - yLow) / max(1e-12, yHigh - yLow)
    }

    /// 1, 2 or 5 × 10ⁿ, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let mag = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * mag >= raw { return m * mag }
        return 10 * mag
    }

    /// Time ticks: a step that gives 4–8 labels over the span, aligned to the zone's clock.
    public func timeTicks(in zone: TimeZone) -> (ticks: [Date], style: ChartTime.Style) {
        let span = end.timeIntervalSince(start)
        let steps: [(Double, ChartTime.Style)] = [(600, .clock), (1800, .clock), (3600, .clock), (2 * 3600, .clock), (3 * 3600, .clock),
                                                  (6 * 3600, .clock), (12 * 3600, .dayClock), (86400, .day), (2 * 86400, .day),
                                                  (7 * 86400, .day)]
        let (step, style) = steps.first { span / $0.0 <= 7 } ?? (7 * 86400, .day)
        let offset = Double(zone.secondsFromGMT(for: start))
        var t = ((start.timeIntervalSince1970 + offset) / step).rounded(.up) * step - offset
        var out: [Date] = []
        while t <= end.timeIntervalSince1970 {
            out.append(Date(timeIntervalSince1970: t))
            t += step
        }
        // Day labels of a multi-day chart name the day; a sub-day one adds it when the day changes.
        return (out, style)
    }
}
