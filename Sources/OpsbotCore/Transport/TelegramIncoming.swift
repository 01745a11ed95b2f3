import TelegramBotAPI

extension Incoming {
    /// The update as the router sees it: a text message or a button press. Anything else
    /// (stickers, photos, joins, edits, callbacks without a message) is nil and ignored.
    public init?(_ update: TGUpdate) {
        if let m = update.message {
            guard let text = m.text, let from = m.from else { return nil }
            self = .message(IncomingMessage(chatID: m.chat.id, userID: from.id, username: from.username,
                                            messageID: m.messageID, text: text, languageCode: from.languageCode))
        } else if let q = update.callbackQuery {
            guard let m = q.message else { return nil }
            self = .callback(IncomingCallback(id: q.id, chatID: m.chat.id, userID: q.from.id, username: q.from.username,
                                              messageID: m.messageID, data: q.data ?? "", languageCode: q.from.languageCode))
        } else {
            return nil
        }
    }
}
