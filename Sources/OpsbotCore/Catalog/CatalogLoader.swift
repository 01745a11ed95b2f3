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

    /// Loads every `*.yaml` of `directory` (then of each of `extra`, e.g. the demo's own
    /// catalog). Files are named by their absolute path in every message, so an operator knows
    /// which directory was read (`commands_dir` resolves against the config file's directory).
    public static func load(directory: String, extra: [String] = [], registry: ModuleRegistry, config: Config) -> Result {
        let fm = FileManager.default
        var sources: [(String, String)] = []
        var errors: [ConfigError] = []
        for dir in [directory] + extra {
            let absolute = URL(fileURLWithPath: dir).standardized.path
            guard let names = try? fm.contentsOfDirectory(atPath: absolute) else {
                let key = dir == directory ? " (set commands_dir in the config; a relative path resolves against the config file's directory)" : ""
                errors.append(ConfigError(file: absolute, key: "", message: "cannot read the command catalog directory\(key)"))
                continue
            }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = (absolute as NSString).appendingPathComponent(name)
                guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    errors.append(ConfigError(file: path, key: "", message: "cannot read the file as UTF-8 text"))
                    continue
                }
                sources.append((path, text))
            }
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
                let (command, built) = try parseCommand(text, file: file, config: config, registry: registry)
                if let other = seen[command.name] {
                    errors.append(ConfigError(file: file, key: "name", message: "/\(command.name) is already defined in \(other)"))
                    continue
                }
                guard let module = built else { continue }
                seen[command.name] = file
                catalog.add(.init(command: command, module: module))
            } catch let e as ConfigError {
                errors.append(e)
            } catch let e as FileProblems {
                errors += e.errors
            } catch let e as ConfigErrors {
                errors += e.errors
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

    /// Every decoding problem of one file (all reported, not just the first).
    struct FileProblems: Error { var errors: [ConfigError] }

    /// A command file as written; decoded strictly (an unknown key is an error with its line).
    struct CommandFile: Decodable {
        var name: String
        var description: String
        /// The Russian description: /help and Telegram's `ru` menu.
        var descriptionRU: String?
        var usage: String?
        var usageRU: String?
        var module: String
        var arguments: [ArgumentFile]?
        var confirm: Bool?
        var roles: [String]?
        /// Decoded by the module itself, as strictly.
        var settings: RawNode?
        var hidden: Bool?
        var timeout: ConfigDuration?
        enum CodingKeys: String, CodingKey {
            case name, description, descriptionRU = "description_ru", usage, usageRU = "usage_ru", module, arguments, confirm, roles, settings, hidden, timeout
        }
    }

    /// A YAML subtree kept as it is (a module's settings, decoded later by the module).
    struct RawNode: Decodable {
        let node: Node
        init(from d: Decoder) throws {
            guard let nd = d as? ConfigNodeDecoder else {
                throw DecodingError.typeMismatch(Node.self, .init(codingPath: d.codingPath, debugDescription: "expected a YAML node"))
            }
            node = nd.node
        }
    }

    struct ArgumentFile: Decodable {
        var name: String
        var type: String
        var required: Bool?
        var defaultValue: String?
        var pattern: String?
        var values: [String]?
        var min: Int?
        var max: Int?
        var allowAll: Bool?
        var description: String?
        var descriptionRU: String?
        enum CodingKeys: String, CodingKey {
            case name, type, required, defaultValue = "default", pattern, values, min, max, allowAll = "allow_all", description
            case descriptionRU = "description_ru"
        }
    }

    /// The command of one file, or every problem it has — decoding, names, arguments and the
    /// module's own settings together, so one `validate` run lists them all.
    static func parseCommand(_ text: String, file: String, config: Config, registry: ModuleRegistry? = nil) throws -> (CatalogCommand, CommandModule?) {
        let node: Node?
        do { node = try Yams.compose(yaml: text, .basic) } catch {  // no regex tagging: see ConfigLoader
            throw ConfigError(file: file, key: "", message: "not valid YAML: \(error)")
        }
        guard let node, node.mapping != nil else {
            throw ConfigError(file: file, key: "", message: "expected a mapping with name, description and module")
        }
        let session = ConfigDecodingSession(file: file)
        var decoded: CommandFile?
        var problems: [ConfigError] = []
        do { decoded = try session.decode(CommandFile.self, from: node) } catch let e as ConfigError { problems.append(e) }
        for p in session.itemErrors + session.unknownKeys where !problems.contains(p) { problems.append(p) }
        guard let f = decoded else { throw FileProblems(errors: problems) }
        func fail(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: key, message: message, line: session.line(for: key)) }

        if !SimplePattern.isCommandName(f.name) {
            problems.append(fail("name", "\"\(f.name)\" is not a valid command name (1–32 of a-z, 0-9, _ — Telegram's rule)"))
        }
        if !(1...256).contains(f.description.count) {
            problems.append(fail("description", "must be 1–256 characters (Telegram's rule)"))
        }
        if let ru = f.descriptionRU, !(1...256).contains(ru.count) {
            problems.append(fail("description_ru", "must be 1–256 characters (Telegram's rule)"))
        }
        if f.usageRU != nil && f.usage == nil {
            problems.append(fail("usage_ru", "translates usage, which this file does not have"))
        }
        // Each argument keeps its index in the file, so a bad one does not shift the others' keys.
        var indexed: [(Int, ArgumentSpec)] = []
        for (i, a) in (f.arguments ?? []).enumerated() {
            do { indexed.append((i, try argument(a, key: "arguments[\(i)]", fail: fail))) } catch let e as ConfigError { problems.append(e) }
        }
        let args = indexed.map(\.1)
        let count = f.arguments?.count ?? 0
        var sawOptional = false
        for (i, a) in indexed {
            if a.type == .words && i != count - 1 {
                problems.append(fail("arguments[\(i)].type", "words takes the rest of the line, so it must be the last argument"))
            }
            if a.required && sawOptional {
                problems.append(fail("arguments[\(i)].required", "a required argument cannot follow an optional one"))
            }
            if !a.required { sawOptional = true }
        }
        var command = CatalogCommand(name: f.name, description: f.description, usage: f.usage, module: f.module,
                                     arguments: args, confirm: f.confirm ?? false, roles: f.roles ?? [],
                                     settings: ModuleSettings(node: f.settings?.node, source: file), source: file,
                                     hidden: f.hidden ?? false)
        command.descriptionRU = f.descriptionRU
        command.usageRU = f.usageRU
        if let t = f.timeout {
            if t.seconds > 0 { command.timeout = t.seconds } else { problems.append(fail("timeout", "must be more than 0 s")) }
        }
        // The module's settings, checked even when the file has other problems.
        var module: CommandModule?
        if let registry {
            if let factory = registry.factory(command.module) {
                do { module = try factory(command.settings, command) } catch let e as ConfigError {
                    problems.append(e)
                } catch let e as ConfigErrors {
                    problems += e.errors
                } catch {
                    problems.append(ConfigError(file: file, key: "", message: "\(error)"))
                }
            } else {
                problems.append(ConfigError(file: file, key: "module", message: "unknown module \"\(command.module)\" (known: \(registry.names.joined(separator: ", ")))",
                                            line: session.line(for: "module")))
            }
        }
        if !problems.isEmpty { throw FileProblems(errors: problems) }
        return (command, module)
    }

    static func argument(_ a: ArgumentFile, key: String, fail: (String, String) -> ConfigError) throws -> ArgumentSpec {
        guard !a.name.isEmpty else { throw fail("\(key).name", "is required") }
        guard let type = ArgumentSpec.Kind(rawValue: a.type) else {
            throw fail("\(key).type", "unknown type \"\(a.type)\" (one of \(ArgumentSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var spec = ArgumentSpec(name: a.name, type: type)
        spec.defaultValue = a.defaultValue
        spec.required = a.required ?? (spec.defaultValue == nil && type != .words)
        if let p = a.pattern {
            guard SimplePattern.isCertainlyValid(p) || (try? NSRegularExpression(pattern: p)) != nil else {
                throw fail("\(key).pattern", "is not a valid regular expression")
            }
            spec.pattern = p
        }
        spec.values = a.values ?? []
        if type == .enum && spec.values.isEmpty {
            throw fail("\(key).values", "an enum argument needs its list of values")
        }
        spec.min = a.min
        spec.max = a.max
        spec.allowAll = a.allowAll ?? false
        spec.description = a.description
        if a.descriptionRU != nil && a.description == nil {
            throw fail("\(key).description_ru", "translates description, which this argument does not have")
        }
        spec.descriptionRU = a.descriptionRU
        if let d = spec.defaultValue {
            do { _ = try ArgumentValidator.validate(d, spec: spec, services: nil) } catch let e as ArgumentError {
                throw fail("\(key).default", e.message)
            }
        }
        return spec
    }
}
