import Charts
import Foundation
import OpsbotServices
import OpsbotSupport

/// Numbers, rates, periods and projections as the caption writes them, in each language.
enum GraphFormat {
    /// `78`, `78.5` / `78,5` (one decimal below 100 unless whole).
    static func number(_ v: Double, _ language: Language) -> String {
        let n = abs(v) >= 100 || v == v.rounded() ? String(format: "%.0f", v) : String(format: "%.1f", v)
        return comma(n, language)
    }

    /// `78.5 %`, `512 MB` / `512 МБ`, `3` (counts).
    static func value(_ v: Double, _ unit: GraphUnit, _ language: Language) -> String {
        let n = number(v, language)
        let u = GraphText.unit(unit).text(language)
        return u.isEmpty ? n : "\(n) \(u)"
    }

    /// `+6.0 %/h`, `+50 MB/h` / `+6,0 %/ч`, `+50 МБ/ч`.
    static func rate(_ perHour: Double, _ unit: GraphUnit, _ language: Language) -> String {
        let n = unit == .percent ? String(format: "%+.1f", perHour) : String(format: "%+.0f", perHour)
        return comma(n, language) + " " + GraphText.unit(unit).text(language) + (language == .ru ? "/ч" : "/h")
    }

    /// A chart's period after "за": `6 часов`, `24 часа`, `7 дней`, `1 ч 30 мин`.
    static func periodRU(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 2 * 86400, s % 86400 == 0 { return Plural.ru(s / 86400, "день", "дня", "дней") }
        if s >= 3600, s % 3600 == 0 { return Plural.ru(s / 3600, "час", "часа", "часов") }
        return LocalFormat.duration(seconds, .ru)
    }

    /// `the last 24 h` / `за 24 часа`.
    static func span(_ seconds: Double, _ language: Language) -> String {
        language == .ru ? "за " + periodRU(seconds) : "the last \(Durations.format(seconds))"
    }

    /// The fit's window: `the last hour` / `за последний час`, `за последние 30 мин`.
    static func window(_ seconds: Double, _ language: Language) -> String {
        guard language == .ru else { return Projection.windowPhrase(seconds) }
        return seconds == 3600 ? "за последний час" : "за последние \(LocalFormat.duration(seconds, .ru))"
    }

    /// A fallback row's time: `7 Dec 14:03` / `7 дек 14:03` in the chart's zone.
    static func dateTime(_ t: Date, zone: TimeZone, _ language: Language) -> String {
        ChartTime.label(t, .dayClock, zone: zone, language: language)
    }

    static func comma(_ s: String, _ language: Language) -> String {
        language == .ru ? s.replacingOccurrences(of: ".", with: ",") : s
    }
}
