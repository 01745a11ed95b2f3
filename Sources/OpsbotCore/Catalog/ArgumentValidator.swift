import Foundation

/// Why an argument was refused, in words the admin can act on.
public struct ArgumentError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks chat words against the catalog's argument specs. Nothing unvalidated reaches a module.
public enum ArgumentValidator {
    /// Validates one word. `services` is the configured service names (nil: skip that check,
    /// used when validating catalog defaults before the config is known).
    public static func validate(_ raw: String, spec: ArgumentSpec, services: [String]?) throws -> ArgumentValue {
        switch spec.type {
        case .int:
            guard let v = Int(raw) else { throw ArgumentError("\(spec.name) must be a whole number, got \"\(clip(raw))\"") }
            if let min = spec.min, v < min { throw ArgumentError("\(spec.name) must be at least \(min), got \(v)") }
            if let max = spec.max, v > max { throw ArgumentError("\(spec.name) must be at most \(max), got \(v)") }
            return .int(v)
        case .duration:
            // A duration typed in the chat carries its unit: is a bare 30 seconds or minutes?
            if Double(raw) != nil { throw ArgumentError("\(spec.name) needs a unit: \(clip(raw))s, \(clip(raw))m or \(clip(raw))h? (got \"\(clip(raw))\")") }
            guard let v = Durations.parse(raw) else { throw ArgumentError("\(spec.name) must be a duration such as 90s, 15m or 1h, got \"\(clip(raw))\"") }
            if let min = spec.min, v < Double(min) { throw ArgumentError("\(spec.name) must be at least \(Durations.format(Double(min)))") }
            if let max = spec.max, v > Double(max) { throw ArgumentError("\(spec.name) must be at most \(Durations.format(Double(max)))") }
            return .duration(v)
        case .service:
            if spec.allowAll && raw == "all" { return .string(raw) }
            if let services {
                guard services.contains(raw) else {
                    let known = services.isEmpty ? "none configured" : services.joined(separator: ", ") + (spec.allowAll ? ", all" : "")
                    throw ArgumentError("unknown service \"\(clip(raw))\" (known: \(known))")
                }
            } else {
                try matchOrThrow(raw, pattern: ArgumentSpec.defaultPattern, name: spec.name)
            }
            return .string(raw)
        case .enum:
            guard spec.values.contains(raw) else {
                throw ArgumentError("\(spec.name) must be one of \(spec.values.joined(separator: ", ")), got \"\(clip(raw))\"")
            }
            return .string(raw)
        case .string:
            try matchOrThrow(raw, pattern: spec.pattern ?? ArgumentSpec.defaultPattern, name: spec.name)
            return .string(raw)
        case .words:
            let words = raw.split(separator: " ").map(String.init)
            for w in words { try matchOrThrow(w, pattern: spec.pattern ?? ArgumentSpec.defaultPattern, name: spec.name) }
            return .words(words)
        }
    }

    /// Binds the words after the command to the command's argument specs.
    public static func bind(_ words: [String], to command: CatalogCommand, services: [String]) throws -> [String: ArgumentValue] {
        var out: [String: ArgumentValue] = [:]
        var rest = words[...]
        for spec in command.arguments {
            if spec.type == .words {
                let taken = Array(rest)
                rest = []
                if taken.isEmpty {
                    if spec.required { throw ArgumentError("missing \(spec.name). Usage: \(command.synopsis)") }
                    if let d = spec.defaultValue { out[spec.name] = try validateWords(d.split(separator: " ").map(String.init), spec) }
                    continue
                }
                out[spec.name] = try validateWords(taken, spec)
                continue
            }
            if let word = rest.first {
                rest = rest.dropFirst()
                out[spec.name] = try validate(word, spec: spec, services: services)
            } else if let d = spec.defaultValue {
                out[spec.name] = try validate(d, spec: spec, services: nil)
            } else if spec.required {
                // A missing service says which there are: `/restart` alone lists them.
                if spec.type == .service {
                    let known = services.isEmpty ? "none configured" : services.joined(separator: ", ") + (spec.allowAll ? ", all" : "")
                    throw ArgumentError("missing \(spec.name) (services: \(known)). Usage: \(command.synopsis)")
                }
                throw ArgumentError("missing \(spec.name). Usage: \(command.synopsis)")
            }
        }
        if !rest.isEmpty {
            throw ArgumentError("too many arguments (\"\(clip(rest.joined(separator: " ")))\"). Usage: \(command.synopsis)")
        }
        return out
    }

    private static func validateWords(_ words: [String], _ spec: ArgumentSpec) throws -> ArgumentValue {
        for w in words { try matchOrThrow(w, pattern: spec.pattern ?? ArgumentSpec.defaultPattern, name: spec.name) }
        return .words(words)
    }

    private static func matchOrThrow(_ raw: String, pattern: String, name: String) throws {
        // Plain patterns on printable ASCII are decided without ICU (SimplePattern); the rest as before.
        if let matched = SimplePattern.wholeMatch(raw, pattern) {
            guard matched else {
                throw ArgumentError("\(name) \"\(clip(raw))\" has characters that are not allowed (expected \(pattern))")
            }
            return
        }
        guard let re = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
            throw ArgumentError("\(name): the catalog's pattern is invalid")
        }
        guard re.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) != nil else {
            throw ArgumentError("\(name) \"\(clip(raw))\" has characters that are not allowed (expected \(pattern))")
        }
    }

    static func clip(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
}

extension Config {
    /// Names of the monitored services (the keys of the `services:` section). Read on every
    /// command: keys are compared as strings (a `Node` key would resolve tags by regex).
    public var serviceNames: [String] {
        guard let node = root?.mapping?.value("services") else { return [] }
        if let m = node.mapping { return m.keys.compactMap(\.string) }
        if let s = node.sequence { return s.compactMap { $0.mapping?.value("name")?.string } }
        return []
    }
}

import Yams
