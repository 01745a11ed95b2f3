import Foundation
import OpsbotCore
import OpsbotSupport

/// Where a platform API token comes from: an environment variable (default) or a file. The
/// config names the variable or the path, never the token itself.
public struct PlatformToken: Sendable, Hashable {
    public var env: String
    public var file: String?

    /// Names the source in error messages ("the token in HEROKU_API_KEY").
    public var label: String { file.map { "the token in \($0)" } ?? "the token in \(env)" }

    /// Reads the token (a file is re-read every time, so a rotated token is picked up) and
    /// registers it with the redactor before anyone can print it.
    public func read(_ environment: [String: String]) throws -> String {
        let value: String
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw BackendError("cannot read the token file \(file)")
            }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            value = (environment[env] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !value.isEmpty else { throw BackendError("no token: set \(file ?? env)") }
        Redactor.shared.register(value)
        return value
    }
}

/// `heroku:` on a service with `backend: heroku` — one process type of one app.
public struct HerokuServiceConfig: Decodable, Sendable, Hashable {
    public var app: String
    /// The formation type (`web`, `worker`); default: the service's name.
    public var processType: String?
    public var token: PlatformToken
    public var apiURL: String = "https://api.heroku.com"
    /// Every API request's total timeout; default 15 s, or twice a `log_window` set above 7.5 s.
    public var timeout: Double = 15
    /// How long a log session is read when the stream does not end by itself; stays below
    /// `timeout`. Default 5 s, or half a `timeout` set below 10 s.
    public var logWindow: Double = 5

    enum CodingKeys: String, CodingKey, CaseIterable {
        case app, processType = "process_type", tokenEnv = "token_env", tokenFile = "token_file", apiURL = "api_url", timeout
        case logWindow = "log_window"
    }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        app = try c.decode(String.self, forKey: .app)
        guard app.range(of: #"^[a-z][a-z0-9-]{1,29}$"#, options: .regularExpression) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .app, in: c, debugDescription: "expected a Heroku app name (lower-case letters, digits, dashes)")
        }
        processType = try c.decodeIfPresent(String.self, forKey: .processType)
        if let p = processType, p.range(of: #"^[-\w]{1,128}$"#, options: .regularExpression) == nil {
            throw DecodingError.dataCorruptedError(forKey: .processType, in: c, debugDescription: "expected a process type such as web or worker")
        }
        token = PlatformToken(env: try c.decodeIfPresent(String.self, forKey: .tokenEnv) ?? "HEROKU_API_KEY",
                              file: try c.decodeIfPresent(String.self, forKey: .tokenFile))
        apiURL = try PlatformURL.decode(c, .apiURL) ?? apiURL
        // A default that depends on the other key derives from what the user set, so that
        // `timeout: 5s` alone is valid (log_window 2.5 s), and so is `log_window: 20s` (timeout 40 s).
        let setTimeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds
        let setWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .logWindow)?.seconds
        timeout = setTimeout ?? max(15, (setWindow ?? 0) * 2)
        logWindow = setWindow ?? min(5, timeout / 2)
        guard timeout > 0 else { throw DecodingError.dataCorruptedError(forKey: .timeout, in: c, debugDescription: "must be positive") }
        guard logWindow > 0 else { throw DecodingError.dataCorruptedError(forKey: .logWindow, in: c, debugDescription: "must be positive") }
        guard logWindow < timeout else {
            throw DecodingError.dataCorruptedError(forKey: .logWindow, in: c, debugDescription:
                "log_window (\(Durations.format(logWindow))) must be below timeout (\(Durations.format(timeout))): raise timeout or lower log_window")
        }
    }
}

/// `railway:` on a service with `backend: railway` — one service in one environment of one project.
public struct RailwayServiceConfig: Decodable, Sendable, Hashable {
    public enum TokenKind: String, Sendable, Hashable { case project, account }
    public var projectID: String
    public var environmentID: String
    public var serviceID: String
    public var token: PlatformToken
    /// `project` (a project token, header Project-Access-Token) or `account` (Bearer).
    public var tokenKind: TokenKind = .project
    public var apiURL: String = "https://backboard.railway.com/graphql/v2"
    public var timeout: Double = 15

    enum CodingKeys: String, CodingKey, CaseIterable {
        case projectID = "project_id", environmentID = "environment_id", serviceID = "service_id"
        case tokenEnv = "token_env", tokenFile = "token_file", tokenKind = "token_kind", apiURL = "api_url", timeout
    }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        func id(_ k: CodingKeys) throws -> String {
            let v = try c.decode(String.self, forKey: k)
            guard v.range(of: #"^[A-Za-z0-9-]{1,64}$"#, options: .regularExpression) != nil else {
                throw DecodingError.dataCorruptedError(forKey: k, in: c, debugDescription: "expected a Railway id (a UUID from the dashboard URL or `railway status --json`)")
            }
            return v
        }
        projectID = try id(.projectID)
        environmentID = try id(.environmentID)
        serviceID = try id(.serviceID)
        token = PlatformToken(env: try c.decodeIfPresent(String.self, forKey: .tokenEnv) ?? "RAILWAY_TOKEN",
                              file: try c.decodeIfPresent(String.self, forKey: .tokenFile))
        if let k = try c.decodeIfPresent(String.self, forKey: .tokenKind) {
            guard let v = TokenKind(rawValue: k) else {
                throw DecodingError.dataCorruptedError(forKey: .tokenKind, in: c, debugDescription: "expected project or account")
            }
            tokenKind = v
        }
        apiURL = try PlatformURL.decode(c, .apiURL) ?? apiURL
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 15
        guard timeout > 0 else { throw DecodingError.dataCorruptedError(forKey: .timeout, in: c, debugDescription: "must be positive") }
    }
}

enum PlatformURL {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> String? {
        guard let u = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard u.hasPrefix("https://") || u.hasPrefix("http://") else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected an http:// or https:// URL")
        }
        return u.hasSuffix("/") ? String(u.dropLast()) : u
    }
}
