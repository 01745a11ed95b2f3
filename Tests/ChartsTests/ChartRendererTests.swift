import Foundation
import Testing
@testable import Charts

/// Issue 21 item 6: the PNG decodes, has the expected size, and its threshold and projection
/// lines are where they should be (sampled pixels, found through the same layout).
@Suite struct ChartRendererTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func diskSpec() -> ChartSpec {
        // 6 h of disk use from 40 % to 70 %, a projection to 100 % at +3 h.
        let pts = (0...360).map { ChartPoint(time: t0.addingTimeInterval(Double($0) * 60), value: 40 + 30 * Double($0) / 360) }
        let end = t0.addingTimeInterval(6 * 3600)
        return ChartSpec(title: "Disk used on /var — the last 6 h", unit: "%", start: t0, end: end, points: pts,
                         thresholds: [ChartThreshold(85, label: "warning 85 %", level: .warning),
                                      ChartThreshold(95, label: "critical 95 %", level: .critical)],
                         marks: [ChartMark(time: t0.addingTimeInterval(2 * 3600), label: "↻ worker")],
                         projection: ChartProjection(from: ChartPoint(time: end, value: 70), to: ChartPoint(time: end.addingTimeInterval(3 * 3600), value: 100)),
                         yMin: 0, yMax: 100, timeZone: TimeZone(identifier: "Europe/Berlin")!)
    }

    func near(_ c: (r: Int, g: Int, b: Int), _ hex: UInt32, tolerance: Int = 40) -> Bool {
        abs(c.r - Int(hex >> 16 & 0xff)) <= tolerance && abs(c.g - Int(hex >> 8 & 0xff)) <= tolerance && abs(c.b - Int(hex & 0xff)) <= tolerance
    }

    @Test func pngDecodesAtTheExpectedSizeWithLinesInPlace() throws {
        let spec = diskSpec()
        let png = try ChartRenderer.png(spec)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        let img = try ChartRenderer.decode(png)
        #expect(img.width == 1000 && img.height == 600)
        let layout = ChartLayout(spec)
        // The layout stretches to show the projection (half the span again: 3 h).
        #expect(layout.end == spec.end.addingTimeInterval(3 * 3600))
        let x = Int(layout.plotLeft + 60)
        #expect(near(img.rgb(x, Int(layout.y(85))), 0xef8f00), "warning line at 85 %: \(img.rgb(x, Int(layout.y(85))))")
        #expect(near(img.rgb(x, Int(layout.y(95))), 0xd32f2f), "critical line at 95 %: \(img.rgb(x, Int(layout.y(95))))")
        #expect(!near(img.rgb(x, Int(layout.y(90))), 0xd32f2f) && !near(img.rgb(x, Int(layout.y(90))), 0xef8f00), "nothing between them")
        // The data line: at 3 h it is at 55 %.
        let mid = t0.addingTimeInterval(3 * 3600)
        #expect(near(img.rgb(Int(layout.x(mid)), Int(layout.y(55).rounded())), 0x1565c0), "data line: \(img.rgb(Int(layout.x(mid)), Int(layout.y(55))))")
        // The projection: dashed, so most (not all) samples along it are its colour.
        var onLine = 0, samples = 0
        for i in 1..<40 {
            let f = Double(i) / 40
            let t = spec.end.addingTimeInterval(3 * 3600 * f)
            let v = 70 + 30 * f
            samples += 1
            if near(img.rgb(Int(layout.x(t)), Int(layout.y(v).rounded())), 0x6a1b9a, tolerance: 60) { onLine += 1 }
        }
        #expect(onLine >= samples / 2 && onLine < samples, "dashed projection: \(onLine)/\(samples) samples on it")
        // The restart mark: a green dashed vertical line at 2 h.
        let mx = Int(layout.x(t0.addingTimeInterval(2 * 3600)).rounded())
        let greens = (Int(layout.plotTop + 30)..<Int(layout.plotBottom)).filter { y in near(img.rgb(mx, y), 0x2e7d32, tolerance: 70) }.count
        #expect(greens > 100, "restart mark: \(greens) px")
        // The background is white, the top-left corner too.
        #expect(img.rgb(2, 2) == (255, 255, 255))
    }

    @Test func emptyAndDegenerateSpecsStillDraw() throws {
        let empty = ChartSpec(title: "Alerts firing — the last 24 h", unit: "", start: t0, end: t0.addingTimeInterval(86400), points: [])
        let img = try ChartRenderer.decode(try ChartRenderer.png(empty))
        #expect(img.width == 1000)
        let flat = ChartSpec(title: "Pending payments", unit: "", start: t0, end: t0.addingTimeInterval(3600),
                             points: (0..<60).map { ChartPoint(time: t0.addingTimeInterval(Double($0) * 60), value: 3) }, bars: true)
        #expect(try ChartRenderer.decode(try ChartRenderer.png(flat)).height == 600)
        var huge = flat
        huge.width = 50_000
        #expect(try ChartRenderer.decode(try ChartRenderer.png(huge)).width == 2000, "clamped to Telegram's photo limits")
    }

    @Test func cyrillicTitleRenders() throws {
        var spec = diskSpec()
        spec.title = "Диск /var — последние 6 ч"
        #expect(try ChartRenderer.png(spec).count > 1000)
    }

    @Test func niceTicks() {
        #expect(ChartLayout.niceStep(17) == 20)
        #expect(ChartLayout.niceStep(0.3) == 0.5)
        #expect(ChartLayout.niceStep(4) == 5)
    }
}
