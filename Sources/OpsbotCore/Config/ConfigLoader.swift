import Foundation
import Yams

/// Reads the config file, then applies the environment (which wins).
public enum ConfigLoader {
    struct CoreKeys: Decodable {
        var telegram: Config.Telegram?
        var admins: Config.Admins?
        var confirmations: Config.Confirmations?
        var output: Config.Output?
        var stateDir: String?
        var commandsDir: String?
        enum CodingKeys: String, CodingKey {
            case telegram, admins, confirmations, output
            case stateDir = "state_dir", commandsDir = "commands_dir"
        }
    }

    /// Parses YAML text. `source` names the file in errors; `baseDirectory` resolves relative paths.
    public static func parse(_ yaml: String, source: String, baseDirectory: String) throws -> Config {
        var config = Config()
        config.source = source
        config.baseDirectory = baseDirectory
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let e as YamlError {
            throw ConfigError(file: source, key: "", message: "not valid YAML: \(e)")
        }
        guard let node else { return config }
        guard node.mapping != nil else {
            throw ConfigError(file: source, key: "", message: "expected a mapping of keys at the top level")
        }
        config.root = node
        let core: CoreKeys
        do {
            core = try YAMLDecoder().decode(CoreKeys.self, from: node)
        } catch {
            throw ConfigError.from(error, file: source)
        }
        if let v = core.telegram { config.telegram = v }
        if let v = core.admins { config.admins = v }
        if let v = core.confirmations { config.confirmations = v }
        if let v = core.output { config.output = v }
        if let v = core.stateDir { config.stateDir = v }
        if let v = core.commandsDir { config.commandsDir = v }
        return config
    }

    /// Loads `path` (or the embedded default when nil) and applies the environment.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        var config: Config
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(file: path, key: "", message: "cannot read the config file (does it exist? set --config or OPSBOT_CONFIG)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: path, key: "", message: "is not UTF-8 text")
            }
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            config = try parse(text, source: path, baseDirectory: dir)
        } else {
            let (yaml, base) = DefaultConfig.assemble()
            config = try parse(yaml, source: "<embedded default>", baseDirectory: base)
        }
        try applyEnvironment(&config, environment)
        return config
    }

    public static func applyEnvironment(_ config: inout Config, _ env: [String: String]) throws {
        func ids(_ name: String) throws -> [Int64]? {
            guard let raw = env[name], !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            var out: [Int64] = []
            for part in raw.split(separator: ",") {
                let p = part.trimmingCharacters(in: .whitespaces)
                guard let v = Int64(p) else {
                    throw ConfigError(file: "environment", key: name, message: "\"\(p)\" is not an integer id (expected a comma-separated list such as -1001234567890,42)")
                }
                out.append(v)
            }
            return out
        }
        if let chats = try ids("OPSBOT_ADMIN_CHAT_IDS") { config.admins.chats = chats }
        if let users = try ids("OPSBOT_ADMIN_USER_IDS") { config.admins.users = users.map { Config.AdminUser(id: $0) } }
        if let url = env["OPSBOT_API_URL"], !url.isEmpty { config.telegram.apiURL = url }
        if let dir = env["OPSBOT_STATE_DIR"], !dir.isEmpty { config.stateDir = dir }
        if let token = env["OPSBOT_TOKEN"], !token.isEmpty {
            config.token = token
        } else if let file = config.telegram.tokenFile {
            let path = config.resolvePath(file)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: config.source, key: "telegram.token_file", message: "cannot read \(path)")
            }
            config.token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let db = env["DATABASE_URL"], !db.isEmpty { config.databaseURL = db }
        if let token = config.token { Redactor.shared.register(token) }
        if let db = config.databaseURL { Redactor.shared.register(db) }
    }

    /// Problems that are not decoding errors: missing admins, unknown keys, bad values.
    public static func lint(_ config: Config) -> [ConfigError] {
        var issues: [ConfigError] = []
        if config.admins.chats.isEmpty {
            issues.append(ConfigError(file: config.source, key: "admins.chats", message: "no admin chat configured: opsbot would answer nobody (set admins.chats or OPSBOT_ADMIN_CHAT_IDS)"))
        }
        if config.admins.users.isEmpty {
            issues.append(ConfigError(file: config.source, key: "admins.users", message: "no admin user configured: opsbot would answer nobody (set admins.users or OPSBOT_ADMIN_USER_IDS)"))
        }
        if !(1...50).contains(config.telegram.pollTimeout) {
            issues.append(ConfigError(file: config.source, key: "telegram.poll_timeout", message: "must be 1…50 seconds, got \(config.telegram.pollTimeout)"))
        }
        if URL(string: config.telegram.apiURL)?.scheme == nil {
            issues.append(ConfigError(file: config.source, key: "telegram.api_url", message: "\"\(config.telegram.apiURL)\" is not a URL"))
        }
        if config.output.documentThreshold < 4096 {
            issues.append(ConfigError(file: config.source, key: "output.document_threshold", message: "must be at least 4096 characters"))
        }
        if let keys = config.root?.mapping?.keys {
            for k in keys {
                guard let name = k.string else { continue }
                if !Config.knownSections.contains(name) {
                    issues.append(ConfigError(file: config.source, key: name, message: "unknown key (known: \(Config.knownSections.sorted().joined(separator: ", ")))"))
                }
            }
        }
        return issues
    }
}
