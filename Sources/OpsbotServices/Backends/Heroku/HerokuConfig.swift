import Foundation
import OpsbotCore
import OpsbotSupport

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
