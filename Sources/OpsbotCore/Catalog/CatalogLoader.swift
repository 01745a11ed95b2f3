import Foundation
import Yams

/// Reads `Commands/*.yaml` (one file per chat command) and builds each command's module.
///
/// Every problem is collected with its file and key, so `opsbot validate` can list them all
/// at once instead of making the operator fix them one by one.
public enum CatalogLoader {
    public struct Result {
        public var catalog: Catalog
        public var errors: [ConfigError]
    }

    public static func load(directory: String, registry: ModuleRegistry, config: Config) -> Result {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            return Result(catalog: Catalog(), errors: [ConfigError(file: directory, key: "", message: "cannot read the command catalog directory (set commands_dir in the config)")])
        }
        var sources: [(String, String)] = []
        var errors: [ConfigError] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            let display = "\((directory as NSString).lastPathComponent)/\(name)"
            guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(ConfigError(file: display, key: "", message: "cannot read the file as UTF-8 text"))
                continue
            }
            sources.append((display, text))
        }
        var result = load(sources: sources, registry: registry, config: config)
        result.errors.insert(contentsOf: errors, at: 0)
        result.catalog.invalidFiles = result.errors
        return result
    }

    /// Builds a catalog from (file name, YAML text) pairs.
    public static func load(sources: [(String, String)], registry: ModuleRegistry, config: Config) -> Result {
        var catalog = Catalog()
        var errors: [ConfigError] = []
        var seen: [String: String] = [:]
        for (file, text) in sources {
            do {
                let command = try parseCommand(text, file: file, config: config)
                if let other = seen[command.name] {
                    errors.append(ConfigError(file: file, key: "name", message: "/\(command.name) is already defined in \(other)"))
                    continue
                }
                guard let factory = registry.factory(command.module) else {
                    errors.append(ConfigError(file: file, key: "module", message: "unknown module \"\(command.module)\" (known: \(registry.names.joined(separator: ", ")))"))
                    continue
                }
                let module = try factory(command.settings, command)
                seen[command.name] = file
                catalog.add(.init(command: command, module: module))
            } catch let e as ConfigError {
                errors.append(e)
            } catch {
                errors.append(ConfigError(file: file, key: "", message: "\(error)"))
            }
        }
        if catalog.visible.count > 100 {
            errors.append(ConfigError(file: "Commands", key: "", message: "\(catalog.visible.count) visible commands; Telegram accepts at most 100"))
        }
        catalog.invalidFiles = errors
        return Result(catalog: catalog, errors: errors)
    }

    static let namePattern = try! NSRegularExpression(pattern: "^[a-z0-9_]{1,32}$")

    static func parseCommand(_ text: String, file: String, config: Config) throws -> CatalogCommand {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ConfigError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        guard let map = node?.mapping else {
            throw ConfigError(file: file, key: "", message: "expected a mapping with name, description and module")
        }
        let known: Set<String> = ["name", "description", "usage", "module", "arguments", "confirm", "roles", "settings", "hidden", "timeout"]
        for k in map.keys { if let s = k.string, !known.contains(s) {
            let hint = ConfigDecodingSession.suggestion(for: s, among: known).map { "did you mean \"\($0)\"?" }
                ?? "known: \(known.sorted().joined(separator: ", "))"
            throw ConfigError(file: file, key: s, message: "unknown key \"\(s)\" (\(hint))", line: k.mark?.line)
        } }
        func string(_ key: String, required: Bool) throws -> String? {
            guard let v = map[Node(key)] else {
                if required { throw ConfigError(file: file, key: key, message: "is required") }
                return nil
            }
            guard let s = v.string, v.scalar != nil else { throw ConfigError(file: file, key: key, message: "expected a string") }
            return s
        }
        func bool(_ key: String) throws -> Bool {
            guard let v = map[Node(key)] else { return false }
            guard let b = v.bool else { throw ConfigError(file: file, key: key, message: "expected true or false") }
            return b
        }
        let name = try string("name", required: true)!
        guard namePattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil else {
            throw ConfigError(file: file, key: "name", message: "\"\(name)\" is not a valid command name (1–32 of a-z, 0-9, _ — Telegram's rule)")
        }
        let description = try string("description", required: true)!
        guard (1...256).contains(description.count) else {
            throw ConfigError(file: file, key: "description", message: "must be 1–256 characters (Telegram's rule)")
        }
        let module = try string("module", required: true)!
        var roles: [String] = []
        if let r = map[Node("roles")] {
            guard let seq = r.sequence, seq.allSatisfy({ $0.string != nil }) else {
                throw ConfigError(file: file, key: "roles", message: "expected a list of role names")
            }
            roles = seq.compactMap(\.string)
        }
        var args: [ArgumentSpec] = []
        if let a = map[Node("arguments")] {
            guard let seq = a.sequence else { throw ConfigError(file: file, key: "arguments", message: "expected a list") }
            for (i, item) in seq.enumerated() {
                args.append(try parseArgument(item, key: "arguments[\(i)]", file: file))
            }
        }
        var sawOptional = false
        for (i, a) in args.enumerated() {
            if a.type == .words && i != args.count - 1 {
                throw ConfigError(file: file, key: "arguments[\(i)].type", message: "words takes the rest of the line, so it must be the last argument")
            }
            if a.required && sawOptional {
                throw ConfigError(file: file, key: "arguments[\(i)].required", message: "a required argument cannot follow an optional one")
            }
            if !a.required { sawOptional = true }
        }
        var command = CatalogCommand(name: name, description: description, usage: try string("usage", required: false), module: module,
                                     arguments: args, confirm: try bool("confirm"), roles: roles,
                                     settings: ModuleSettings(node: map[Node("settings")], source: file), source: file,
                                     hidden: try bool("hidden"))
        if let t = try string("timeout", required: false) {
            guard let v = Durations.parse(t), v > 0 else {
                throw ConfigError(file: file, key: "timeout", message: "expected a duration such as 15s or 2m, got \"\(t)\"")
            }
            command.timeout = v
        }
        return command
    }

    static func parseArgument(_ node: Node, key: String, file: String) throws -> ArgumentSpec {
        guard let m = node.mapping else { throw ConfigError(file: file, key: key, message: "expected a mapping with name and type") }
        let known: Set<String> = ["name", "type", "required", "default", "pattern", "values", "min", "max", "allow_all", "description"]
        for k in m.keys { if let s = k.string, !known.contains(s) {
            let hint = ConfigDecodingSession.suggestion(for: s, among: known).map { "did you mean \"\($0)\"?" }
                ?? "known: \(known.sorted().joined(separator: ", "))"
            throw ConfigError(file: file, key: "\(key).\(s)", message: "unknown key \"\(s)\" (\(hint))", line: k.mark?.line)
        } }
        guard let name = m[Node("name")]?.string, !name.isEmpty else { throw ConfigError(file: file, key: "\(key).name", message: "is required") }
        guard let typeName = m[Node("type")]?.string else { throw ConfigError(file: file, key: "\(key).type", message: "is required (one of \(ArgumentSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))") }
        guard let type = ArgumentSpec.Kind(rawValue: typeName) else {
            throw ConfigError(file: file, key: "\(key).type", message: "unknown type \"\(typeName)\" (one of \(ArgumentSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var spec = ArgumentSpec(name: name, type: type)
        if let d = m[Node("default")] {
            guard let s = d.string else { throw ConfigError(file: file, key: "\(key).default", message: "expected a scalar") }
            spec.defaultValue = s
        }
        if let r = m[Node("required")] {
            guard let b = r.bool else { throw ConfigError(file: file, key: "\(key).required", message: "expected true or false") }
            spec.required = b
        } else {
            spec.required = spec.defaultValue == nil && type != .words
        }
        if let p = m[Node("pattern")] {
            guard let s = p.string, (try? NSRegularExpression(pattern: s)) != nil else {
                throw ConfigError(file: file, key: "\(key).pattern", message: "is not a valid regular expression")
            }
            spec.pattern = s
        }
        if let v = m[Node("values")] {
            guard let seq = v.sequence, seq.allSatisfy({ $0.string != nil }) else { throw ConfigError(file: file, key: "\(key).values", message: "expected a list of strings") }
            spec.values = seq.compactMap(\.string)
        }
        if type == .enum && spec.values.isEmpty {
            throw ConfigError(file: file, key: "\(key).values", message: "an enum argument needs its list of values")
        }
        for (k, path) in [("min", \ArgumentSpec.min), ("max", \ArgumentSpec.max)] as [(String, WritableKeyPath<ArgumentSpec, Int?>)] {
            if let v = m[Node(k)] {
                guard let i = v.int else { throw ConfigError(file: file, key: "\(key).\(k)", message: "expected an integer") }
                spec[keyPath: path] = i
            }
        }
        if let a = m[Node("allow_all")] { spec.allowAll = a.bool ?? false }
        spec.description = m[Node("description")]?.string
        if let d = spec.defaultValue {
            do { _ = try ArgumentValidator.validate(d, spec: spec, services: nil) } catch let e as ArgumentError {
                throw ConfigError(file: file, key: "\(key).default", message: e.message)
            }
        }
        return spec
    }
}
