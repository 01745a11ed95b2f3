import Foundation
import HTTPClient
import OpsbotSupport

/// A failed Bot API call, classified so that callers know what to do about it.
///
/// Built from the JSON envelope, which Telegram sends on every status; `description` is
/// Telegram's text (or the transport error) with every secret redacted.
public struct BotAPIError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Hashable {
        /// 429: wait exactly `retryAfter` seconds.
        case rateLimited(retryAfter: Int)
        /// 409 "terminated by other getUpdates request": another process polls with this token.
        case conflictOtherPoller
        /// 409 "can't use getUpdates method while webhook is active".
        case conflictWebhook
        /// 401: the token is wrong or revoked. Fatal.
        case unauthorized
        /// 403: blocked by the user, kicked from the group, chat deactivated. Permanent.
        case forbidden
        /// 400 "can't parse entities": the HTML is broken; resend as plain text.
        case cantParseEntities
        /// 400 with migrate_to_chat_id: the group is now a supergroup with this id.
        case migrated(toChatID: Int64)
        /// 400 "message is not modified" (edits treat it as success).
        case messageNotModified
        /// Any other 4xx.
        case badRequest
        /// 5xx: Telegram's side; retry with backoff.
        case server
        /// No HTTP response (timeout, refused, DNS).
        case network(HTTPError.Kind)
        /// A response that is not a Bot API envelope.
        case invalidResponse
    }

    public var kind: Kind
    /// The Bot API method, e.g. "sendMessage".
    public var method: String
    /// error_code from the envelope, or the HTTP status; nil for network errors.
    public var errorCode: Int?
    /// Telegram's description or the transport error, redacted.
    public var apiDescription: String

    public init(kind: Kind, method: String, errorCode: Int?, apiDescription: String) {
        self.kind = kind
        self.method = method
        self.errorCode = errorCode
        self.apiDescription = Redactor.shared.redact(apiDescription)
    }

    public var description: String {
        let code = errorCode.map { " \($0)" } ?? ""
        return "Telegram \(method) failed\(code): \(apiDescription)"
    }

    /// Retrying the same request later can succeed.
    public var isTransient: Bool {
        switch kind {
        case .rateLimited, .server, .network, .conflictOtherPoller, .conflictWebhook: true
        default: false
        }
    }

    /// Classifies an `ok:false` envelope (or a bare status when the body was not JSON).
    static func classify(method: String, status: Int, errorCode: Int?, description: String?,
                         retryAfter: Int?, migrateTo: Int64?) -> BotAPIError {
        let code = errorCode ?? status
        let text = description ?? "HTTP \(status)"
        let lower = text.lowercased()
        let kind: Kind
        if let migrateTo {
            kind = .migrated(toChatID: migrateTo)
        } else if code == 429 || status == 429 {
            kind = .rateLimited(retryAfter: max(0, retryAfter ?? 5))
        } else if code == 409 {
            kind = lower.contains("webhook") ? .conflictWebhook : .conflictOtherPoller
        } else if code == 401 {
            kind = .unauthorized
        } else if code == 403 {
            kind = .forbidden
        } else if code == 400 && lower.contains("can't parse entities") {
            kind = .cantParseEntities
        } else if code == 400 && lower.contains("message is not modified") {
            kind = .messageNotModified
        } else if code >= 500 || status >= 500 {
            kind = .server
        } else {
            kind = .badRequest
        }
        return BotAPIError(kind: kind, method: method, errorCode: code, apiDescription: text)
    }
}
