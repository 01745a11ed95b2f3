import Foundation
import Yams

/// Reads the config file, then applies the environment (which wins).
public enum ConfigLoader {
    /// The core's own top-level keys.
    public static let coreSections: [ConfigSection] = [
        ConfigSection("telegram", as: Config.Telegram.self),
        ConfigSection("admins", as: Config.Admins.self),
        ConfigSection("confirmations", as: Config.Confirmations.self),
        ConfigSection("output", as: Config.Output.self),
        ConfigSection("language", as: LanguageSetting.self),
        ConfigSection("state_dir", as: String.self),
        ConfigSection("commands_dir", as: String.self),
    ]

    /// Every top-level key of a build: the core's and those of the given features.
    public static func sections(_ features: [any Feature.Type]) -> [ConfigSection] { coreSections + features.flatMap { $0.configSections } }

    /// Parses YAML text and decodes every section, collecting every problem (decoding errors
    /// and unknown keys at any depth) in `Config.problems`. Throws only when the text is not a
    /// YAML mapping at all. `source` names the file; `baseDirectory` resolves relative paths.
    public static func read(_ yaml: String, source: String, baseDirectory: String, sections: [ConfigSection]) throws -> Config {
        try decode(yaml, source: source, baseDirectory: baseDirectory, sections: sections).config
    }

    /// `read`, also returning the decoding session (which keys were asked for, which exist):
    /// the example-file test uses it to prove the example documents every key.
    public static func decode(_ yaml: String, source: String, baseDirectory: String, sections: [ConfigSection]) throws -> (config: Config, session: ConfigDecodingSession) {
        var config = Config()
        config.source = source
        config.baseDirectory = baseDirectory
        let node: Node?
        do {
            // The basic resolver: Yams' default one tags scalars with NSRegularExpression, which
            // wakes ICU (megabytes of resident memory) for nothing — ConfigNodeDecoder converts
            // scalars itself.
            node = try Yams.compose(yaml: yaml, .basic)
        } catch let e as YamlError {
            throw ConfigError(file: source, key: "", message: "not valid YAML: \(e)")
        }
        let session = ConfigDecodingSession(file: source)
        guard let node, node.null == nil else { return (config, session) }
        guard let mapping = node.mapping else {
            throw ConfigError(file: source, key: "", message: "expected a mapping of keys at the top level", line: node.mark?.line)
        }
        config.root = node
        var problems: [ConfigError] = []
        for (k, v) in mapping {
            guard let name = k.string else { continue }
            guard let section = sections.first(where: { $0.key == name }) else {
                let known = Set(sections.map(\.key))
                let hint = ConfigDecodingSession.suggestion(for: name, among: known).map { " (did you mean \"\($0)\"?)" }
                    ?? " (known: \(known.sorted().joined(separator: ", ")))"
                problems.append(ConfigError(file: source, key: name, message: "unknown key \"\(name)\"" + hint, line: k.mark?.line))
                continue
            }
            if v.null != nil { continue }
            do { config.decoded[name] = try section.decode(session, v) } catch {
                problems.append(session.configError(error))
            }
        }
        problems += session.itemErrors + session.unknownKeys
        config.problems = problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        if let v = config.decoded["telegram"] as? Config.Telegram { config.telegram = v }
        if let v = config.decoded["admins"] as? Config.Admins { config.admins = v }
        if let v = config.decoded["confirmations"] as? Config.Confirmations { config.confirmations = v }
        if let v = config.decoded["output"] as? Config.Output { config.output = v }
        if let v = config.decoded["language"] as? LanguageSetting { config.language = v }
        if let v = config.decoded["state_dir"] as? String { config.stateDir = v }
        if let v = config.decoded["commands_dir"] as? String { config.commandsDir = v; config.commandsDirSet = true }
        return (config, session)
    }

    /// `read`, throwing the first problem of a core section (telegram, admins, …); problems of
    /// feature sections surface from `Config.section(_:as:)` and `lint`.
    public static func parse(_ yaml: String, source: String, baseDirectory: String, sections: [ConfigSection]) throws -> Config {
        let config = try read(yaml, source: source, baseDirectory: baseDirectory, sections: sections)
        let core = Set(coreSections.map(\.key))
        if let p = config.problems.first(where: { p in core.contains { p.key == $0 || p.key.hasPrefix($0 + ".") } }) { throw p }
        return config
    }

