import Foundation
import OpsbotSupport
import Testing
@testable import Charts

/// Issue 22: what the chart writes itself (time labels, tick values, "no data", the time axis
/// caption) is in the spec's language; Russian month names come from libc tables, not ICU.
@Suite struct ChartLanguageTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let utc = TimeZone(identifier: "UTC")!

    /// 2026-12-07 13:03:00 UTC.
    let t = Date(timeIntervalSince1970: 1_796_648_580)

    @Test func timeLabelsInRussianAndEnglish() {
        #expect(ChartTime.label(t, .day, zone: utc, language: .ru) == "7 дек")
        #expect(ChartTime.label(t, .day, zone: utc, language: .en) == "7 Dec")
        #expect(ChartTime.label(t, .dayClock, zone: utc, language: .ru) == "7 дек 13:03")
        #expect(ChartTime.label(t, .dayClock, zone: utc, language: .en) == "7 Dec 13:03")
        #expect(ChartTime.label(t, .clock, zone: utc, language: .ru) == "13:03")
        // In the chart's zone: Berlin is UTC+1 in December.
        #expect(ChartTime.label(t, .dayClock, zone: berlin, language: .ru) == "7 дек 14:03")
    }

    @Test func everyMonthHasItsRussianName() {
        // The 15th of each month of 2026, noon UTC.
        let expected = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
        var day = Date(timeIntervalSince1970: 1_768_478_400)   // 2026-01-15 12:00 UTC
        var seen: [String] = []
        for _ in 0..<12 {
            seen.append(String(ChartTime.label(day, .day, zone: utc, language: .ru).dropFirst(3)))
            day = day.addingTimeInterval(Double(Calendar(identifier: .gregorian).range(of: .day, in: .month, for: day)!.count) * 86400)
        }
        #expect(seen == expected)
    }

    @Test func summerTimeShiftsTheClock() {
        // 2026-07-01 10:00 UTC is 12:00 in Berlin (UTC+2), still 1 July.
        let july = Date(timeIntervalSince1970: 1_782_900_000)
        #expect(ChartTime.label(july, .dayClock, zone: berlin, language: .ru) == "1 июл 12:00")
        // 23:30 UTC on 30 June is already 1 July in Berlin.
        let late = Date(timeIntervalSince1970: 1_782_862_200)
        #expect(ChartTime.label(late, .day, zone: berlin, language: .ru) == "1 июл")
        #expect(ChartTime.label(late, .day, zone: utc, language: .ru) == "30 июн")
    }

    @Test func tickValuesUseTheLanguagesDecimalSeparator() {
        #expect(Painter.format(1.5, step: 0.5, unit: "с", language: .ru) == "1,5 с")
        #expect(Painter.format(1.5, step: 0.5, unit: "s", language: .en) == "1.5 s")
        #expect(Painter.format(80, step: 20, unit: "%", language: .ru) == "80 %")
        #expect(Painter.format(0.25, step: 0.05, unit: "", language: .ru) == "0,25")
    }

    @Test func tickStylesFollowTheSpan() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        func style(_ span: Double) -> ChartTime.Style {
            ChartLayout(ChartSpec(title: "", unit: "", start: t0, end: t0.addingTimeInterval(span), points: [])).timeTicks(in: utc).style
        }
        #expect(style(6 * 3600) == .clock)
        #expect(style(3 * 86400) == .dayClock)
        #expect(style(7 * 86400) == .day)
    }

    @Test func painterWordsInBothLanguages() {
        #expect(ChartText.noData.text(.ru) == "за этот период данных пока нет")
        #expect(ChartText.timeAxis(zone: "Europe/Berlin").text(.ru) == "время (Europe/Berlin)")
        #expect(ChartText.noData.text(.en) == "no data for this period yet")
    }

    /// The language reaches the picture: the same week drawn in English and in Russian differs
    /// only under the plot (the day labels and the time axis caption), not in the plot itself.
    @Test func axisLabelsAreDrawnInTheSpecsLanguage() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let pts = (0...168).map { ChartPoint(time: t0.addingTimeInterval(Double($0) * 3600), value: 40 + Double($0 % 24)) }
        var spec = ChartSpec(title: "Диск /var за 7 дней", unit: "%", start: t0, end: t0.addingTimeInterval(7 * 86400), points: pts,
                             yMin: 0, yMax: 100, timeZone: berlin, language: .en)
        let en = try ChartRenderer.decode(try ChartRenderer.png(spec))
        spec.language = .ru
        let ru = try ChartRenderer.decode(try ChartRenderer.png(spec))
        let layout = ChartLayout(spec)
        func differs(_ rows: Range<Int>) -> Int {
            var n = 0
            for y in rows { for x in 0..<en.width where en.pixels[y * en.width + x] != ru.pixels[y * ru.width + x] { n += 1 } }
            return n
        }
        let plot = Int(layout.plotTop) + 2 ..< Int(layout.plotBottom) - 2
        let labels = Int(layout.plotBottom) + 4 ..< Int(layout.plotBottom) + 30
        #expect(differs(plot) == 0, "the plot is the same in both languages")
        #expect(differs(labels) > 200, "day labels: \"7 Dec\" vs \"7 дек\"")
        #expect(differs(en.height - 30 ..< en.height) > 50, "time (…) vs время (…)")
    }
}
