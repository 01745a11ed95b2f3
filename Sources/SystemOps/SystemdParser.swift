import Foundation

/// A systemd unit's state from `systemctl show UNIT --property=…`.
public struct SystemdUnitState: Sendable, Hashable {
    public var activeState: String
    public var subState: String
    public var mainPID: Int32
    public var memoryBytes: Int?
    public var restarts: Int?
    public var activeSince: Date?
    /// When the unit last changed state (`StateChangeTimestamp`): "failed since …".
    public var stateSince: Date?
    public var loadState: String
    public var result: String?
    /// The unit's `Environment=` assignments (names and values; values never shown).
    public var environment: [String: String]

    public var isActive: Bool { activeState == "active" }
}

/// Parses what `systemctl show` and `journalctl -o json` print.
public enum SystemdParser {
    /// The properties opsbot asks for.
    public static let properties = ["Id", "LoadState", "ActiveState", "SubState", "MainPID", "MemoryCurrent", "NRestarts",
                                    "ActiveEnterTimestamp", "ExecMainStartTimestamp", "StateChangeTimestamp", "Result", "Environment"]

    /// `Key=Value` lines into a dictionary (values may contain `=`).
    public static func parseShow(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    public static func unitState(_ text: String) -> SystemdUnitState {
        let p = parseShow(text)
        func int(_ k: String) -> Int? {
            guard let v = p[k], !v.isEmpty, v != "[not set]" else { return nil }
            // MemoryCurrent is 2^64-1 when unknown
            if v == "18446744073709551615" { return nil }
            return Int(v)
        }
        return SystemdUnitState(activeState: p["ActiveState"] ?? "unknown", subState: p["SubState"] ?? "",
                                mainPID: Int32(p["MainPID"] ?? "0") ?? 0, memoryBytes: int("MemoryCurrent"),
                                restarts: int("NRestarts"),
                                activeSince: parseTimestamp(p["ActiveEnterTimestamp"] ?? p["ExecMainStartTimestamp"] ?? ""),
                                stateSince: parseTimestamp(p["StateChangeTimestamp"] ?? ""),
                                loadState: p["LoadState"] ?? "unknown", result: p["Result"],
                                environment: parseEnvironment(p["Environment"] ?? ""))
    }

    /// `Mon 2026-11-23 10:00:00 UTC` (the weekday and the zone abbreviation are optional).
    public static func parseTimestamp(_ s: String) -> Date? {
        let parts = s.split(separator: " ").map(String.init)
        guard let dateIdx = parts.firstIndex(where: { $0.count == 10 && $0.dropFirst(4).first == "-" }), dateIdx + 1 < parts.count else { return nil }
        let zone = dateIdx + 2 < parts.count ? parts[dateIdx + 2] : "UTC"
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.timeZone = TimeZone(abbreviation: zone) ?? TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
        return f.date(from: parts[dateIdx] + " " + parts[dateIdx + 1])
    }

    /// `A=1 "B=two words" C=3` → names and values, as systemd prints `Environment=`.
    public static func parseEnvironment(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        var current = ""
        var quote: Character? = nil
        var items: [String] = []
        var escaped = false
        for ch in s {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if let q = quote { if ch == q { quote = nil } else { current.append(ch) }; continue }
            if ch == "\"" || ch == "'" { quote = ch; continue }
            if ch == " " { if !current.isEmpty { items.append(current); current = "" }; continue }
            current.append(ch)
        }
        if !current.isEmpty { items.append(current) }
        for item in items {
            if let eq = item.firstIndex(of: "=") { out[String(item[..<eq])] = String(item[item.index(after: eq)...]) }
        }
        return out
    }

    /// One journal entry from `journalctl -o json`.
    public struct JournalEntry: Sendable, Hashable {
        public var time: Date?
        public var priority: Int?
        public var pid: String?
        public var message: String
        /// `_SYSTEMD_UNIT`: the unit whose process wrote the entry (trusted, set by journald).
        public var systemdUnit: String?
        /// `UNIT=`: the unit a line of systemd's own is about (`Started …`, `Deactivated successfully.`).
        public var aboutUnit: String?

        /// A line systemd (PID 1) wrote about a unit, not the unit's own output.
        public var fromSystemd: Bool { pid == "1" || (aboutUnit != nil && systemdUnit != aboutUnit) }

        /// `2026-11-23T10:00:00 [3] message`
        public var line: String {
            let t = time.map { ISO8601.format($0) } ?? "-"
            return "\(t) \(message)"
        }
    }

    /// Parses one JSON line; MESSAGE may be a string or an array of bytes (binary or invalid UTF-8).
    public static func journalEntry(_ line: String) -> JournalEntry? {
        guard let data = line.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var message = ""
        if let s = obj["MESSAGE"] as? String { message = s } else if let bytes = obj["MESSAGE"] as? [Int] {
            message = Sanitize.line(bytes.map { UInt8(truncatingIfNeeded: $0) })
        }
        let time = (obj["__REALTIME_TIMESTAMP"] as? String).flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1_000_000) }
        let priority = (obj["PRIORITY"] as? String).flatMap(Int.init)
        return JournalEntry(time: time, priority: priority, pid: obj["_PID"] as? String, message: Sanitize.line(Array(message.utf8)),
                            systemdUnit: obj["_SYSTEMD_UNIT"] as? String, aboutUnit: obj["UNIT"] as? String)
    }
}

/// Compact UTC timestamps for replies.
public enum ISO8601 {
    public static func format(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return f.string(from: d)
    }

    /// RFC 3339 with optional fractional seconds (Docker's `StartedAt`: `2026-11-23T10:00:00.123456789Z`).
    public static func parse(_ s: String) -> Date? {
        var t = s
        if let dot = t.firstIndex(of: ".") {
            let rest = t[dot...]
            let zoneStart = rest.firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) ?? rest.endIndex
            t = String(t[..<dot]) + String(rest[zoneStart...])
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: t)
    }
}
