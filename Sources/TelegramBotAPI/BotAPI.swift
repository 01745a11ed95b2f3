import Foundation
import HTTPClient
import OpsbotSupport

/// The Telegram Bot API methods opsbot uses, as JSON POSTs to `<baseURL>/bot<token>/<method>`.
///
/// Every call has a total timeout (`requestTimeout`, or the long-poll timeout + 15 s for
/// getUpdates); failures come back as `BotAPIError` with the token redacted (it is registered
/// with `Redactor.shared` here, and stripped from URLs by the HTTP client).
public final class BotAPI: Sendable {
    public let baseURL: String
    public let requestTimeout: Double
    public let connectTimeout: Double
    private let token: String
    /// Told every request's method and result class (`ok`, `409`, `429`, `5xx`, `401`,
    /// `error`, `network`) — the `/metrics` counters.
    private let observer: (@Sendable (_ method: String, _ result: String) -> Void)?

    public init(baseURL: String = "https://api.telegram.org", token: String, requestTimeout: Double = 30,
                connectTimeout: Double = 10, observer: (@Sendable (_ method: String, _ result: String) -> Void)? = nil) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.observer = observer
        Redactor.shared.register(token)
    }

    // MARK: - Methods

    public func getMe() async throws -> TGUser {
        try await call("getMe", [:], as: TGUser.self)
    }

    /// Long poll: waits up to `timeout` seconds for updates after `offset`.
    /// `offset` = last update_id + 1 confirms (drops) everything before it.
    public func getUpdates(offset: Int64?, timeout: Int, allowedUpdates: [String]) async throws -> [TGUpdate] {
        var p: [String: JSONValue] = [
            "timeout": .int(Int64(max(0, timeout))),
            "allowed_updates": .array(allowedUpdates.map { .string($0) }),
        ]
        if let offset { p["offset"] = .int(offset) }
        return try await call("getUpdates", p, timeout: Double(max(0, timeout)) + 15, as: [TGUpdate].self)
    }

    /// `parseMode` "HTML" by default; nil sends plain text.
    @discardableResult
    public func sendMessage(chatID: Int64, text: String, parseMode: String? = "HTML", keyboard: TGInlineKeyboard? = nil,
                            disableNotification: Bool = false, replyTo: Int64? = nil) async throws -> TGMessage {
        var p: [String: JSONValue] = ["chat_id": .int(chatID), "text": .string(text),
                                      "link_preview_options": .object(["is_disabled": .bool(true)])]
        if let replyTo {
            p["reply_parameters"] = .object(["message_id": .int(replyTo), "allow_sending_without_reply": .bool(true)])
        }
        if let parseMode { p["parse_mode"] = .string(parseMode) }
        if let keyboard, !keyboard.rows.isEmpty { p["reply_markup"] = keyboard.json }
        if disableNotification { p["disable_notification"] = .bool(true) }
        return try await call("sendMessage", p, as: TGMessage.self)
    }

    /// Replaces a message's text; an empty or nil keyboard removes its buttons.
    /// "message is not modified" counts as success.
    public func editMessageText(chatID: Int64, messageID: Int64, text: String, parseMode: String? = "HTML",
                                keyboard: TGInlineKeyboard? = nil) async throws {
        var p: [String: JSONValue] = ["chat_id": .int(chatID), "message_id": .int(messageID), "text": .string(text),
                                      "link_preview_options": .object(["is_disabled": .bool(true)])]
        if let parseMode { p["parse_mode"] = .string(parseMode) }
        p["reply_markup"] = (keyboard ?? TGInlineKeyboard([])).json
        try await ignoringNotModified { _ = try await call("editMessageText", p, as: Ignored.self) }
    }

    /// Replaces (or, with an empty keyboard, removes) a message's buttons.
    public func editMessageReplyMarkup(chatID: Int64, messageID: Int64, keyboard: TGInlineKeyboard?) async throws {
        let p: [String: JSONValue] = ["chat_id": .int(chatID), "message_id": .int(messageID),
                                      "reply_markup": (keyboard ?? TGInlineKeyboard([])).json]
        try await ignoringNotModified { _ = try await call("editMessageReplyMarkup", p, as: Ignored.self) }
    }

    /// Stops the button's spinner; `text` (clipped to 200 characters) is shown as a toast.
    public func answerCallbackQuery(id: String, text: String? = nil) async throws {
        var p: [String: JSONValue] = ["callback_query_id": .string(id)]
        if let text, !text.isEmpty { p["text"] = .string(String(text.prefix(200))) }
        _ = try await call("answerCallbackQuery", p, as: Ignored.self)
    }

    /// Uploads a file (multipart/form-data).
    @discardableResult
    public func sendDocument(chatID: Int64, filename: String, data: Data, caption: String? = nil,
                             parseMode: String? = "HTML", disableNotification: Bool = false) async throws -> TGMessage {
        var parts = [MultipartPart(name: "chat_id", data: Data(String(chatID).utf8)),
                     MultipartPart(name: "document", filename: filename, contentType: Self.contentType(of: filename), data: data)]
        if let caption, !caption.isEmpty {
            parts.append(MultipartPart(name: "caption", data: Data(String(caption.prefix(1024)).utf8)))
            if let parseMode { parts.append(MultipartPart(name: "parse_mode", data: Data(parseMode.utf8))) }
        }
        if disableNotification { parts.append(MultipartPart(name: "disable_notification", data: Data("true".utf8))) }
        let request = HTTPRequest(method: "POST", url: url("sendDocument"), multipart: parts,
                                  connectTimeout: connectTimeout, timeout: max(requestTimeout, 60))
        return try await perform("sendDocument", request, as: TGMessage.self)
    }

    /// Uploads a picture (multipart/form-data) with an HTML caption (clipped to Telegram's 1024
    /// characters), buttons and a reply target.
    @discardableResult
    public func sendPhoto(chatID: Int64, filename: String, data: Data, caption: String? = nil, parseMode: String? = "HTML",
                          keyboard: TGInlineKeyboard? = nil, disableNotification: Bool = false, replyTo: Int64? = nil) async throws -> TGMessage {
        var parts = [MultipartPart(name: "chat_id", data: Data(String(chatID).utf8)),
                     MultipartPart(name: "photo", filename: filename, contentType: Self.contentType(of: filename), data: data)]
        if let caption, !caption.isEmpty {
            parts.append(MultipartPart(name: "caption", data: Data(String(caption.prefix(1024)).utf8)))
            if let parseMode { parts.append(MultipartPart(name: "parse_mode", data: Data(parseMode.utf8))) }
        }
        if let keyboard, !keyboard.rows.isEmpty { parts.append(MultipartPart(name: "reply_markup", data: Data(keyboard.json.jsonBytes))) }
        if let replyTo {
            let r: JSONValue = .object(["message_id": .int(replyTo), "allow_sending_without_reply": .bool(true)])
            parts.append(MultipartPart(name: "reply_parameters", data: Data(r.jsonBytes)))
        }
        if disableNotification { parts.append(MultipartPart(name: "disable_notification", data: Data("true".utf8))) }
        let request = HTTPRequest(method: "POST", url: url("sendPhoto"), multipart: parts,
                                  connectTimeout: connectTimeout, timeout: max(requestTimeout, 60))
        return try await perform("sendPhoto", request, as: TGMessage.self)
    }

    /// Publishes the command menu: the default one (`languageCode` nil), or the one Telegram
    /// shows users whose app is in that language (`"ru"`).
    public func setMyCommands(_ commands: [(command: String, description: String)], languageCode: String? = nil) async throws {
        let list: [JSONValue] = commands.map {
            .object(["command": .string($0.command), "description": .string(String($0.description.prefix(256)))])
        }
        var params: [String: JSONValue] = ["commands": .array(list)]
        if let languageCode { params["language_code"] = .string(languageCode) }
        _ = try await call("setMyCommands", params, as: Ignored.self)
    }

    public func getWebhookInfo() async throws -> TGWebhookInfo {
        try await call("getWebhookInfo", [:], as: TGWebhookInfo.self)
    }

    /// Removes a webhook so that getUpdates works; pending updates are kept unless told otherwise.
    public func deleteWebhook(dropPendingUpdates: Bool = false) async throws {
        _ = try await call("deleteWebhook", ["drop_pending_updates": .bool(dropPendingUpdates)], as: Ignored.self)
    }

    // MARK: - Plumbing

    /// Any JSON method by name (for methods not wrapped above).
    public func call<T: Decodable & Sendable>(_ method: String, _ params: [String: JSONValue], timeout: Double? = nil,
                                              as type: T.Type) async throws -> T {
        let body = Data(JSONValue.object(params).jsonBytes)
        StageTrace.mark(method + " encoded")
        let request = HTTPRequest(method: "POST", url: url(method), headers: ["Content-Type": "application/json"],
                                  body: body, connectTimeout: connectTimeout, timeout: timeout ?? requestTimeout)
        return try await perform(method, request, as: type)
    }

    private func perform<T: Decodable & Sendable>(_ method: String, _ request: HTTPRequest, as type: T.Type) async throws -> T {
        let response: HTTPResponse
        do {
            response = try await HTTPClient.send(request)
        } catch let e as HTTPError {
            observer?(method, "network")
            throw BotAPIError(kind: .network(e.kind), method: method, errorCode: nil, apiDescription: redact(e.message))
        }
        do {
            let v = try Self.decode(response, method: method, as: type, redact: redact)
            StageTrace.mark(method + " decoded")
            observer?(method, "ok")
            return v
        } catch let e as BotAPIError {
            let code = e.errorCode ?? response.status
            observer?(method, code == 409 ? "409" : code == 429 ? "429" : code >= 500 ? "5xx" : code == 401 ? "401" : "error")
            throw e
        }
    }

    /// Reads the envelope whatever the status: Telegram explains its errors in the body.
    static func decode<T: Decodable>(_ response: HTTPResponse, method: String, as type: T.Type,
                                     redact: (String) -> String) throws -> T {
        let decoder = JSONDecoder()
        guard let head = try? decoder.decode(EnvelopeHead.self, from: response.body) else {
            if response.status == 200 {
                throw BotAPIError(kind: .invalidResponse, method: method, errorCode: 200,
                                  apiDescription: "the response is not a Bot API envelope")
            }
            throw BotAPIError.classify(method: method, status: response.status, errorCode: nil,
                                       description: "HTTP \(response.status) without a Bot API envelope",
                                       retryAfter: response.headers["retry-after"].flatMap { Int($0) }, migrateTo: nil)
        }
        if head.ok {
            do {
                return try decoder.decode(Envelope<T>.self, from: response.body).result
            } catch {
                throw BotAPIError(kind: .invalidResponse, method: method, errorCode: response.status,
                                  apiDescription: redact("cannot decode the result: \(error)"))
            }
        }
        throw BotAPIError.classify(method: method, status: response.status, errorCode: head.errorCode,
                                   description: head.description.map(redact),
                                   retryAfter: head.parameters?.retryAfter, migrateTo: head.parameters?.migrateToChatID)
    }

    private func ignoringNotModified(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let e as BotAPIError where e.kind == .messageNotModified { return }
    }

    private func url(_ method: String) -> String { "\(baseURL)/bot\(token)/\(method)" }

    private func redact(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "[REDACTED]")
    }

    private static func contentType(of filename: String) -> String {
        switch (filename as NSString).pathExtension.lowercased() {
        case "txt", "log": "text/plain; charset=utf-8"
        case "csv": "text/csv; charset=utf-8"
        case "json": "application/json"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}

/// A result opsbot does not read (`true`, or a Message it does not need).
struct Ignored: Decodable, Sendable {
    init(from decoder: Decoder) throws {}
}

private struct EnvelopeHead: Decodable {
    struct Parameters: Decodable {
        var retryAfter: Int?
        var migrateToChatID: Int64?
        enum CodingKeys: String, CodingKey {
            case retryAfter = "retry_after"
            case migrateToChatID = "migrate_to_chat_id"
        }
    }
    var ok: Bool
    var errorCode: Int?
    var description: String?
    var parameters: Parameters?
    enum CodingKeys: String, CodingKey {
        case ok, description, parameters
        case errorCode = "error_code"
    }
}

private struct Envelope<T: Decodable>: Decodable {
    var result: T
}
