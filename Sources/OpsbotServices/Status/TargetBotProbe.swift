import Foundation
import HTTPClient
import OpsbotCore
import OpsbotSupport

/// The monitored bot seen through its own token: `getMe` (is the token valid?) and
/// `getWebhookInfo` (a webhook set while the bot polls means 409s; pending updates; last error).
/// The token comes from the env var named in `target_bot.token_env` and is redacted everywhere.
public struct TargetBotProbe: Sendable {
    public struct Report: Sendable {
        public var username: String?
        public var tokenOK: Bool
        /// What failed, in English (logs, `opsbot check`).
        public var error: String? { errorText?.en }
        /// What failed, in every language (the chat).
        public var errorText: LocalizedText?
        public var webhookURL: String?
        public var pendingUpdates: Int?
        public var lastErrorMessage: String?
        public var lastErrorDate: Date?
    }

    /// The token's env var is unset: said in the chat's language.
    struct TokenMissing: Error, Localizable, CustomStringConvertible {
        let env: String
        var english: String { StatusText.botTokenEnvMissing(env: env).english }
        var russian: String { StatusText.botTokenEnvMissing(env: env).russian }
        var description: String { english }
    }


    /// A Bot API call that failed: what the chat says (its catalog text), what the logs keep (English).
    struct BotAPIFailure: Error, Localizable, CustomStringConvertible {
        let message: StatusText
        init(_ message: StatusText) { self.message = message }
        var english: String { message.english }
        var russian: String { message.russian }
        var description: String { english }
    }

    let config: TargetBotConfig
    let token: String?

    public init(config: TargetBotConfig, environment: [String: String]) {
        self.config = config
        self.token = environment[config.tokenEnv].flatMap { $0.isEmpty ? nil : $0 }
        if let t = token { Redactor.shared.register(t) }
    }

    func call(_ method: String, post: Bool = false) async throws -> [String: Any] {
        guard let token else { throw TokenMissing(env: config.tokenEnv) }
        let url = config.apiURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/bot\(token)/\(method)"
        let r: HTTPResponse
        do {
            r = try await HTTPClient.send(HTTPRequest(method: post ? "POST" : "GET", url: url, connectTimeout: min(config.timeout, 5), timeout: config.timeout))
        } catch let e as HTTPError {
            // Never the URL (it holds the token's place) nor libcurl's sentence: what failed, after how long.
            throw BotAPIFailure(.unreachable(method: method, words: e.plainWordsMessage(timeout: config.timeout).localized))
        } catch {
            throw BackendError("\(method): \(Redactor.shared.redact("\(error)"))")
        }
        guard let obj = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any] else {
            throw BotAPIFailure(.notBotAPI(method: method, status: r.status))
        }
        guard obj["ok"] as? Bool == true else {
            let desc = obj["description"] as? String ?? "HTTP \(r.status)"
            throw BotAPIFailure(.refused(method: method, code: obj["error_code"].map { "\($0) " } ?? "", description: desc))
        }
        return obj
    }

    public func check() async -> Report {
        let fallback = Report(tokenOK: false, errorText: StatusText.botNoAnswer(seconds: config.timeout).localized)
        return await withDeadline(.seconds(config.timeout * 2 + 0.5), fallback: fallback) { [self] in
            var rep = Report(tokenOK: false)
            do {
                let me = try await call("getMe")
                rep.tokenOK = true
                rep.username = (me["result"] as? [String: Any])?["username"] as? String
            } catch {
                rep.errorText = StatusText.errorText(error)
                return rep
            }
            do {
                let info = try await call("getWebhookInfo")
                let res = info["result"] as? [String: Any] ?? [:]
                let url = res["url"] as? String ?? ""
                rep.webhookURL = url.isEmpty ? nil : url
                rep.pendingUpdates = res["pending_update_count"] as? Int
                rep.lastErrorMessage = res["last_error_message"] as? String
                rep.lastErrorDate = (res["last_error_date"] as? Int).map { Date(timeIntervalSince1970: Double($0)) }
            } catch {
                rep.errorText = StatusText.errorText(error)
            }
            return rep
        }
    }

    public func deleteWebhook() async throws {
        _ = try await call("deleteWebhook", post: true)
    }
}
