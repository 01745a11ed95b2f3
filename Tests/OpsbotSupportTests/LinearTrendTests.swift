import Foundation
import Testing
@testable import OpsbotSupport

/// Issue 21 item 6: the projection math (`predict_linear`) against known series.
@Suite struct LinearTrendTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func series(_ n: Int, step: Double = 60, _ f: (Int) -> Double) -> [(time: Date, value: Double)] {
        (0..<n).map { (t0.addingTimeInterval(Double($0) * step), f($0)) }
    }

    @Test func linearSeriesProjectsExactly() throws {
        // 50 % rising 0.5 points a minute: 30 %/h; 100 % is 40 min after the last point (80 %).
        let t = try #require(LinearTrend.fit(series(61) { 50 + 0.5 * Double($0) }))
        #expect(abs(t.slope * 3600 - 30) < 1e-9)
        #expect(abs(t.value - 80) < 1e-9)
        #expect(abs(try #require(t.secondsUntil(100)) - 2400) < 1e-6)
        #expect(t.span == 3600 && t.count == 61)
        #expect(abs(t.value(at: t0) - 50) < 1e-9)
    }

    @Test func flatSeriesNeverFills() throws {
        let t = try #require(LinearTrend.fit(series(30) { _ in 42 }))
        #expect(t.slope == 0)
        #expect(t.secondsUntil(100) == nil)
        #expect(t.secondsUntil(42) == 0, "already at the limit")
    }

    @Test func shrinkingSeriesNeverFills() throws {
        let t = try #require(LinearTrend.fit(series(30) { 90 - Double($0) }))
        #expect(t.slope < 0)
        #expect(t.secondsUntil(100) == nil)
    }

    @Test func noisySeriesFollowsTheTrendNotTheLastSample() throws {
        // +1 % per 10 min with ±3 points of alternating noise, the last sample high.
        var rng = SplitMix(seed: 7)
        let pts = series(61) { i in 40 + Double(i) / 10 + (i % 2 == 0 ? 3 : -3) + rng.next() * 0.5 }
        let t = try #require(LinearTrend.fit(pts))
        #expect(abs(t.slope * 3600 - 6) < 0.5, "\(t.slope * 3600) %/h")
        let eta = try #require(t.secondsUntil(100))
        // True line: 46 % at the last point, 54 points to go at 6 %/h = 9 h.
        #expect(abs(eta - 9 * 3600) < 3600, "\(eta / 3600) h")
    }

    @Test func tooFewOrSimultaneousSamplesGiveNoTrend() {
        #expect(LinearTrend.fit(series(2) { Double($0) }) == nil)
        #expect(LinearTrend.fit(series(5, step: 0) { Double($0) }) == nil)
    }

    @Test func approximateDurations() {
        #expect(LinearTrend.approx(12_000) == "~3 h 20 min")
        #expect(LinearTrend.approx(45 * 60) == "~45 min")
        #expect(LinearTrend.approx(30) == "~1 min")
        #expect(LinearTrend.approx(2 * 86400 + 4 * 3600) == "~2 d 4 h")
        #expect(LinearTrend.approx(3600) == "~1 h")
        #expect(LinearTrend.approx(12_000, .ru) == "~3 ч 20 мин")
        #expect(LinearTrend.approx(30, .ru) == "~1 мин")
        #expect(LinearTrend.approx(2 * 86400 + 4 * 3600, .ru) == "~2 д 4 ч")
        #expect(LinearTrend.approx(86400, .ru) == "~1 д")
        #expect(LinearTrend.approx(12_000, .en) == "~3 h 20 min")
    }
}

/// A tiny deterministic generator for the noise.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) * 2 - 1
    }
}
