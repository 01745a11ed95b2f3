import Foundation

/// Rules an environment variable of the monitored app must satisfy. Values are checked, never shown.
public struct EnvRule: Sendable, Hashable, Decodable {
    public enum Format: String, Sendable, Hashable, Decodable {
        case any, url, integer, bytes, regex, bool
    }
    public var name: String
    public var required: Bool
    public var format: Format
    /// For `bytes`: the exact length in bytes (ENCRYPTION_SECRET = 32).
    public var length: Int?
    /// For `regex`: the full-match pattern (token shape).
    public var pattern: String?
    /// Shown when the rule fails, e.g. "must point at the Heroku app".
    public var hint: String?

    public init(name: String, required: Bool = true, format: Format = .any, length: Int? = nil, pattern: String? = nil, hint: String? = nil) {
        self.name = name
        self.required = required
        self.format = format
        self.length = length
        self.pattern = pattern
        self.hint = hint
    }

    enum CodingKeys: String, CodingKey { case name, required, format, length, pattern, hint }
    public init(from d: Decoder) throws {
        if let n = try? d.singleValueContainer().decode(String.self) { self.init(name: n); return }
        let c = try d.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name),
                  required: try c.decodeIfPresent(Bool.self, forKey: .required) ?? true,
                  format: try c.decodeIfPresent(Format.self, forKey: .format) ?? .any,
                  length: try c.decodeIfPresent(Int.self, forKey: .length),
                  pattern: try c.decodeIfPresent(String.self, forKey: .pattern),
                  hint: try c.decodeIfPresent(String.self, forKey: .hint))
        if format == .bytes && length == nil {
            throw DecodingError.dataCorruptedError(forKey: .length, in: c, debugDescription: "format bytes needs length (e.g. 32)")
        }
        if format == .regex {
            guard let p = pattern, (try? NSRegularExpression(pattern: p)) != nil else {
                throw DecodingError.dataCorruptedError(forKey: .pattern, in: c, debugDescription: "format regex needs a valid pattern")
            }
        }
    }

    /// Problem with `value` (nil = absent), in words that never include the value. English
    /// (logs, CLI); the chat shows `problem(value)?.text()`.
    public func check(_ value: String?) -> String? {
        problem(value)?.english
    }

    /// `check` as a catalog message, for the chat in its language (`.localized` for a stored summary).
    public func problem(_ value: String?) -> SystemOpsText? {
        guard let value, !value.isEmpty else {
            return required ? (value == nil ? .envMissing : .envEmpty) : nil
        }
        switch format {
        case .any: return nil
        case .url:
            guard let u = URL(string: value), let scheme = u.scheme, ["http", "https", "postgres", "postgresql", "redis", "rediss", "amqp", "amqps"].contains(scheme.lowercased()),
                  let host = u.host, !host.isEmpty else { return .envNotURL }
            if value != value.trimmingCharacters(in: .whitespaces) { return .envSpaces }
            return nil
        case .integer:
            return Int(value) == nil ? .envNotInteger : nil
        case .bool:
            return ["true", "false", "1", "0", "yes", "no"].contains(value.lowercased()) ? nil : .envNotBool
        case .bytes:
            let n = value.utf8.count
            return n == length ? nil : .envWrongLength(bytes: n, expected: length ?? 0)
        case .regex:
            guard let p = pattern, let re = try? NSRegularExpression(pattern: "^(?:\(p))$") else { return .envInvalidPattern }
            return re.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil ? .envWrongShape : nil
        }
    }
}

/// Reads `KEY=value` env files (dotenv style: comments, `export`, quotes).
public enum EnvFile {
    public static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            out[key] = value
        }
        return out
    }
}
