import Foundation

/// The Bot API objects opsbot reads. Only the fields it uses; unknown fields are ignored.
/// Ids are 64-bit: supergroup and channel ids do not fit in 32 bits.

public struct TGUser: Codable, Sendable, Hashable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var username: String?
    /// IETF tag of the user's Telegram language ("ru", "en"), when Telegram sends it.
    public var languageCode: String?

    public init(id: Int64, isBot: Bool = false, firstName: String, username: String? = nil, languageCode: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.username = username
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case id, username
        case isBot = "is_bot"
        case firstName = "first_name"
        case languageCode = "language_code"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        isBot = try c.decodeIfPresent(Bool.self, forKey: .isBot) ?? false
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName) ?? ""
        username = try c.decodeIfPresent(String.self, forKey: .username)
        languageCode = try c.decodeIfPresent(String.self, forKey: .languageCode)
    }
}

public struct TGChat: Codable, Sendable, Hashable {
    public var id: Int64
    /// "private", "group", "supergroup" or "channel".
    public var type: String
    public var title: String?
    public var username: String?

    public init(id: Int64, type: String, title: String? = nil, username: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
    }
}

public struct TGMessage: Codable, Sendable, Hashable {
    public var messageID: Int64
    public var from: TGUser?
    public var chat: TGChat
    public var date: Int64
    public var text: String?
    public var caption: String?
    /// Set on the service message sent when a group becomes a supergroup.
    public var migrateToChatID: Int64?

    public init(messageID: Int64, from: TGUser? = nil, chat: TGChat, date: Int64 = 0, text: String? = nil,
                caption: String? = nil, migrateToChatID: Int64? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.caption = caption
        self.migrateToChatID = migrateToChatID
    }

    enum CodingKeys: String, CodingKey {
        case from, chat, date, text, caption
        case messageID = "message_id"
        case migrateToChatID = "migrate_to_chat_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try c.decode(Int64.self, forKey: .messageID)
        from = try c.decodeIfPresent(TGUser.self, forKey: .from)
        chat = try c.decode(TGChat.self, forKey: .chat)
        date = try c.decodeIfPresent(Int64.self, forKey: .date) ?? 0
        text = try c.decodeIfPresent(String.self, forKey: .text)
        caption = try c.decodeIfPresent(String.self, forKey: .caption)
        migrateToChatID = try c.decodeIfPresent(Int64.self, forKey: .migrateToChatID)
    }
}

public struct TGCallbackQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: TGUser
    /// Absent when the message is too old for Telegram to send it along.
    public var message: TGMessage?
    public var data: String?

    public init(id: String, from: TGUser, message: TGMessage? = nil, data: String? = nil) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}

public struct TGUpdate: Codable, Sendable, Hashable {
    public var updateID: Int64
    public var message: TGMessage?
    public var callbackQuery: TGCallbackQuery?

    public init(updateID: Int64, message: TGMessage? = nil, callbackQuery: TGCallbackQuery? = nil) {
        self.updateID = updateID
        self.message = message
        self.callbackQuery = callbackQuery
    }

    enum CodingKeys: String, CodingKey {
        case message
        case updateID = "update_id"
        case callbackQuery = "callback_query"
    }
}

public struct TGWebhookInfo: Codable, Sendable, Hashable {
    /// Empty when no webhook is set (then getUpdates works).
    public var url: String
    public var pendingUpdateCount: Int
    public var lastErrorMessage: String?
    /// Unix time of the last delivery error.
    public var lastErrorDate: Int64?

    public init(url: String, pendingUpdateCount: Int = 0, lastErrorMessage: String? = nil, lastErrorDate: Int64? = nil) {
        self.url = url
        self.pendingUpdateCount = pendingUpdateCount
        self.lastErrorMessage = lastErrorMessage
        self.lastErrorDate = lastErrorDate
    }

    enum CodingKeys: String, CodingKey {
        case url
        case pendingUpdateCount = "pending_update_count"
        case lastErrorMessage = "last_error_message"
        case lastErrorDate = "last_error_date"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url) ?? ""
        pendingUpdateCount = try c.decodeIfPresent(Int.self, forKey: .pendingUpdateCount) ?? 0
        lastErrorMessage = try c.decodeIfPresent(String.self, forKey: .lastErrorMessage)
        lastErrorDate = try c.decodeIfPresent(Int64.self, forKey: .lastErrorDate)
    }
}

public struct TGInlineButton: Codable, Sendable, Hashable {
    public var text: String
    /// 1–64 bytes.
    public var callbackData: String

    public init(text: String, callbackData: String) {
        self.text = text
        self.callbackData = callbackData
    }

    enum CodingKeys: String, CodingKey {
        case text
        case callbackData = "callback_data"
    }
}

/// Rows of inline buttons. An empty keyboard, sent on an edit, removes the buttons.
public struct TGInlineKeyboard: Codable, Sendable, Hashable {
    public var rows: [[TGInlineButton]]

    public init(_ rows: [[TGInlineButton]]) { self.rows = rows }

    enum CodingKeys: String, CodingKey { case rows = "inline_keyboard" }
}

/// An entry of the bot's command menu (`setMyCommands`).
public struct TGBotCommand: Codable, Sendable, Hashable {
    public var command: String
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}
