import Foundation
import Yams

/// opsbot's configuration: one YAML file plus environment overrides.
///
/// The core keys are typed here. Each feature (services, database, alerts) reads its own
/// top-level section through `section(_:as:)`, so a feature's settings live next to its code
/// and its errors still name the file and the key.
// @unchecked: holds the parsed Yams `Node` tree (immutable after load; Yams does not mark it Sendable).
public struct Config: @unchecked Sendable {
    public struct Telegram: Codable, Sendable {
        public var apiURL: String = "https://api.telegram.org"
        /// Long-poll wait in seconds (Telegram allows up to 50).
        public var pollTimeout: Int = 30
        /// File holding the token, when it is not in OPSBOT_TOKEN.
        public var tokenFile: String? = nil
        public init() {}
        enum CodingKeys: String, CodingKey { case apiURL = "api_url", pollTimeout = "poll_timeout", tokenFile = "token_file" }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
            pollTimeout = try c.decodeIfPresent(Int.self, forKey: .pollTimeout) ?? pollTimeout
            tokenFile = try c.decodeIfPresent(String.self, forKey: .tokenFile)
        }
    }

    public struct AdminUser: Codable, Sendable, Hashable {
        public var id: Int64
        /// Empty: every role.
        public var roles: [String] = []
        public var name: String? = nil
        public init(id: Int64, roles: [String] = [], name: String? = nil) {
            self.id = id
            self.roles = roles
            self.name = name
        }
        enum CodingKeys: String, CodingKey { case id, roles, name }
        public init(from d: Decoder) throws {
            if let id = try? d.singleValueContainer().decode(Int64.self) {
                self.id = id
                return
            }
            let c = try d.container(keyedBy: CodingKeys.self)
            id = try c.decode(Int64.self, forKey: .id)
            roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
            name = try c.decodeIfPresent(String.self, forKey: .name)
        }
    }

    public struct Admins: Codable, Sendable {
        public var chats: [Int64] = []
        public var users: [AdminUser] = []
        public init() {}
        enum CodingKeys: String, CodingKey { case chats, users }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            chats = try c.decodeIfPresent([Int64].self, forKey: .chats) ?? []
            users = try c.decodeIfPresent([AdminUser].self, forKey: .users) ?? []
        }
    }

    /// Who may press Confirm: the admin who asked, any admin, or a second admin (two-person rule).
    public enum Approver: String, Codable, Sendable {
        case initiator, anyAdmin = "any_admin", secondAdmin = "second_admin"
    }

    public struct Confirmations: Codable, Sendable {
        public var expiry: Double = 60
        public var approver: Approver = .initiator
        public init() {}
        enum CodingKeys: String, CodingKey { case expiry, approver }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            expiry = try c.duration(.expiry, above: true) ?? expiry
            approver = try c.decodeIfPresent(Approver.self, forKey: .approver) ?? .initiator
        }
    }

    public struct Output: Codable, Sendable {
        /// Replies longer than this many characters go out as a file instead of several messages.
        public var documentThreshold: Int = 12_000
        enum CodingKeys: String, CodingKey { case documentThreshold = "document_threshold" }
        public init() {}
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            documentThreshold = try c.decodeIfPresent(Int.self, forKey: .documentThreshold) ?? documentThreshold
        }
    }

    public var telegram = Telegram()
    public var admins = Admins()
    public var confirmations = Confirmations()
    public var output = Output()
    /// The chat's language: `en`, `ru`, or `auto` (each user's Telegram `language_code`).
    public var language: LanguageSetting = .en
    public var stateDir: String = ".state"
    public var commandsDir: String = "Commands"
    /// Whether the config file set `commands_dir` (else the catalog is looked for: Runtime).
    public var commandsDirSet = false
    /// The bot token (OPSBOT_TOKEN or telegram.token_file); never printed.
    public var token: String? = nil
    /// DATABASE_URL of the monitored app; never printed.
    public var databaseURL: String? = nil
    /// Where the config came from, for error messages.
    public var source: String = "<embedded default>"
    /// The whole document (for `serviceNames` and the reload's comparison).
    public var root: Node? = nil
    /// The directory relative paths are resolved against.
    public var baseDirectory: String = FileManager.default.currentDirectoryPath
    /// Every feature section, decoded once at load (key → typed value).
    var decoded: [String: any Sendable] = [:]
    /// Everything wrong with the document: decoding errors and unknown keys of every section,
    /// at every depth, each with its line. `opsbot validate` prints them all.
    public var problems: [ConfigError] = []

    public init() {}

    /// A feature's section, decoded at load; nil when absent. Its first problem is thrown,
    /// naming the file, line and key. A section no feature declared is decoded here, strictly.
    public func section<T: Decodable>(_ key: String, as type: T.Type) throws -> T? {
        if let p = problems.first(where: { $0.key == key || $0.key.hasPrefix(key + ".") || $0.key.hasPrefix(key + "[") }) { throw p }
        if let v = decoded[key] as? T { return v }
        guard let node = root?.mapping?.value(key) else { return nil }
        let session = ConfigDecodingSession(file: source)
        let v = try session.decodeSection(key, as: T.self, from: node)
        if let problem = (session.itemErrors + session.unknownKeys).first { throw problem }
        return v
    }

    /// A path from the config, resolved against the config file's directory.
    public func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst(1) }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardized.path
    }
}
