import Foundation
import OpsbotSupport

/// Which log lines `/logs` keeps: a level word, a fixed string or a regex, and a time window.
///
/// `judge` is called newest line first; once a line with a timestamp is older than `since`,
/// reading stops (`.stop`), so `/logs worker critical 1h` never scans the whole file.
public struct LineFilter: Sendable {
    public enum Level: String, Sendable, CaseIterable {
        /// ERROR and above (ERROR, CRITICAL, FATAL, tracebacks).
        case error
        /// WARNING and above.
        case warning
        /// CRITICAL and FATAL only.
        case critical
    }
    public enum Verdict: Sendable, Equatable { case keep, skip, stop }

    public var level: Level?
    /// Case-insensitive fixed string.
    public var text: String?
    /// A pattern from opsbot's own config or code.
    public var regex: NSRegularExpression?
    /// A pattern typed in the chat: matched in linear time, whatever it is.
    public var chatRegex: LinearRegex?
    /// Lines stamped before this instant end the scan.
    public var since: Date?
    /// The scan stops here, however far it got (the command's deadline).
    public var deadline: Date?

    /// True once the deadline has passed: scanning loops stop.
    public var expired: Bool { deadline.map { Date() >= $0 } ?? false }

    public init(level: Level? = nil, text: String? = nil, regex: NSRegularExpression? = nil, chatRegex: LinearRegex? = nil, since: Date? = nil) {
        self.level = level
        self.text = text
        self.regex = regex
        self.chatRegex = chatRegex
        self.since = since
    }

    public var isEmpty: Bool { level == nil && text == nil && regex == nil && chatRegex == nil && since == nil }

    /// Whether lines are selected by content (backends then read more than N lines).
    public var filtersContent: Bool { level != nil || text != nil || regex != nil || chatRegex != nil }

    static let errorRE = try! NSRegularExpression(pattern: #"\b(ERROR|CRITICAL|FATAL|Traceback)\b|\[(error|crit|alert|emerg)\]"#)
    static let warningRE = try! NSRegularExpression(pattern: #"\b(WARNING|WARN|ERROR|CRITICAL|FATAL|Traceback)\b|Warning:|\[(warn|error|crit|alert|emerg)\]"#)
    static let criticalRE = try! NSRegularExpression(pattern: #"\b(CRITICAL|FATAL)\b|\[(crit|alert|emerg)\]"#)

    public static func matches(level: Level, _ line: String) -> Bool {
        let re: NSRegularExpression = switch level {
        case .error: errorRE
        case .warning: warningRE
        case .critical: criticalRE
        }
        return re.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    /// Journal priorities: 0–2 critical, 3 error, 4 warning.
    public static func matches(level: Level, priority: Int) -> Bool {
        switch level {
        case .critical: priority <= 2
        case .error: priority <= 3
        case .warning: priority <= 4
        }
    }

    /// A log source's own severity word (Railway's `severity`: `err`, `error`, `warn`, `crit`…)
    /// as a journal priority; nil for words that say nothing (`info`, `debug`, empty).
    public static func priority(severity: String) -> Int? {
        switch severity.lowercased() {
        case "emerg", "emergency", "panic": 0
        case "alert": 1
        case "crit", "critical", "fatal": 2
        case "err", "error": 3
        case "warn", "warning": 4
        default: nil
        }
    }

    /// `matchesContent`, with the level also met by the priority the source gives for the line
    /// (a line the platform marks as an error is one, whatever its text says).
    public func matchesContent(_ line: String, priority: Int?) -> Bool {
        guard let level, let priority, LineFilter.matches(level: level, priority: priority) else { return matchesContent(line) }
        var rest = self
        rest.level = nil
        return rest.matchesContent(line)
    }

    public func judge(_ line: String) -> Verdict {
        if expired { return .stop }
        if let since, let t = LogTimestamp.parse(line), t < since { return .stop }
        return matchesContent(line) ? .keep : .skip
    }

    public func matchesContent(_ line: String) -> Bool {
        if let level, !LineFilter.matches(level: level, line) { return false }
        if let text, line.range(of: text, options: .caseInsensitive) == nil { return false }
        if let regex, regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) == nil { return false }
        if let chatRegex, !chatRegex.matches(line) { return false }
        return true
    }

    /// A human description for the reply header: `error, "timeout", last 1 h`, in the current
    /// language (the text and regexes stay as typed).
    public var summary: String { summary(Language.current) }

    public func summary(_ language: Language) -> String {
        var parts: [String] = []
        if let level { parts.append(SystemOpsText.level(level).text(language)) }
        if let text { parts.append("\"\(text)\"") }
        if let regex { parts.append("/\(regex.pattern)/") }
        if let chatRegex { parts.append("/\(chatRegex.pattern)/") }
        if let since { parts.append(SystemOpsText.since(LogTimestamp.format(since)).text(language)) }
        return parts.joined(separator: ", ")
    }
}

/// Timestamps at the start of a log line: `2026-11-23 10:00:00,123`, `2026-11-23T10:00:00Z`,
/// `[2026-11-23 10:00:00]`. Lines without one (tracebacks) belong to the line before.
public enum LogTimestamp {
    static let re = try! NSRegularExpression(
        pattern: #"^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?"#)

    /// Parses the leading timestamp. Without a zone, the local zone is assumed.
    public static func parse(_ line: String) -> Date? {
        guard line.utf8.count >= 19, let first = line.utf8.first, first == UInt8(ascii: "[") || (48...57).contains(first) else { return nil }
        let head = String(line.prefix(40))
        guard let m = re.firstMatch(in: head, range: NSRange(head.startIndex..., in: head)) else { return nil }
        func g(_ i: Int) -> Int { Int((head as NSString).substring(with: m.range(at: i))) ?? 0 }
        var c = DateComponents()
        c.year = g(1); c.month = g(2); c.day = g(3); c.hour = g(4); c.minute = g(5); c.second = g(6)
        var cal = Calendar(identifier: .gregorian)
        if m.range(at: 7).location != NSNotFound {
            let z = (head as NSString).substring(with: m.range(at: 7))
            if z == "Z" { cal.timeZone = TimeZone(identifier: "UTC")! } else {
                let digits = z.filter(\.isNumber)
                let sign = z.hasPrefix("-") ? -1 : 1
                let secs = sign * ((Int(digits.prefix(2)) ?? 0) * 3600 + (Int(digits.suffix(2)) ?? 0) * 60)
                cal.timeZone = TimeZone(secondsFromGMT: secs) ?? .current
            }
        } else {
            cal.timeZone = .current
        }
        return cal.date(from: c)
    }

    public static func format(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: d)
    }
}
