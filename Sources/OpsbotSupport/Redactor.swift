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
    ]

    public static func mask(_ text: String) -> String {
        var out = text
        for (re, template) in patterns {
            let range = NSRange(out.startIndex..., in: out)
            out = re.stringByReplacingMatches(in: out, range: range, withTemplate: template)
        }
        return out
    }
}
