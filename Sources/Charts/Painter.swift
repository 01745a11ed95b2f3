import CCairo
import Foundation
import OpsbotSupport

/// The drawing itself, in back-to-front order: background, grid, thresholds, data, marks,
/// projection, axes' labels, title. Colours are chosen to read on a phone in light mode.
struct Painter {
    let cr: OpaquePointer
    let spec: ChartSpec
    let layout: ChartLayout

    static let font = "DejaVu Sans"
    struct RGB { var r, g, b: Double; init(_ hex: UInt32) { r = Double(hex >> 16 & 0xff) / 255; g = Double(hex >> 8 & 0xff) / 255; b = Double(hex & 0xff) / 255 } }
    static let text = RGB(0x222222), grid = RGB(0xe3e3e3), axis = RGB(0x888888)
    static let line = RGB(0x1565c0), band = RGB(0x90caf9)
    static let warning = RGB(0xef8f00), critical = RGB(0xd32f2f), limit = RGB(0x555555)
    static let projection = RGB(0x6a1b9a), mark = RGB(0x2e7d32)

    func color(_ c: RGB, _ a: Double = 1) { cc_set_source_rgba(cr, c.r, c.g, c.b, a) }

    func draw() {
        color(RGB(0xffffff))
        cc_paint(cr)
        grid()
        let clipped = spec.points.filter { $0.time >= layout.start && $0.time <= layout.end }
        if clipped.isEmpty {
            color(Self.axis)
            text(ChartText.noData.text(spec.language), size: 24, x: (layout.plotLeft + layout.plotRight) / 2,
                 y: (layout.plotTop + layout.plotBottom) / 2, align: .center)
        }
        thresholds()
        if spec.bars { bars(clipped) } else { series(clipped) }
        marks()
        projection()
        axes()
        color(Self.text)
        text(spec.title, size: 28, bold: true, x: 20, y: 42, align: .left, maxWidth: Double(spec.width) - 40)
    }

    // MARK: parts

    func grid() {
        cc_set_line_width(cr, 1)
        color(Self.grid)
        var v = layout.yLow
        while v <= layout.yHigh + layout.yStep * 1e-6 {
            let y = layout.y(v).rounded() + 0.5
            cc_move_to(cr, layout.plotLeft, y); cc_line_to(cr, layout.plotRight, y)
            v += layout.yStep
        }
        for t in layout.timeTicks(in: spec.timeZone).ticks {
            let x = layout.x(t).rounded() + 0.5
            cc_move_to(cr, x, layout.plotTop); cc_line_to(cr, x, layout.plotBottom)
        }
        cc_stroke(cr)
    }

    func thresholds() {
        for t in spec.thresholds where t.value >= layout.yLow && t.value <= layout.yHigh {
            let c = t.level == .critical ? Self.critical : t.level == .warning ? Self.warning : Self.limit
            color(c)
            cc_set_line_width(cr, 3)
            let y = layout.y(t.value).rounded()
            cc_move_to(cr, layout.plotLeft, y); cc_line_to(cr, layout.plotRight, y)
            cc_stroke(cr)
            // Labelled at the left: the projection runs to the right edge.
            text(t.label, size: 17, bold: true, x: layout.plotLeft + 8, y: y - 8, align: .left, halo: true)
        }
    }

    func series(_ pts: [ChartPoint]) {
        guard !pts.isEmpty else { return }
        // An hour's min–max as a light band behind the average line.
        if pts.contains(where: { $0.low != nil }) {
            color(Self.band, 0.45)
            cc_move_to(cr, layout.x(pts[0].time), layout.y(pts[0].high ?? pts[0].value))
            for p in pts.dropFirst() { cc_line_to(cr, layout.x(p.time), layout.y(p.high ?? p.value)) }
            for p in pts.reversed() { cc_line_to(cr, layout.x(p.time), layout.y(p.low ?? p.value)) }
            cc_close_path(cr)
            cc_fill(cr)
        }
        color(Self.line)
        cc_set_line_width(cr, 3.5)
        // A gap in the data (opsbot was down) is a gap in the line, not a straight bridge.
        for segment in Self.segments(pts, gap: Self.gapSeconds(pts)) {
            let drawn = decimate(segment)
            cc_move_to(cr, drawn[0].x, drawn[0].y)
            for p in drawn.dropFirst() { cc_line_to(cr, p.x, p.y) }
        }
        cc_stroke(cr)
        if pts.count == 1 || pts.count < 3 {
            for p in pts { cc_rectangle(cr, layout.x(p.time) - 4, layout.y(p.value) - 4, 8, 8) }
            cc_fill(cr)
        }
    }

