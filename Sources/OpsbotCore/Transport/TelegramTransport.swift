import Foundation
import TelegramBotAPI

/// The ChatTransport for Telegram: HTML messages split to Telegram's limits, long output as a
/// file, and the Bot API's failure modes handled where the message is still worth delivering.
///
/// - 400 "can't parse entities": the same text goes out as plain text (never lost).
/// - 429: waits `retry_after` and retries (a few times; then the error is thrown).
/// - 400 migrate_to_chat_id: the group became a supergroup; sends go to the new id from now on.
/// - 403: the bot was blocked or removed: `PermanentDeliveryError`.
public final class TelegramTransport: ChatTransport, Sendable {
    public let api: BotAPI
    /// Text longer than this (characters, after HTML is turned to plain text) is sent as a .txt file.
    public let documentThreshold: Int
    /// How many times one request is retried after a 429.
    public let maxRateLimitRetries: Int
    /// Waits out `retry_after` (tests pass a manual clock).
    public let clock: any OpsClock
    private let migrations = Locked<[Int64: Int64]>([:])

    public init(api: BotAPI, documentThreshold: Int, maxRateLimitRetries: Int = 3,
                clock: any OpsClock = SystemClock()) {
        self.api = api
        self.documentThreshold = documentThreshold
        self.maxRateLimitRetries = maxRateLimitRetries
        self.clock = clock
    }

    /// The chat id to use for `chatID` after any migration seen so far.
    public func currentChatID(_ chatID: Int64) -> Int64 {
        migrations.withLock { $0[chatID] ?? chatID }
    }

    @discardableResult
    public func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        if let file = reply.attachment, file.kind == .photo {
            let caption = reply.html.isEmpty ? nil : Self.clipCaption(reply.html)
            let keyboard = Self.keyboard(reply.buttons)
            let m = try await deliver(chatID) { chat in
                try await self.withPlainFallback(caption) { text, mode in
                    try await self.api.sendPhoto(chatID: chat, filename: file.filename, data: file.data, caption: text, parseMode: mode,
                                                 keyboard: keyboard, disableNotification: reply.silent, replyTo: chat == chatID ? reply.replyTo : nil)
                }
            }
            return MessageRef(chatID: m.chat.id, messageID: m.messageID)
        }
        if let file = reply.attachment {
            let caption = reply.html.isEmpty ? nil : Self.clipCaption(reply.html)
            let m = try await deliver(chatID) { chat in
                try await self.withPlainFallback(caption) { text, mode in
                    try await self.api.sendDocument(chatID: chat, filename: file.filename, data: file.data, caption: text,
                                                    parseMode: mode, disableNotification: reply.silent)
                }
            }
            return MessageRef(chatID: m.chat.id, messageID: m.messageID)
        }

        let plain = HTML.toPlainText(reply.html)
        if plain.count > documentThreshold {
            let caption = CoreText.outputAsFile(characters: plain.count).text()
            let m = try await deliver(chatID) { chat in
                try await self.api.sendDocument(chatID: chat, filename: "output.txt", data: Data(plain.utf8), caption: caption,
                                                parseMode: nil, disableNotification: reply.silent)
            }
            if !reply.buttons.isEmpty {
                // Buttons cannot ride on a document here: a short message carries them.
                let b = try await sendText(CoreText.seeFileAbove.text(), buttons: reply.buttons, silent: reply.silent, to: m.chat.id)
                return b
            }
            return MessageRef(chatID: m.chat.id, messageID: m.messageID)
        }

