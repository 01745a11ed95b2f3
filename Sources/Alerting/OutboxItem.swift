import Foundation
import OpsbotSupport

/// An inline button of an alert message (Alerting does not know the chat types).
public struct AlertButton: Sendable, Hashable, Codable {
    public var text: String
    public var data: String
    public init(_ text: String, data: String) {
        self.text = text
        self.data = data
    }
}

/// A rendered alert message waiting for delivery.
public struct OutgoingMessage: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case firing, reminder, resolved, flapping, settled, info
        /// Only edits the firing messages of `annotations`; sent as a message only when one of
        /// them cannot be found.
        case annotate
    }
    public var chatID: Int64
    public var kind: Kind
    /// Reminders with the same fingerprint replace each other while undelivered.
    public var fingerprint: String?
    public var html: String
    public var buttons: [[AlertButton]]
    /// Telegram's disable_notification: warnings are silent, criticals loud.
    public var silent: Bool
    /// The alerts this message is about (their firing message is remembered for later edits).
    public var alertIDs: [String]?
    /// Sent as a reply to the firing message of this alert.
    public var replyToAlert: String?
    /// Alert id → a line appended to that alert's firing message, whose buttons for the alert go
    /// (resolved) — unless `keepButtons` (unknown: it may still fire) or `restoreButtons` says otherwise.
    public var annotations: [String: String]?
    /// The annotation leaves the alert's buttons (Ack, Mute) on its message.
    public var keepButtons: Bool?
    /// Alert id → the rows to put back on its message when none of its buttons are there
    /// (known again: an "unknown" edit of an older version removed them).
    public var restoreButtons: [String: [[AlertButton]]]?
    /// Filled in at delivery from `replyToAlert`.
    public var replyToMessageID: Int64?
    /// The language it was rendered in (what the outbox adds at delivery follows it); nil:
    /// English (queued before languages existed).
    public var language: Language?

    public init(chatID: Int64, kind: Kind, fingerprint: String? = nil, html: String, buttons: [[AlertButton]] = [], silent: Bool,
                alertIDs: [String]? = nil, replyToAlert: String? = nil, annotations: [String: String]? = nil) {
        self.chatID = chatID
        self.kind = kind
        self.fingerprint = fingerprint
        self.html = html
        self.buttons = buttons
        self.silent = silent
        self.alertIDs = alertIDs
        self.replyToAlert = replyToAlert
        self.annotations = annotations
    }

    /// Reminders and other repeats wait; firing, resolved and edits go first.
    public var isLowPriority: Bool { kind == .reminder }
}

/// One outbox row.
public struct OutboxItem: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case pending, sent, failed }
    /// Monotonic: delivery order per chat.
    public var id: Int64
    public var message: OutgoingMessage
    public var state: State
    public var createdAt: Date
    public var attempts: Int
    public var lastError: String?
    public var messageID: Int64?
    public var doneAt: Date?
}

/// What one delivery attempt came to.
public enum DeliveryResult: Sendable, Hashable {
    case delivered(messageID: Int64)
    /// Try again later (network, 5xx, 429: `after` = retry_after when known).
    case retry(after: Double?, error: String)
    /// Will never work (bot blocked, chat gone): recorded and shown, not retried.
    case permanent(String)
}