    /// Runs of points without a gap longer than `gap` seconds.
    static func segments(_ pts: [ChartPoint], gap: Double) -> [[ChartPoint]] {
        var out: [[ChartPoint]] = []
        for p in pts {
            if let last = out.last?.last, p.time.timeIntervalSince(last.time) <= gap { out[out.count - 1].append(p) } else { out.append([p]) }
        }
        return out
    }

    /// Pixel positions, at most the lowest and highest point per pixel column (in time order):
    /// 2,880 minute points on ~900 columns look the same and stroke three times faster.
    func decimate(_ pts: [ChartPoint]) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(min(pts.count, Int(layout.plotRight - layout.plotLeft) * 2 + 2))
        var i = 0
        while i < pts.count {
            let col = layout.x(pts[i].time).rounded(.down)
            var lo = i, hi = i, j = i + 1
            while j < pts.count, layout.x(pts[j].time).rounded(.down) == col {
                if pts[j].value < pts[lo].value { lo = j }
                if pts[j].value > pts[hi].value { hi = j }
                j += 1
            }
            for k in (lo == hi ? [lo] : [min(lo, hi), max(lo, hi)]) { out.append((layout.x(pts[k].time), layout.y(pts[k].value))) }
            i = j
        }
        return out
    }

    /// Five times the usual spacing between points.
    static func gapSeconds(_ pts: [ChartPoint]) -> Double {
        guard pts.count > 2 else { return .infinity }
        var d = zip(pts.dropFirst(), pts).map { $0.time.timeIntervalSince($1.time) }
        d.sort()
        return max(d[d.count / 2] * 5, 1)
    }

    func bars(_ pts: [ChartPoint]) {
        guard !pts.isEmpty else { return }
        let gap = pts.count > 1 ? zip(pts.dropFirst(), pts).map { $0.time.timeIntervalSince($1.time) }.min() ?? 3600 : 3600
        let w = max(2, (layout.x(Date(timeIntervalSince1970: gap)) - layout.x(Date(timeIntervalSince1970: 0))) * 0.8)
        color(Self.line)
        for p in pts where p.value > 0 {
            let top = layout.y(p.value)
            cc_rectangle(cr, layout.x(p.time) - w / 2, top, w, layout.y(max(layout.yLow, 0)) - top)
        }
        cc_fill(cr)
    }

    func marks() {
        for m in spec.marks where m.time >= layout.start && m.time <= layout.end {
            let x = layout.x(m.time).rounded() + 0.5
            color(Self.mark)
            cc_set_line_width(cr, 2)
            var dash: [Double] = [6, 4]
            cc_set_dash(cr, &dash, 2, 0)
            cc_move_to(cr, x, layout.plotTop); cc_line_to(cr, x, layout.plotBottom)
            cc_stroke(cr)
            cc_set_dash(cr, nil, 0, 0)
            // Labels along the bottom, where the threshold labels (top right) are not.
            let nearRight = x + 8 * Double(m.label.count) + 10 > layout.plotRight
            text(m.label, size: 15, x: nearRight ? x - 4 : x + 4, y: layout.plotBottom - 8, align: nearRight ? .right : .left, halo: true)
        }
    }

    func projection() {
        guard let p = spec.projection else { return }
        color(Self.projection)
        cc_set_line_width(cr, 3)
        var dash: [Double] = [12, 8]
        cc_set_dash(cr, &dash, 2, 0)
        // Drawn up to the right edge when the crossing lies beyond it.
        var to = p.to
        if to.time > layout.end {
            let f = layout.end.timeIntervalSince(p.from.time) / max(1, to.time.timeIntervalSince(p.from.time))
            to = ChartPoint(time: layout.end, value: p.from.value + (to.value - p.from.value) * f)
        }
        cc_move_to(cr, layout.x(p.from.time), layout.y(p.from.value))
        cc_line_to(cr, layout.x(to.time), layout.y(to.value))
        cc_stroke(cr)
        cc_set_dash(cr, nil, 0, 0)
        if p.to.time <= layout.end {
            cc_rectangle(cr, layout.x(p.to.time) - 5, layout.y(p.to.value) - 5, 10, 10)
            cc_fill(cr)
        }
    }

    func axes() {
        color(Self.axis)
        cc_set_line_width(cr, 2)
        cc_move_to(cr, layout.plotLeft, layout.plotTop); cc_line_to(cr, layout.plotLeft, layout.plotBottom)
        cc_line_to(cr, layout.plotRight, layout.plotBottom)
        cc_stroke(cr)
        color(Self.text)
        var v = layout.yLow
        while v <= layout.yHigh + layout.yStep * 1e-6 {
            text(Self.format(v, step: layout.yStep, unit: spec.unit, language: spec.language), size: 18, x: layout.plotLeft - 8, y: layout.y(v) + 6, align: .right)
            v += layout.yStep
        }
        let (ticks, style) = layout.timeTicks(in: spec.timeZone)
        var lastDay = ""
        for t in ticks {
            let x = layout.x(t)
            var label = ChartTime.label(t, style, zone: spec.timeZone, language: spec.language)
            // Sub-day labels name the day where it changes.
            let day = ChartTime.label(t, .day, zone: spec.timeZone, language: spec.language)
            if style == .clock, day != lastDay, !lastDay.isEmpty { label = "\(day) " + label }
            lastDay = day
            text(label, size: 17, x: x, y: layout.plotBottom + 24, align: .center)
        }
        color(Self.axis)
        text(ChartText.timeAxis(zone: spec.timeZone.identifier).text(spec.language), size: 15, x: layout.plotRight, y: Double(spec.height) - 12, align: .right)
    }

    /// "80 %", "512 MB", "1.5 s" (Russian: "1,5 с"): the tick's value with just enough decimals for the step.
    static func format(_ v: Double, step: Double, unit: String, language: Language = .en) -> String {
        let decimals = step >= 1 ? 0 : min(3, Int((-log10(step)).rounded(.up)))
        var n = String(format: "%.\(decimals)f", v)
        if language == .ru { n = n.replacingOccurrences(of: ".", with: ",") }
        return unit.isEmpty ? n : "\(n) \(unit)"
    }

    // MARK: text

    enum Align { case left, center, right }

    func text(_ s: String, size: Double, bold: Bool = false, x: Double, y: Double, align: Align, maxWidth: Double? = nil, halo: Bool = false) {
        cc_select_font_face(cr, Self.font, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        var size = size
        cc_set_font_size(cr, size)
        var w = 0.0, h = 0.0
        cc_text_size(cr, s, &w, &h)
        if let maxWidth, w > maxWidth, w > 0 {
            size = max(12, size * maxWidth / w)
            cc_set_font_size(cr, size)
            cc_text_size(cr, s, &w, &h)
        }
        let x0 = align == .left ? x : align == .center ? x - w / 2 : x - w
        if halo {
            cc_save(cr)
            cc_set_source_rgba(cr, 1, 1, 1, 0.85)
            cc_rectangle(cr, x0 - 3, y - size, w + 6, size + 5)
            cc_fill(cr)
            cc_restore(cr)
        }
        cc_move_to(cr, x0, y)
        cc_show_text(cr, s)
    }
}
