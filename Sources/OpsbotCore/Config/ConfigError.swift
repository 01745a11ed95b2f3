import Foundation

/// A configuration or catalog problem, naming the file and the key at fault.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var key: String
    public var message: String

    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "\(file): \(message)" : "\(file): \(key): \(message)"
    }

    /// Turns a decoding error into one that says which key, in which file.
    public static func from(_ error: Error, file: String, prefix: String = "") -> ConfigError {
        if let e = error as? ConfigError { return e }
        func path(_ codingPath: [CodingKey]) -> String {
            let parts = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            var out = prefix
            for p in parts {
                if p.hasPrefix("[") { out += p } else { out += out.isEmpty ? p : ".\(p)" }
            }
            return out
        }
        switch error {
        case DecodingError.typeMismatch(let type, let ctx):
            return ConfigError(file: file, key: path(ctx.codingPath), message: "expected \(describe(type))")
        case DecodingError.valueNotFound(let type, let ctx):
            return ConfigError(file: file, key: path(ctx.codingPath), message: "expected \(describe(type)), found nothing")
        case DecodingError.keyNotFound(let key, let ctx):
            return ConfigError(file: file, key: path(ctx.codingPath + [key]), message: "is required")
        case DecodingError.dataCorrupted(let ctx):
            var why = ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription
            // Swift's own words for an unknown enum value ("Cannot initialize Backend from
            // invalid String value sytemd") read better as the operator's typo.
            if why.hasPrefix("Cannot initialize"), let r = why.range(of: "from invalid String value ") {
                why = "unknown value \"\(why[r.upperBound...])\""
            }
            return ConfigError(file: file, key: path(ctx.codingPath), message: why)
        default:
            return ConfigError(file: file, key: prefix, message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default:
            "\(type)".hasPrefix("Array") ? "a list" : ("\(type)".hasPrefix("Dictionary") ? "a mapping" : "a \(type)")
        }
    }
}
