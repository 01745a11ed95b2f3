import Foundation

/// Why an argument was refused, in words the admin can act on.
public struct ArgumentError: Error, Equatable, CustomStringConvertible {
    /// Plain English, for the audit log and logs.
    public var message: String
    /// What the chat shows (HTML), in the language current when it was thrown.
    public var html: String
    public init(_ message: String) {
        self.message = message
        html = HTML.escape(message)
    }
    public init(_ text: CoreText) {
        message = HTML.toPlainText(text.english)
        html = text.text()
    }
    public var description: String { message }
}

/// Checks chat words against the catalog's argument specs. Nothing unvalidated reaches a module.
public enum ArgumentValidator {
    /// Validates one word. `services` is the configured service names (nil: skip that check,
    /// used when validating catalog defaults before the config is known).
    public static func validate(_ raw: String, spec: ArgumentSpec, services: [String]?) throws -> ArgumentValue {
        switch spec.type {
        case .int:
            guard let v = Int(raw) else { throw ArgumentError(.mustBeWholeNumber(name: spec.name, got: clip(raw))) }
            if let min = spec.min, v < min { throw ArgumentError(.atLeast(name: spec.name, min: min, got: v)) }
            if let max = spec.max, v > max { throw ArgumentError(.atMost(name: spec.name, max: max, got: v)) }
            return .int(v)
        case .duration:
            // A duration typed in the chat carries its unit: is a bare 30 seconds or minutes?
            if Double(raw) != nil { throw ArgumentError(.durationNeedsUnit(name: spec.name, got: clip(raw))) }
            guard let v = Durations.parse(raw) else { throw ArgumentError(.mustBeDuration(name: spec.name, got: clip(raw))) }
            if let min = spec.min, v < Double(min) { throw ArgumentError(.durationAtLeast(name: spec.name, seconds: Double(min))) }
            if let max = spec.max, v > Double(max) { throw ArgumentError(.durationAtMost(name: spec.name, seconds: Double(max))) }
            return .duration(v)
        case .service:
            if spec.allowAll && raw == "all" { return .string(raw) }
            if let services {
                guard services.contains(raw) else {
                    throw ArgumentError(.unknownService(got: clip(raw), known: services, allowAll: spec.allowAll))
                }
            } else {
                try matchOrThrow(raw, pattern: ArgumentSpec.defaultPattern, name: spec.name)
            }
            return .string(raw)
        case .enum:
            guard spec.values.contains(raw) else {
                throw ArgumentError(.mustBeOneOf(name: spec.name, values: spec.values, got: clip(raw)))
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
                    if spec.required { throw ArgumentError(.missingArgument(name: spec.name, synopsis: command.synopsis)) }
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
                    throw ArgumentError(.missingService(name: spec.name, known: services, allowAll: spec.allowAll, synopsis: command.synopsis))
                }
                throw ArgumentError(.missingArgument(name: spec.name, synopsis: command.synopsis))
            }
        }
        if !rest.isEmpty {
            throw ArgumentError(.tooManyArguments(rest: clip(rest.joined(separator: " ")), synopsis: command.synopsis))
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
                throw ArgumentError(.notAllowedCharacters(name: name, got: clip(raw), pattern: pattern))
            }
            return
        }
        guard let re = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
            throw ArgumentError(.invalidPattern(name: name))
        }
        guard re.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) != nil else {
            throw ArgumentError(.notAllowedCharacters(name: name, got: clip(raw), pattern: pattern))
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
