import Foundation
import OpsbotSupport

/// One Bot API call the fake received.
public struct FakeBotCall: Sendable {
    public var method: String
    /// The raw request body (JSON, or multipart bytes for uploads).
    public var body: Data
    /// Top-level parameters as strings: JSON strings as-is, numbers and bools printed,
    /// objects and arrays as JSON text; multipart text parts by name.
    public var fields: [String: String]
    /// Uploaded files by part name.
    public var files: [String: FakeBotFile]
    /// The HTTP status the fake answered with.
    public var status: Int
    public var at: Date
    /// When the request's last byte arrived, and when the serialized answer went to the socket
    /// (nil until then): what a bench times opsbot by, leaving the fake's own work out.
    public var receivedAt: Date? = nil
    public var answeredAt: Date? = nil
    /// The message_id the fake answered with (sendMessage, sendDocument, edits).
    public var resultMessageID: Int64? = nil

    public var chatID: Int64? { fields["chat_id"].flatMap { Int64($0) } }
    public var text: String? { fields["text"] }
}

public struct FakeBotFile: Sendable {
    public var filename: String
    public var data: Data
}

/// A real HTTP/1.1 Bot API on 127.0.0.1 for tests: scripted updates, long polling with
/// offsets, realistic results, every call recorded, and injectable faults.
///
/// It checks what Telegram checks where tests depend on it: the token (401), HTML that
/// parses with balanced supported tags ("can't parse entities"), text length after entity
/// parsing (≤ 4096), non-empty text, "message is not modified" on identical edits.
public final class FakeBotAPI: @unchecked Sendable {
    public struct Fault: Sendable {
        public var status: Int
        public var description: String
        public var retryAfter: Int?
        public var migrateTo: Int64?
    }

    public let token: String
    public let botID: Int64 = 7_000_000_001
    private var server: LoopbackHTTPServer!
    private let cond = NSCondition()
    // All state below is guarded by `cond`.
    private var updates: [(id: Int64, json: [String: Any])] = []
    private var nextUpdateID: Int64 = 500_000
    private var nextMessageID: Int64 = 1
    private var recorded: [FakeBotCall] = []
    private var counts: [String: Int] = [:]
    private var faults: [String: [Fault]] = [:]
    private var delays: [String: Double] = [:]
    private var messages: [String: (text: String, markup: String)] = [:]  // "chat:msg"
    private var migrated: [Int64: Int64] = [:]
    private var blocked: Set<Int64> = []
    private var webhookURL = ""
    private var stopped = false

