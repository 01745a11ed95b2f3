import Foundation

/// A straight line fitted to recent samples by least squares, as Prometheus' `predict_linear`:
/// where a disk or a worker's memory is heading, and when it meets its limit.
public struct LinearTrend: Sendable, Hashable {
    /// Change per second.
    public var slope: Double
    /// The fitted value at `at` (not the last sample: one noisy sample does not move it much).
    public var value: Double
    /// The moment the fit is evaluated at (the newest sample's time).
    public var at: Date
    /// Seconds between the oldest and newest sample.
    public var span: Double
    public var count: Int

    public init(slope: Double, value: Double, at: Date, span: Double, count: Int) {
        self.slope = slope
        self.value = value
        self.at = at
        self.span = span
        self.count = count
    }

    /// The fit over `samples` (any order), evaluated at the newest one; nil with fewer than
    /// 3 samples or when they share one timestamp.
    public static func fit(_ samples: [(time: Date, value: Double)]) -> LinearTrend? {
        guard samples.count >= 3, let newest = samples.map(\.time).max(), let oldest = samples.map(\.time).min() else { return nil }
        // Seconds relative to the newest sample keep the sums small and exact enough.
        let xs = samples.map { $0.time.timeIntervalSince(newest) }
        let n = Double(samples.count)
        let mx = xs.reduce(0, +) / n
        let my = samples.reduce(0) { $0 + $1.value } / n
        var num = 0.0, den = 0.0
        for (x, s) in zip(xs, samples) {
            num += (x - mx) * (s.value - my)
            den += (x - mx) * (x - mx)
        }
        guard den > 0 else { return nil }
        let slope = num / den
        return LinearTrend(slope: slope, value: my - slope * mx, at: newest, span: newest.timeIntervalSince(oldest), count: samples.count)
    }

    /// The fitted line's value at `t`.
    public func value(at t: Date) -> Double { value + slope * t.timeIntervalSince(at) }

    /// Seconds from `at` until the line reaches `limit`: 0 when it is there already, nil when
    /// it never will (flat or heading away).
    public func secondsUntil(_ limit: Double) -> Double? {
        if value >= limit { return 0 }
        guard slope > 1e-12 else { return nil }
        return (limit - value) / slope
    }

    /// "~3 h 20 min", "~45 min", "~2 d 4 h": a projection rounded as it deserves.
    public static func approx(_ seconds: Double) -> String {
        approx(seconds, units: ("min", "h", "d"))
    }

    /// The same rounding in `language`: "~3 ч 20 мин" in Russian.
    public static func approx(_ seconds: Double, _ language: Language) -> String {
        language == .ru ? approx(seconds, units: ("мин", "ч", "д")) : approx(seconds)
    }

    private static func approx(_ seconds: Double, units u: (min: String, h: String, d: String)) -> String {
        if seconds < 120 { return "~\(max(1, Int((seconds / 60).rounded(.up)))) \(u.min)" }
        if seconds < 3600 { return "~\(Int((seconds / 60).rounded())) \(u.min)" }
        if seconds < 86400 {
            let m = Int((seconds / 600).rounded()) * 10
            return m % 60 == 0 ? "~\(m / 60) \(u.h)" : "~\(m / 60) \(u.h) \(m % 60) \(u.min)"
        }
        let h = Int((seconds / 3600).rounded())
        return h % 24 == 0 ? "~\(h / 24) \(u.d)" : "~\(h / 24) \(u.d) \(h % 24) \(u.h)"
    }
}
