import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shapes and times of provider answers checked and parsed byte by byte: these run in every
/// check round, and Foundation's regular expressions and date formatters wake ICU (megabytes
/// resident) — the same reason the redactor prefilters its patterns.
public enum ProviderText {
    /// `2d5f1c2a-000f-5000-8000-1a2b3c4d5e05`: 36 characters, lower-case hex, dashes at 8, 13, 18, 23.
    public static func isLowerHexUUID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 36 else { return false }
        for (i, b) in u.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 { if b != UInt8(ascii: "-") { return false }; continue }
            guard (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) else { return false }
        }
        return true
    }

    /// A positive integer without leading zero that fits Int64 (a Crypto Pay invoice id).
    public static func isInvoiceID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard (1...18).contains(u.count), u[0] != UInt8(ascii: "0") else { return false }
        return u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `123`, `123.45`, optionally negative: the only amounts compared.
    public static func isDecimal(_ s: String) -> Bool {
        var u = Array(s.utf8)[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        guard let dot = u.firstIndex(of: UInt8(ascii: ".")) ?? Optional(u.endIndex) else { return false }
        let whole = u[..<dot], frac = dot < u.endIndex ? u[(dot + 1)...] : []
        let digit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        return !whole.isEmpty && whole.allSatisfy(digit) && (dot == u.endIndex || (!frac.isEmpty && frac.allSatisfy(digit)))
    }

    /// `007.50` → `7.5`, `-0.0` → `0`: equal decimals give equal text (call on `isDecimal` text).
    public static func canonicalDecimal(_ s: String) -> String {
        var negative = false
        var t = Substring(s)
        if t.hasPrefix("-") { negative = true; t = t.dropFirst() }
        let parts = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts[0].drop { $0 == "0" })
        var frac = parts.count > 1 ? String(parts[1]) : ""
        while frac.hasSuffix("0") { frac.removeLast() }
        if whole.isEmpty { whole = "0" }
        let body = frac.isEmpty ? whole : whole + "." + frac
        return negative && body != "0" ? "-" + body : body
    }

    /// ISO 8601: `2024-05-01T10:00:00.123Z`, `…:00Z`, `…:00+03:00` (fraction cut to what Date holds).
    public static func date(_ s: String) -> Date? {
        let u = Array(s.utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= u.count else { return nil }
            var v = 0
            for b in u[a..<(a + n)] { guard b >= 0x30 && b <= 0x39 else { return nil }; v = v * 10 + Int(b - 0x30) }
            return v
        }
        guard u.count >= 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let sec = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { fraction += Double(u[i] - 0x30) * scale; scale /= 10; i += 1 }
        }
        var offset = 0
        guard i < u.count else { return nil }
        if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") {
            guard i + 1 == u.count else { return nil }
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"), let oh = num(i + 1, 2), let om = num(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        var t = tm()
        t.tm_year = Int32(y - 1900)
        t.tm_mon = Int32(mo - 1)
        t.tm_mday = Int32(d)
        t.tm_hour = Int32(h)
        t.tm_min = Int32(mi)
        t.tm_sec = Int32(sec)
        let epoch = timegm(&t)
        return Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
    }

    /// `14:02 UTC` on `now`'s UTC day, else `2024-05-01 14:02 UTC`.
    public static func clock(_ d: Date, now: Date = Date()) -> String {
        func parts(_ d: Date) -> tm {
            var t = time_t(d.timeIntervalSince1970.rounded(.down))
            var out = tm()
            gmtime_r(&t, &out)
            return out
        }
        let a = parts(d), b = parts(now)
        let hm = two(Int(a.tm_hour)) + ":" + two(Int(a.tm_min))
        if a.tm_year == b.tm_year && a.tm_yday == b.tm_yday { return hm + " UTC" }
        return "\(Int(a.tm_year) + 1900)-\(two(Int(a.tm_mon) + 1))-\(two(Int(a.tm_mday))) \(hm) UTC"
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