    public init(token: String) throws {
        self.token = token
        server = try LoopbackHTTPServer { [weak self] request in
            self?.respond(request) ?? LoopbackHTTPServer.Response(status: 503, body: Data(#"{"ok":false,"error_code":503,"description":"stopped"}"#.utf8))
        }
    }

    deinit { server?.stop() }

    public var baseURL: String { "http://127.0.0.1:\(server.port)" }

    public func stop() {
        locked { stopped = true }
        cond.broadcast()
        server.stop()
    }

    // MARK: - Scripting

    /// Queues a text message from a user; returns its update_id.
    @discardableResult
    public func enqueueMessage(chatID: Int64, userID: Int64, text: String, username: String? = nil) -> Int64 {
        enqueue { id, messageID in
            ["update_id": id, "message": [
                "message_id": messageID, "from": Self.user(userID, username), "chat": Self.chat(chatID),
                "date": Int(Date().timeIntervalSince1970), "text": text,
            ] as [String: Any]]
        }
    }

    /// Queues a button press on message `messageID`; returns its update_id. The callback id is "cb<update_id>".
    @discardableResult
    public func enqueueCallback(chatID: Int64, userID: Int64, messageID: Int64, data: String, username: String? = nil) -> Int64 {
        enqueue { id, _ in
            ["update_id": id, "callback_query": [
                "id": "cb\(id)", "from": Self.user(userID, username), "chat_instance": "ci\(chatID)", "data": data,
                "message": ["message_id": messageID, "chat": Self.chat(chatID), "date": Int(Date().timeIntervalSince1970),
                            "from": ["id": self.botID, "is_bot": true, "first_name": "opsbot"] as [String: Any],
                            "text": "…"] as [String: Any],
            ] as [String: Any]]
        }
    }

    /// The next `count` calls of `method` fail with this envelope.
    public func failNext(method: String, status: Int, description: String, retryAfter: Int? = nil,
                         migrateTo: Int64? = nil, count: Int = 1) {
        let f = Fault(status: status, description: description, retryAfter: retryAfter, migrateTo: migrateTo)
        locked { faults[method, default: []] += Array(repeating: f, count: count) }
    }

    /// Drops the faults still queued for `method` (an outage ends).
    public func clearFaults(method: String) { locked { faults[method] = nil } }

    /// Every later call of `method` waits this long before answering (0 removes the delay).
    public func delay(method: String, seconds: Double) {
        locked { delays[method] = seconds }
    }

    /// The group `from` became supergroup `to`: sends to `from` fail with migrate_to_chat_id.
    public func migrateChat(from: Int64, to: Int64) { locked { migrated[from] = to } }

    /// The user blocked the bot / the bot was kicked: sends to `chatID` fail with 403.
    public func blockChat(_ chatID: Int64) { locked { _ = blocked.insert(chatID) } }

    /// A webhook is set: getUpdates answers 409 until deleteWebhook.
    public func setWebhook(_ url: String) { locked { webhookURL = url } }

    // MARK: - Inspection

    public var calls: [FakeBotCall] { locked { recorded } }

    public func calls(_ method: String) -> [FakeBotCall] { calls.filter { $0.method == method } }

    /// Successful sendMessage calls to `chatID`, in order.
    public func sentMessages(chatID: Int64) -> [FakeBotCall] {
        calls.filter { $0.method == "sendMessage" && $0.status == 200 && $0.chatID == chatID }
    }

    /// Updates not yet confirmed by an offset.
    public var pendingUpdateCount: Int { locked { updates.count } }

    /// Waits until at least `count` calls of `method` were answered (any status).
    public func waitFor(method: String, count: Int = 1, timeout: Double = 5) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if calls(method).count >= count { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return calls(method).count >= count
    }

    /// Blocks the calling thread until more than `count` calls of `method` were answered, or
    /// `timeout` passes (benches: no polling, no copies of the record while waiting).
    public func waitForCalls(_ method: String, moreThan count: Int, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        cond.lock()
        defer { cond.unlock() }
        while counts[method, default: 0] <= count {
            guard cond.wait(until: deadline) else { return counts[method, default: 0] > count }
        }
        return true
    }

    /// Calls of `method` answered so far.
    public func callCount(_ method: String) -> Int { locked { counts[method, default: 0] } }

    // MARK: - Serving

    private func respond(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let segments = request.path.split(separator: "?")[0].split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count == 2, segments[0].hasPrefix("bot") else {
            return envelope(404, ["ok": false, "error_code": 404, "description": "Not Found"])
        }
        let method = String(segments[1])
        guard segments[0].dropFirst(3) == token else {
            locked {
                recorded.append(FakeBotCall(method: method, body: request.body, fields: [:], files: [:], status: 401, at: Date()))
                counts[method, default: 0] += 1
                cond.broadcast()
            }
            return envelope(401, ["ok": false, "error_code": 401, "description": "Unauthorized"])
        }
        var fields: [String: String] = [:]
        var files: [String: FakeBotFile] = [:]
        var json: [String: Any] = [:]
        let contentType = request.headers["content-type"] ?? ""
        if contentType.hasPrefix("multipart/form-data") {
            for part in Multipart.parse(request.body, contentType: contentType) {
                if let filename = part.filename {
                    files[part.name] = FakeBotFile(filename: filename, data: part.data)
                } else {
                    fields[part.name] = String(decoding: part.data, as: UTF8.self)
                }
            }
        } else if !request.body.isEmpty {
            json = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
            for (k, v) in json { fields[k] = Self.string(v) }
        }

        let wait = locked { delays[method] ?? 0 }
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }

        let (status, payload, extraHeaders) = answer(method, fields: fields, files: files, json: json)
        let index = locked { () -> Int in
            let resultID = ((payload["result"] as? [String: Any])?["message_id"] as? NSNumber)?.int64Value
            recorded.append(FakeBotCall(method: method, body: request.body, fields: fields, files: files,
                                        status: status, at: Date(), receivedAt: request.receivedAt, resultMessageID: resultID))
            counts[method, default: 0] += 1
            cond.broadcast()
            return recorded.count - 1
        }
        var response = envelope(status, payload)
        response.headers.merge(extraHeaders) { $1 }
        response.sending = { [self] at in locked { recorded[index].answeredAt = at } }
        return response
    }

    private func answer(_ method: String, fields: [String: String], files: [String: FakeBotFile],
                        json: [String: Any]) -> (Int, [String: Any], [String: String]) {
        if let fault = locked({ faults[method]?.isEmpty == false ? faults[method]!.removeFirst() : nil }) {
            var p: [String: Any] = [:]
            if let r = fault.retryAfter { p["retry_after"] = r }
            if let m = fault.migrateTo { p["migrate_to_chat_id"] = m }
            var body: [String: Any] = ["ok": false, "error_code": fault.status, "description": fault.description]
            if !p.isEmpty { body["parameters"] = p }
            return (fault.status, body, fault.retryAfter.map { ["Retry-After": String($0)] } ?? [:])
        }
        func ok(_ result: Any) -> (Int, [String: Any], [String: String]) { (200, ["ok": true, "result": result], [:]) }
        func bad(_ code: Int, _ description: String, _ parameters: [String: Any]? = nil) -> (Int, [String: Any], [String: String]) {
            var body: [String: Any] = ["ok": false, "error_code": code, "description": description]
            if let parameters { body["parameters"] = parameters }
            return (code, body, [:])
        }

        switch method {
        case "getMe":
            return ok(["id": botID, "is_bot": true, "first_name": "opsbot", "username": "opsbot_test_bot"])
        case "getUpdates":
            if locked({ !webhookURL.isEmpty }) {
                return bad(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
            }
            let offset = fields["offset"].flatMap { Int64($0) }
            let timeout = fields["timeout"].flatMap { Double($0) } ?? 0
            return ok(longPoll(offset: offset, timeout: timeout))
        case "sendMessage", "sendDocument", "sendPhoto":
            guard let chatID = fields["chat_id"].flatMap({ Int64($0) }) else { return bad(400, "Bad Request: chat not found") }
            if let to = locked({ migrated[chatID] }) {
                return bad(400, "Bad Request: group chat was upgraded to a supergroup chat", ["migrate_to_chat_id": to])
            }
            if locked({ blocked.contains(chatID) }) { return bad(403, "Forbidden: bot was blocked by the user") }
            let text: String
            if method == "sendMessage" {
                text = fields["text"] ?? ""
                if let problem = Self.checkText(text, html: fields["parse_mode"] == "HTML", limit: 4096) { return bad(400, problem) }
            } else if method == "sendPhoto" {
                // Telegram's photo rules: a real image (PNG or JPEG), caption ≤ 1024 characters, markup as JSON.
                guard let photo = files["photo"], !photo.data.isEmpty else { return bad(400, "Bad Request: there is no photo in the request") }
                let png: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
                guard Array(photo.data.prefix(8)) == png || Array(photo.data.prefix(2)) == [0xff, 0xd8] else { return bad(400, "Bad Request: IMAGE_PROCESS_FAILED") }
                if photo.data.count > 10_000_000 { return bad(400, "Bad Request: PHOTO_SAVE_FILE_INVALID") }
                if let markup = fields["reply_markup"], (try? JSONSerialization.jsonObject(with: Data(markup.utf8))) == nil {
                    return bad(400, "Bad Request: can't parse reply keyboard markup JSON object")
                }
                text = fields["caption"] ?? ""
                if !text.isEmpty, let problem = Self.checkText(text, html: fields["parse_mode"] == "HTML", limit: 1024) {
                    return bad(400, problem.replacingOccurrences(of: "message is too long", with: "message caption is too long"))
                }
            } else {
                guard let doc = files["document"], !doc.data.isEmpty else { return bad(400, "Bad Request: file must be non-empty") }
                text = fields["caption"] ?? ""
                if !text.isEmpty, let problem = Self.checkText(text, html: fields["parse_mode"] == "HTML", limit: 1024) {
                    return bad(400, problem.replacingOccurrences(of: "message is too long", with: "message caption is too long"))
                }
            }
            let id = locked { () -> Int64 in
                nextMessageID += 1
                messages["\(chatID):\(nextMessageID)"] = (text, fields["reply_markup"] ?? "")
                return nextMessageID
            }
            var message: [String: Any] = ["message_id": id, "chat": Self.chat(chatID), "date": Int(Date().timeIntervalSince1970),
                                          "from": ["id": botID, "is_bot": true, "first_name": "opsbot"] as [String: Any]]
            if method == "sendMessage" {
                message["text"] = fields["parse_mode"] == "HTML" ? HTML.toPlainText(text) : text
            } else if method == "sendPhoto" {
                message["photo"] = [["file_id": "photo\(id)", "file_unique_id": "p\(id)", "width": 1000, "height": 600] as [String: Any]]
                if !text.isEmpty { message["caption"] = text }
            } else {
                message["document"] = ["file_name": files["document"]!.filename, "file_size": files["document"]!.data.count,
                                       "file_id": "file\(id)"] as [String: Any]
                if !text.isEmpty { message["caption"] = text }
            }
            return ok(message)
        case "editMessageText", "editMessageReplyMarkup":
            guard let chatID = fields["chat_id"].flatMap({ Int64($0) }),
                  let messageID = fields["message_id"].flatMap({ Int64($0) }) else { return bad(400, "Bad Request: message identifier is not specified") }
            let key = "\(chatID):\(messageID)"
            guard let current = locked({ messages[key] }) else { return bad(400, "Bad Request: message to edit not found") }
            let text = method == "editMessageText" ? (fields["text"] ?? "") : current.text
            if method == "editMessageText", let problem = Self.checkText(text, html: fields["parse_mode"] == "HTML", limit: 4096) {
                return bad(400, problem)
            }
            let markup = Self.normalizedMarkup(fields["reply_markup"])
            if text == current.text && markup == Self.normalizedMarkup(current.markup) {
                return bad(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
            }
            locked { messages[key] = (text, markup) }
            return ok(["message_id": messageID, "chat": Self.chat(chatID), "date": Int(Date().timeIntervalSince1970),
                       "text": HTML.toPlainText(text)] as [String: Any])
        case "answerCallbackQuery":
            if let t = fields["text"], t.count > 200 { return bad(400, "Bad Request: MESSAGE_TOO_LONG") }
            return ok(true)
        case "setMyCommands":
            return ok(true)
        case "getWebhookInfo":
            let (url, pending) = locked { (webhookURL, updates.count) }
            return ok(["url": url, "has_custom_certificate": false, "pending_update_count": pending] as [String: Any])
        case "deleteWebhook":
            locked {
                webhookURL = ""
                if fields["drop_pending_updates"] == "true" { updates.removeAll() }
            }
            return ok(true)
        default:
            return bad(404, "Not Found: method not found")
        }
    }

    private func longPoll(offset: Int64?, timeout: Double) -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(min(timeout, 50))
        cond.lock()
        defer { cond.unlock() }
        if let offset { updates.removeAll { $0.id < offset } }  // confirmed
        while updates.isEmpty && !stopped && Date() < deadline {
            _ = cond.wait(until: deadline)
        }
        return updates.prefix(100).map(\.json)
    }

    private func enqueue(_ make: (Int64, Int64) -> [String: Any]) -> Int64 {
        cond.lock()
        nextUpdateID += 1
        nextMessageID += 1
        let id = nextUpdateID
        updates.append((id, make(id, nextMessageID)))
        cond.broadcast()
        cond.unlock()
        return id
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        cond.lock()
        defer { cond.unlock() }
        return try body()
    }

    private func envelope(_ status: Int, _ body: [String: Any]) -> LoopbackHTTPServer.Response {
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data("{}".utf8)
        return LoopbackHTTPServer.Response(status: status, body: data)
    }

    // MARK: - Telegram's checks and shapes

    static func user(_ id: Int64, _ username: String?) -> [String: Any] {
        var u: [String: Any] = ["id": id, "is_bot": false, "first_name": "User\(id)"]
        if let username { u["username"] = username }
        return u
    }

    static func chat(_ id: Int64) -> [String: Any] {
        id < 0 ? ["id": id, "type": "supergroup", "title": "ops"] : ["id": id, "type": "private", "first_name": "User\(id)"]
    }

    static func string(_ v: Any) -> String {
        switch v {
        case let s as String: return s
        case let n as NSNumber:
            #if canImport(Darwin)
            if CFGetTypeID(n) == CFBooleanGetTypeID() { return n.boolValue ? "true" : "false" }
            #else
            if type(of: n) == type(of: NSNumber(value: true)) && (n == NSNumber(value: true) || n == NSNumber(value: false)) {
                return n.boolValue ? "true" : "false"
            }
            #endif
            return n.stringValue
        default:
            if JSONSerialization.isValidJSONObject(v), let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) {
                return String(decoding: d, as: UTF8.self)
            }
            return "\(v)"
        }
    }

    static func normalizedMarkup(_ markup: String?) -> String {
        guard let markup, !markup.isEmpty, let d = markup.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: d) as? [String: Any],
              let rows = obj["inline_keyboard"] as? [Any], !rows.isEmpty else { return "" }
        return string(obj)
    }

