#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers, durations, dates and amounts as each language writes them. Built on libc, not
/// Foundation's formatters, which load ICU and wake it on every call.
public enum LocalFormat {
    /// `42 s`, `7 min`, `3 h 5 min` / `42 с`, `7 мин`, `3 ч 5 мин`, `2 д 4 ч`.
    public static func duration(_ seconds: Double, _ language: Language = Language.current) -> String {
        language == .ru ? Durations.format(seconds, units: ("с", "мин", "ч", "д")) : Durations.format(seconds)
    }

    /// `2 h 15 min ago` / `2 ч 15 мин назад`.
    public static func ago(_ seconds: Double, _ language: Language = Language.current) -> String {
        language == .ru ? duration(seconds, .ru) + " назад" : duration(seconds, .en) + " ago"
    }

    /// `in 3 h` / `через 3 ч`.
    public static func within(_ seconds: Double, _ language: Language = Language.current) -> String {
        language == .ru ? "через " + duration(seconds, .ru) : "in " + duration(seconds, .en)
    }

    /// A decimal number with `decimals` places: `12.5` / `12,5`. Never for SQL, ids or paths.
    public static func number(_ value: Double, decimals: Int = 1, _ language: Language = Language.current) -> String {
        let s = fixed(value, decimals: decimals)
        return language == .ru ? s.replacingAll(".", with: ",") : s
    }

    /// `549.00 RUB` / `549,00 ₽` (Russian puts the sign after, with a space, and a comma).
    public static func money(_ amount: Double, currency: String, _ language: Language = Language.current) -> String {
        let s = fixed(amount, decimals: 2)
        guard language == .ru else { return "\(s) \(currency)" }
        let sign: String? = switch currency.uppercased() {
        case "RUB", "RUR": "₽"
        case "USD": "$"
        case "EUR": "€"
        default: nil
        }
        return s.replacingAll(".", with: ",") + " " + (sign ?? currency)
    }

    /// The amount as the database or provider wrote it ("549.00"), formatted for the chat;
    /// text that is not a plain decimal is shown as it is.
    public static func money(_ amount: String, currency: String, _ language: Language = Language.current) -> String {
        guard let v = Double(amount), amount.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
            return "\(amount) \(currency)"
        }
        return money(v, currency: currency, language)
    }

    static let monthsEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let monthsRU = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]

    /// `7 Dec 14:03` / `7 дек 14:03`, in the machine's local time zone (or UTC when `utc`).
    public static func dateTime(epoch seconds: Double, utc: Bool = false, _ language: Language = Language.current) -> String {
        let t = parts(seconds, utc: utc)
        let months = language == .ru ? monthsRU : monthsEN
        return "\(t.day) \(months[t.month]) \(two(t.hour)):\(two(t.minute))"
    }

    /// `7 Dec` / `7 дек`.
    public static func day(epoch seconds: Double, utc: Bool = false, _ language: Language = Language.current) -> String {
        let t = parts(seconds, utc: utc)
        return "\(t.day) \((language == .ru ? monthsRU : monthsEN)[t.month])"
    }

    /// `14:03`.
    public static func clock(epoch seconds: Double, utc: Bool = false) -> String {
        let t = parts(seconds, utc: utc)
        return "\(two(t.hour)):\(two(t.minute))"
    }

    static func parts(_ seconds: Double, utc: Bool) -> (day: Int, month: Int, hour: Int, minute: Int) {
        var t = time_t(seconds.rounded(.down))
        var out = tm()
        if utc { gmtime_r(&t, &out) } else { localtime_r(&t, &out) }
        return (Int(out.tm_mday), Int(out.tm_mon), Int(out.tm_hour), Int(out.tm_min))
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return String(value) }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let negative = value < 0
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let frac = Int(scaled - Double(whole) * scale)
        var s = (negative && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: max(0, decimals - f.count)) + f
        }
        return s
    }
}

extension String {
    func replacingAll(_ a: Character, with b: String) -> String {
        var out = ""
        for ch in self { if ch == a { out += b } else { out.append(ch) } }
        return out
    }
}