    /// Loads `path` (or the embedded default when nil, plus the demo sections with `demo`)
    /// and applies the environment.
    public static func load(path: String?, demo: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
                            sections: [ConfigSection]) throws -> Config {
        var config: Config
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(file: path, key: "", message: "cannot read the config file (does it exist? set --config or OPSBOT_CONFIG)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: path, key: "", message: "is not UTF-8 text")
            }
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            config = try read(text, source: path, baseDirectory: dir, sections: sections)
        } else {
            let (yaml, base) = demo ? DefaultConfig.assemble() : (DefaultConfig.yaml, FileManager.default.currentDirectoryPath)
            config = try read(yaml, source: demo ? "<embedded demo>" : "<embedded default>", baseDirectory: base, sections: sections)
        }
        // Environment problems join the document's: one `validate` run lists them all.
        config.problems += readEnvironment(&config, environment)
        return config
    }

    /// Applies the environment; throws the first problem (`readEnvironment` lists them all).
    public static func applyEnvironment(_ config: inout Config, _ env: [String: String]) throws {
        if let first = readEnvironment(&config, env).first { throw first }
    }

    /// Applies the environment (admin ids, API URL, state dir, the token, DATABASE_URL) and
    /// returns every problem instead of stopping at the first, so `validate` lists a bad
    /// `token_file` together with everything else.
    public static func readEnvironment(_ config: inout Config, _ env: [String: String]) -> [ConfigError] {
        var problems: [ConfigError] = []
        func ids(_ name: String) -> [Int64]? {
            guard let raw = env[name], !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            var out: [Int64] = []
            for part in raw.split(separator: ",") {
                let p = part.trimmingCharacters(in: .whitespaces)
                guard let v = Int64(p) else {
                    problems.append(ConfigError(file: "environment", key: name, message: "\"\(p)\" is not an integer id (expected a comma-separated list such as -1001234567890,42)"))
                    return nil
                }
                out.append(v)
            }
            return out
        }
        if let chats = ids("OPSBOT_ADMIN_CHAT_IDS") { config.admins.chats = chats }
        if let users = ids("OPSBOT_ADMIN_USER_IDS") { config.admins.users = users.map { Config.AdminUser(id: $0) } }
        if let url = env["OPSBOT_API_URL"], !url.isEmpty { config.telegram.apiURL = url }
        if let dir = env["OPSBOT_STATE_DIR"], !dir.isEmpty { config.stateDir = dir }
        if let token = env["OPSBOT_TOKEN"], !token.isEmpty {
            config.token = token
            if let why = tokenWhitespace(token) {
                problems.append(ConfigError(file: "environment", key: "OPSBOT_TOKEN", message: why))
            }
        } else if let file = config.telegram.tokenFile {
            let path = config.resolvePath(file)
            if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
                // The file's final newline is normal; anything else around the token is not.
                var token = text
                while let last = token.last, last == "\n" || last == "\r" { token.removeLast() }
                config.token = token
                if let why = tokenWhitespace(token) {
                    problems.append(ConfigError(file: config.source, key: "telegram.token_file", message: "\(path): \(why)"))
                } else if token.isEmpty {
                    problems.append(ConfigError(file: config.source, key: "telegram.token_file", message: "\(path) is empty (put the token from @BotFather in it)"))
                }
            } else {
                problems.append(ConfigError(file: config.source, key: "telegram.token_file", message: "cannot read \(path) (does it exist, and may opsbot's user read it?)"))
            }
        }
        if let db = env["DATABASE_URL"], !db.isEmpty { config.databaseURL = db }
        if let token = config.token, !token.isEmpty {
            Redactor.shared.register(token)
            let bare = token.trimmingCharacters(in: .whitespacesAndNewlines)
            if !bare.isEmpty && bare != token { Redactor.shared.register(bare) }
        }
        if let db = config.databaseURL {
            Redactor.shared.register(db)
            // The password alone too: an app's log line may carry it outside a URL.
            if let pw = URLComponents(string: db)?.password, let plain = pw.removingPercentEncoding {
                Redactor.shared.register(plain)
            }
        }
        return problems
    }

    /// Names whitespace around or inside a bot token ("the token has trailing whitespace"):
    /// it would otherwise surface as a malformed Bot API URL, which reads like a network fault.
    static func tokenWhitespace(_ token: String) -> String? {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        let leading = token.first.map(isSpace) ?? false
        let trailing = token.last.map(isSpace) ?? false
        let fix = "remove it: a bot token (from @BotFather) has no spaces, tabs or newlines"
        switch (leading, trailing) {
        case (true, true): return "the token has leading and trailing whitespace; \(fix)"
        case (true, false): return "the token has leading whitespace; \(fix)"
        case (false, true): return "the token has trailing whitespace; \(fix)"
        default:
            return token.contains(where: isSpace) ? "the token contains whitespace; \(fix)" : nil
        }
    }

    /// Every problem of the config: its decoding problems (unknown keys included), then missing
    /// admins and bad values.
    public static func lint(_ config: Config) -> [ConfigError] {
        var issues = config.problems
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
        return issues
    }
}
