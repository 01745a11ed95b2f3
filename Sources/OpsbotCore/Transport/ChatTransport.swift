import Foundation

/// Where a message lives, so it can be edited later (progress, confirmation results).
public struct MessageRef: Sendable, Hashable, Codable {
    public var chatID: Int64
    public var messageID: Int64
    public init(chatID: Int64, messageID: Int64) {
        self.chatID = chatID
        self.messageID = messageID
    }
}

/// An inline button. `data` is the callback payload: at most 64 bytes (Telegram's limit).
public struct Button: Sendable, Hashable, Codable {
    public var text: String
    public var data: String
    public init(_ text: String, data: String) {
        self.text = text
        self.data = data
    }
}

/// A file attached to a reply (long output, exports), or a picture (a chart).
public struct Attachment: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case document, photo }
    public var filename: String
    public var data: Data
    /// A photo is shown inline (Telegram's sendPhoto; the console saves it and prints the path).
    public var kind: Kind
    public init(filename: String, data: Data, kind: Kind = .document) {
        self.filename = filename
        self.data = data
        self.kind = kind
    }
}

/// What opsbot says: Telegram HTML (everything from outside already escaped), optional
/// buttons (rows), optionally silent, optionally with a file.
public struct Reply: Sendable, Hashable {
    public var html: String
    public var buttons: [[Button]]
    public var silent: Bool
    public var attachment: Attachment?
    /// Sent as a reply to this message of the same chat (a resolved alert to its firing message).
    public var replyTo: Int64?

    public init(html: String, buttons: [[Button]] = [], silent: Bool = false, attachment: Attachment? = nil, replyTo: Int64? = nil) {
        self.html = html
        self.buttons = buttons
        self.silent = silent
        self.attachment = attachment
        self.replyTo = replyTo
    }

    /// Plain text from outside, escaped.
    public static func text(_ plain: String) -> Reply { Reply(html: HTML.escape(plain)) }
    /// Output that must keep its layout (tables, log lines), escaped and in `<pre>`.
    public static func pre(_ plain: String, title: String? = nil) -> Reply {
        let head = title.map { "<b>\(HTML.escape($0))</b>\n" } ?? ""
        return Reply(html: head + "<pre>" + HTML.escape(plain) + "</pre>")
    }
}

/// Someone wrote in a chat.
public struct IncomingMessage: Sendable, Hashable {
    public var chatID: Int64
    public var userID: Int64
    public var username: String?
    public var messageID: Int64
    public var text: String
    /// The sender's Telegram `language_code` (for `language: auto`), nil when unknown.
    public var languageCode: String?
    public init(chatID: Int64, userID: Int64, username: String? = nil, messageID: Int64, text: String, languageCode: String? = nil) {
        self.chatID = chatID
        self.userID = userID
        self.username = username
        self.messageID = messageID
        self.text = text
        self.languageCode = languageCode
    }
}

/// Someone pressed an inline button.
public struct IncomingCallback: Sendable, Hashable {
    public var id: String
    public var chatID: Int64
    public var userID: Int64
    public var username: String?
    public var messageID: Int64
    public var data: String
    /// The presser's Telegram `language_code` (for `language: auto`), nil when unknown.
    public var languageCode: String?
    public init(id: String, chatID: Int64, userID: Int64, username: String? = nil, messageID: Int64, data: String,
                languageCode: String? = nil) {
        self.id = id
        self.chatID = chatID
        self.userID = userID
        self.username = username
        self.messageID = messageID
        self.data = data
        self.languageCode = languageCode
    }
}

public enum Incoming: Sendable, Hashable {
    case message(IncomingMessage)
    case callback(IncomingCallback)
}

/// Delivery failed for good (bot blocked or removed, chat gone): retrying will not help.
public struct PermanentDeliveryError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An error that says exactly when a retry may succeed (Telegram's 429 `retry_after`).
public protocol RetryAfterHint: Error {
    var retryAfterSeconds: Double? { get }
}

/// The chat side: Telegram or the local console. Everything the router and the modules say
/// goes through here, so both transports behave the same.
public protocol ChatTransport: Sendable {
    /// Sends a reply; long text is split or sent as a file by the transport.
    /// Returns the reference of the (last) message sent, for later edits.
    @discardableResult
    func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef
    /// Replaces a message's text and buttons ("message is not modified" is success).
    func edit(_ ref: MessageRef, _ reply: Reply) async throws
    /// Answers a button press; `text` ≤ 200 characters, shown as a toast.
    func answerCallback(_ id: String, text: String?) async
}

