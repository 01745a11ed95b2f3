import Foundation

/// Several problems of one place found together (a command file's settings), all reported.
public struct ConfigErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [ConfigError]
    public init(_ errors: [ConfigError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// A configuration or catalog problem, naming the file, the line when known, and the key at fault.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var key: String
    public var message: String
    /// 1-based line in `file`, when the problem was found in a YAML node.
    public var line: Int?

    public init(file: String, key: String, message: String, line: Int? = nil) {
        self.file = file
        self.key = key
        self.message = message
        self.line = line
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }

    /// `services.web.health[0].url` from a coding path.
    static func render(_ codingPath: [CodingKey], prefix: String) -> String {
        var out = prefix
        for k in codingPath {
            if let i = k.intValue, k.stringValue == "\(i)" || k.stringValue.isEmpty { out += "[\(i)]" } else {
                out += out.isEmpty ? k.stringValue : ".\(k.stringValue)"
            }
        }
        return out
    }

    /// Turns a decoding error into one that says which key, in which file.
    public static func from(_ error: Error, file: String, prefix: String = "") -> ConfigError {
        if let e = error as? ConfigError { return e }
        func path(_ codingPath: [CodingKey]) -> String { render(codingPath, prefix: prefix) }
        switch error {
        case DecodingError.typeMismatch(let type, let ctx):
            let found = ctx.debugDescription.hasPrefix("found ") ? ", \(ctx.debugDescription)" : ""
            if ctx.debugDescription.hasPrefix("expected ") {
                return ConfigError(file: file, key: path(ctx.codingPath), message: ctx.debugDescription)
            }
            return ConfigError(file: file, key: path(ctx.codingPath), message: "expected \(describe(type))\(found)")
        case DecodingError.valueNotFound(let type, let ctx):
            return ConfigError(file: file, key: path(ctx.codingPath), message: "expected \(describe(type)), found nothing")
        case DecodingError.keyNotFound(let key, let ctx):
            let d = ctx.debugDescription
            let plain = d.isEmpty || d == "is required" || d.hasPrefix("No value associated")
            return ConfigError(file: file, key: path(ctx.codingPath + [key]), message: plain ? "is required" : "is required (\(d))")
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
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default:
            "\(type)".hasPrefix("Array") ? "a list" : ("\(type)".hasPrefix("Dictionary") ? "a mapping" : "a \(type)")
        }
    }
}
