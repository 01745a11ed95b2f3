import Foundation
import OpsbotSupport

/// Time labels of a chart in its zone and language: `14:00`, `7 Dec 14:00` / `7 дек 14:00`,
/// `7 Dec` / `7 дек`. Month names come from `LocalFormat` (libc), not `DateFormatter`, which
/// would load ICU's locale data for Russian.
public enum ChartTime {
    /// What a time tick shows.
    public enum Style: Sendable, Hashable {
        /// `14:00`
        case clock
        /// `7 Dec 14:00`
        case dayClock
        /// `7 Dec`
        case day
    }

    public static func label(_ t: Date, _ style: Style, zone: TimeZone, language: Language) -> String {
        let local = wallClock(t, zone)
        switch style {
        case .clock: return LocalFormat.clock(epoch: local, utc: true)
        case .dayClock: return LocalFormat.dateTime(epoch: local, utc: true, language)
        case .day: return LocalFormat.day(epoch: local, utc: true, language)
        }
    }

    /// `t` as seconds whose UTC reading is the wall-clock time in `zone`.
    static func wallClock(_ t: Date, _ zone: TimeZone) -> Double {
        t.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: t))
    }
}
