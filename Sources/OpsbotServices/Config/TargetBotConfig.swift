import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// `target_bot:` — the monitored Telegram bot, checked through its own token.
public struct TargetBotConfig: Decodable, Sendable {
    /// Name of the env var holding the target bot's token (never the token itself).
    public var tokenEnv: String = "TELEGRAM_BOT_TOKEN"
    public var apiURL: String = "https://api.telegram.org"
    /// `polling` (a set webhook is a problem) or `webhook`.
    public var mode: String = "polling"
    public var timeout: Double = 10
    /// The service the bot runs in (for /conflicts).
    public var service: String?
    /// Conflict lines in its log within this window count (409 evidence).
    public var conflictWindow: Double = 900
    public var pendingWarn: Int = 100
    enum CodingKeys: String, CodingKey {
        case tokenEnv = "token_env", apiURL = "api_url", mode, timeout, service, conflictWindow = "conflict_window", pendingWarn = "pending_warn"
    }
    public init() {}
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        tokenEnv = try c.decodeIfPresent(String.self, forKey: .tokenEnv) ?? tokenEnv
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? mode
        guard ["polling", "webhook"].contains(mode) else {
            throw DecodingError.dataCorruptedError(forKey: .mode, in: c, debugDescription: "expected polling or webhook")
        }
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 10
        service = try c.decodeIfPresent(String.self, forKey: .service)
        conflictWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .conflictWindow)?.seconds ?? 900
        pendingWarn = try c.decodeIfPresent(Int.self, forKey: .pendingWarn) ?? 100
    }
}
