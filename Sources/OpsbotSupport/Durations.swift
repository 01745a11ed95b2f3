/// Durations as operators write them: `90`, `45s`, `15m`, `1h`, `2d`, `1h30m`.
public enum Durations {
    /// Seconds in `text`, or nil when it is not a duration. A bare number means seconds.
    public static func parse(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if s.isEmpty { return nil }
        if let n = Double(s), n >= 0 { return n }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for ch in s {
            if ch.isNumber || ch == "." {
                number.append(ch)
                continue
            }
            guard let n = Double(number) else { return nil }
            let unit: Double
            switch ch {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            case "w": unit = 604800
            default: return nil
            }
            total += n * unit
            number = ""
            sawUnit = true
        }
        if !number.isEmpty { return nil }
        return sawUnit ? total : nil
    }

    /// A short human form: `42 s`, `7 min`, `3 h 5 min`, `2 d 4 h`.
    public static func format(_ seconds: Double) -> String {
        format(seconds, units: ("s", "min", "h", "d"))
    }

    /// The same shape with each language's unit names (`LocalFormat.duration`).
    static func format(_ seconds: Double, units u: (s: String, min: String, h: String, d: String)) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) \(u.s)" }
        if s < 3600 { return "\(s / 60) \(u.min)" }
        if s < 86400 {
            let m = (s % 3600) / 60
            return m == 0 ? "\(s / 3600) \(u.h)" : "\(s / 3600) \(u.h) \(m) \(u.min)"
        }
        let h = (s % 86400) / 3600
        return h == 0 ? "\(s / 86400) \(u.d)" : "\(s / 86400) \(u.d) \(h) \(u.h)"
    }
}

import Foundation

extension Duration {
    /// The span in seconds, for figures and metrics.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
