import Foundation

/// Removes secrets from text before it reaches a log line, an error, a reply or a file.
///
/// The bot token is in every Bot API URL, so every error path that can carry a URL goes
/// through `Redactor.shared.redact`. Secrets are registered once at start-up.
public final class Redactor: Sendable {
    public static let shared = Redactor()

    private let secrets = Locked<[String]>([])

    public init() {}

    public func register(_ secret: String) {
        let s = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard s.count >= 6 else { return }
        secrets.withLock { if !$0.contains(s) { $0.append(s); $0.sort { $0.count > $1.count } } }
    }

    /// Registered secrets replaced, and anything shaped like a secret masked too.
    public func redact(_ text: String) -> String {
        var out = text
        for s in secrets.current where out.contains(s) {
            out = out.replacingOccurrences(of: s, with: "[REDACTED]")
        }
        return SecretPatterns.mask(out)
    }
}

/// Shapes of secrets that may turn up in logs or errors even when nobody registered them.
public enum SecretPatterns {
    private static let patterns: [(NSRegularExpression, String)] = [
        // Telegram bot token, also inside /bot<token>/ URLs
        (try! NSRegularExpression(pattern: #"(?<![0-9])\d{6,12}:[A-Za-z0-9_-]{30,}"#), "[REDACTED]"),
        // user:password@ in connection URIs
        (try! NSRegularExpression(pattern: #"([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+):[^@\s/]+@"#), "$1:[REDACTED]@"),
        // password=... in libpq key=value strings
        (try! NSRegularExpression(pattern: #"(?i)\b(password\s*=\s*)('[^']*'|\S+)"#), "$1[REDACTED]"),
        // OpenAI-style and similar API keys
        (try! NSRegularExpression(pattern: #"\bsk-[A-Za-z0-9_-]{16,}"#), "sk-[REDACTED]"),
        // Bearer tokens
        (try! NSRegularExpression(pattern: #"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{16,}"#), "$1[REDACTED]"),
        // YooKassa secret keys (test_…, live_…)
        (try! NSRegularExpression(pattern: #"(?<![A-Za-z0-9_-])(test|live)_[A-Za-z0-9_-]{20,}"#), "[REDACTED]"),
    ]

    /// `patterns.count`, known without compiling them (the first touch of `patterns` does).
    static let patternCount = 6

    public static func mask(_ text: String) -> String {
        var out = text
        for i in 0..<patternCount where mayMatch(i, out) {
            out = replace(i, in: out)
        }
        return out
    }

    /// Pattern `i` applied, whatever `mayMatch` says (tests compare both ways).
    static func replace(_ i: Int, in text: String) -> String {
        let (re, template) = patterns[i]
        return re.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    /// False only when pattern `i` cannot match `text`: it lacks a piece every match contains
    /// (all ASCII, so a byte scan decides). Most lines — every idle log line, every audit
    /// record of a plain command — lack them all, so the regexes (ICU, megabytes resident once
    /// woken, and most of an audit write's time) do not run; when the piece is there the
    /// regex decides, so the masking is exactly what it was.
    static func mayMatch(_ i: Int, _ text: String) -> Bool {
        let u = text.utf8
        switch i {
        case 0: return u.hasRun(of: 30, after: UInt8(ascii: ":"), in: tokenByte)      // :[A-Za-z0-9_-]{30,}
        case 1: return u.contains(UInt8(ascii: "@")) && u.containsBytes("://")        // scheme://user:pw@
        case 2: return u.contains(UInt8(ascii: "="))                                   // password\s*=
        case 3: return u.containsBytes("sk-")                                          // sk-…
        case 4: return u.hasRun(of: 16, after: nil, in: bearerByte)                   // [A-Za-z0-9._~+/=-]{16,}
        default: return (u.containsBytes("test_") || u.containsBytes("live_")) && u.hasRun(of: 25, after: nil, in: tokenByte)  // test_…{20,}
        }
    }

    static func tokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    static func bearerByte(_ b: UInt8) -> Bool {
        tokenByte(b) || b == 0x2E || b == 0x7E || b == 0x2B || b == 0x2F || b == 0x3D
    }
}

private extension String.UTF8View {
    /// Byte search (not by Character: a mark joined to the piece's first letter must not hide it).
    func containsBytes(_ piece: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: piece.utf8Start, count: piece.utf8CodeUnitCount)
        let bytes = Array(self)
        guard bytes.count >= p.count else { return false }
        for start in 0...(bytes.count - p.count) where bytes[start] == p[0] {
            if (1..<p.count).allSatisfy({ bytes[start + $0] == p[$0] }) { return true }
        }
        return false
    }

    /// Whether `count` bytes satisfying `accept` follow one another (right after a `lead`
    /// byte when one is given).
    func hasRun(of count: Int, after lead: UInt8?, in accept: (UInt8) -> Bool) -> Bool {
        var run = 0, open = lead == nil
        for b in self {
            if open && accept(b) {
                run += 1
                if run >= count { return true }
            } else {
                run = 0
                open = lead == nil || b == lead
            }
        }
        return false
    }
}