        let chunks = MessageSplitter.split(reply.html.isEmpty ? " " : reply.html, limit: 4000)
        var last: MessageRef? = nil
        for (i, chunk) in chunks.enumerated() {
            let isLast = i == chunks.count - 1
            last = try await sendText(chunk, buttons: isLast ? reply.buttons : [], silent: reply.silent || i > 0, to: chatID,
                                      replyTo: i == 0 ? reply.replyTo : nil)
        }
        return last!
    }

    public func edit(_ ref: MessageRef, _ reply: Reply) async throws {
        let keyboard = Self.keyboard(reply.buttons)
        let chat = currentChatID(ref.chatID)
        // An edit cannot split: over-long text is cut, the full text belongs in a send.
        let html = MessageSplitter.split(reply.html.isEmpty ? " " : reply.html, limit: 4000)[0]
        try await retryingRateLimit {
            try await self.withPlainFallback(html) { text, mode in
                try await self.api.editMessageText(chatID: chat, messageID: ref.messageID, text: text ?? " ",
                                                   parseMode: mode, keyboard: keyboard)
            }
        }
    }

    public func answerCallback(_ id: String, text: String?) async {
        do {
            try await api.answerCallbackQuery(id: id, text: text.map { String($0.prefix(200)) })
        } catch {
            Log.warning("answerCallbackQuery failed: \(error)")
        }
    }

    // MARK: - Delivery

    private func sendText(_ html: String, buttons: [[Button]], silent: Bool, to chatID: Int64, replyTo: Int64? = nil) async throws -> MessageRef {
        let keyboard = Self.keyboard(buttons)
        StageTrace.mark("rendered")
        let m = try await deliver(chatID) { chat in
            try await self.withPlainFallback(html) { text, mode in
                try await self.api.sendMessage(chatID: chat, text: text ?? " ", parseMode: mode, keyboard: keyboard,
                                               disableNotification: silent, replyTo: chat == chatID ? replyTo : nil)
            }
        }
        return MessageRef(chatID: m.chat.id, messageID: m.messageID)
    }

    /// Sends to the chat's current id, following one migration and retrying 429s.
    private func deliver<T: Sendable>(_ chatID: Int64, _ body: (Int64) async throws -> T) async throws -> T {
        var chat = currentChatID(chatID)
        for _ in 0..<2 {
            do {
                return try await retryingRateLimit { try await body(chat) }
            } catch let e as BotAPIError {
                switch e.kind {
                case .migrated(let newID) where newID != chat:
                    Log.warning("chat \(chat) was upgraded to supergroup \(newID): sending there from now on "
                                + "(update the chat id in the config)")
                    migrations.withLock {
                        $0[chatID] = newID
                        $0[chat] = newID
                    }
                    chat = newID
                case .forbidden:
                    throw PermanentDeliveryError("Telegram refuses delivery to chat \(chat): \(e.apiDescription)")
                default:
                    throw e
                }
            }
        }
        return try await retryingRateLimit { try await body(chat) }
    }

    private func retryingRateLimit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let e as BotAPIError {
                guard case .rateLimited(let seconds) = e.kind, attempt < maxRateLimitRetries else { throw e }
                attempt += 1
                Log.info("Telegram \(e.method) rate-limited: waiting \(seconds) s (retry \(attempt)/\(maxRateLimitRetries))")
                try await clock.sleep(seconds: Double(max(1, seconds)))
            }
        }
    }

    /// Runs `body` with HTML; if Telegram cannot parse it, once more with the same text as plain text.
    private func withPlainFallback<T: Sendable>(_ html: String?,
                                                _ body: (String?, String?) async throws -> T) async throws -> T {
        do {
            return try await body(html, "HTML")
        } catch let e as BotAPIError where e.kind == .cantParseEntities {
            Log.warning("Telegram could not parse a message's HTML (\(e.apiDescription)); resending it as plain text")
            return try await body(html.map { HTML.toPlainText($0) }, nil)
        }
    }

    static func keyboard(_ buttons: [[Button]]) -> TGInlineKeyboard {
        TGInlineKeyboard(buttons.filter { !$0.isEmpty }.map { row in
            row.map { TGInlineButton(text: $0.text, callbackData: $0.data) }
        })
    }

    /// Captions are limited to 1024 characters: long ones are cut as plain text.
    static func clipCaption(_ html: String) -> String {
        if MessageSplitter.visibleLength(html) <= 1000 { return html }
        return HTML.escape(String(HTML.toPlainText(html).prefix(990))) + "…"
    }
}

extension BotAPIError: RetryAfterHint {
    public var retryAfterSeconds: Double? {
        if case .rateLimited(let seconds) = kind { return Double(seconds) }
        return nil
    }
}