    static let supportedTags: Set<String> = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                                             "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]

    /// Telegram's parse checks: supported and balanced tags, escaped `<`, length after parsing, non-empty.
    public static func checkText(_ text: String, html: Bool, limit: Int) -> String? {
        var visible = 0
        if html {
            var stack: [String] = []
            let chars = Array(text)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c == "<" {
                    guard let end = chars[(i + 1)...].firstIndex(of: ">") else {
                        return "Bad Request: can't parse entities: Unexpected end of name token at byte offset \(i)"
                    }
                    let inner = String(chars[(i + 1)..<end])
                    if inner.hasPrefix("/") {
                        let name = inner.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
                        guard stack.last == name else {
                            return "Bad Request: can't parse entities: Unmatched end tag at byte offset \(i), expected \"</\(stack.last ?? "")>\", found \"</\(name)>\""
                        }
                        stack.removeLast()
                    } else {
                        let name = String(inner.prefix { !$0.isWhitespace }).lowercased()
                        guard supportedTags.contains(name) else {
                            return "Bad Request: can't parse entities: Unsupported start tag \"\(name)\" at byte offset \(i)"
                        }
                        stack.append(name)
                    }
                    i = end + 1
                    continue
                }
                if c == "&", let semi = chars[i...].prefix(10).firstIndex(of: ";") {
                    let entity = String(chars[i...semi])
                    if ["&lt;", "&gt;", "&amp;", "&quot;"].contains(entity) || entity.hasPrefix("&#") {
                        visible += entity.hasPrefix("&#") ? 2 : 1
                        i = semi + 1
                        continue
                    }
                }
                visible += c.utf16.count
                i += 1
            }
            if let open = stack.last {
                return "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"\(open)\""
            }
            if HTML.toPlainText(text).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return "Bad Request: message text is empty"
            }
        } else {
            visible = text.utf16.count
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "Bad Request: message text is empty" }
        }
        if visible > limit { return "Bad Request: message is too long" }
        return nil
    }
}
