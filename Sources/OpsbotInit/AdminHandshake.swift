import Foundation
import TelegramBotAPI
import OpsbotSupport

/// Learns the admin chat and user from one message: with the bot's token, `getMe`, then
/// long-polls `getUpdates` until someone writes in a chat with the bot (the ops group, or a
/// private chat), and returns that chat's and sender's ids exactly as Telegram gives them —
/// so a supergroup's `-100…` prefix is never lost in copying.
public struct AdminHandshake: Sendable {
    public struct Found: Sendable, Hashable {
        public var chatID: Int64
        public var chatTitle: String?
        public var chatType: String
        public var userID: Int64
        public var username: String?
        public var firstName: String?
        /// `chat -1001234567890 (ops), user 42 (@alice)`.
        public var summary: String {
            let title = chatTitle.map { " (\($0))" } ?? (chatType == "private" ? " (private chat)" : "")
            let who = username.map { " (@\($0))" } ?? firstName.map { " (\($0))" } ?? ""
            return "chat \(chatID)\(title), user \(userID)\(who)"
        }
    }

    public let api: BotAPI
    public let clock: any OpsClock
    public init(api: BotAPI, clock: any OpsClock = SystemClock()) { self.api = api; self.clock = clock }

    public enum Failure: Error, CustomStringConvertible {
        case token(String), timedOut(Double), webhook(String)
        public var description: String {
            switch self {
            case .token(let why): "the bot token does not work: \(why)"
            case .timedOut(let s): "no message reached the bot in \(Durations.format(s)) — is the bot in the group, and its privacy mode off or the message a /command?"
            case .webhook(let url): "a webhook is set for this bot (\(url)): Telegram refuses getUpdates while it is; delete it (deleteWebhook) or use a bot of opsbot's own"
            }
        }
    }

    /// `getMe`: the bot's @username, to tell the operator whom to write to.
    public func bot() async throws -> TGUser {
        do { return try await api.getMe() } catch { throw Failure.token(Redactor.shared.redact("\(error)")) }
    }

    /// Waits up to `timeout` seconds for a message; `tick(secondsLeft)` is called before each
    /// poll (the countdown). Of a backlog, the newest message counts (the operator confirms it).
    /// The update is confirmed, so `opsbot run` will not see the handshake message again.
    public func waitForMessage(timeout: Double, pollSeconds: Int = 10, tick: @Sendable (Int) -> Void = { _ in }) async throws -> Found {
        let elapsed = clock.stopwatch()
        if let hook = try? await api.getWebhookInfo(), !hook.url.isEmpty { throw Failure.webhook(hook.url) }
        var offset: Int64? = nil
        while true {
            let left = timeout - elapsed()
            if left <= 0 { throw Failure.timedOut(timeout) }
            tick(Int(left.rounded(.up)))
            let updates = try await api.getUpdates(offset: offset, timeout: max(0, min(pollSeconds, Int(left))), allowedUpdates: ["message"])
            guard let last = updates.last else { continue }
            offset = last.updateID + 1
            // The newest message of the batch (a backlog may hold older ones): the operator confirms it.
            if let m = updates.reversed().lazy.compactMap(\.message).first(where: { $0.from.map { !$0.isBot } ?? false }), let from = m.from {
                _ = try? await api.getUpdates(offset: offset, timeout: 0, allowedUpdates: ["message"])
                return Found(chatID: m.chat.id, chatTitle: m.chat.title, chatType: m.chat.type, userID: from.id,
                             username: from.username, firstName: from.firstName)
            }
        }
    }
}
