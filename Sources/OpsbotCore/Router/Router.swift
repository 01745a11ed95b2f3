import Foundation
import LocalStore

/// Turns chat events into work: parses commands, enforces the ACL, validates arguments
/// against the catalog, runs modules, drives confirmations and feature buttons, and writes
/// the audit log. Both transports (Telegram, console) feed it the same `Incoming` events.
public final class Router: Sendable {
    public let app: AppContext
    /// Built from the current admins on every use, so a reload's admin list applies at once.
    var acl: AccessControl { AccessControl(app.config.admins) }
    let book: ConfirmationBook
    /// Feature buttons: the app's (which a reload replaces) unless a test gives its own.
    var callbacks: CallbackRegistry { fixedCallbacks ?? app.callbacks }
    private let fixedCallbacks: CallbackRegistry?
    let refusals: RefusalLimiter
    /// How long a command may run before a "working…" message appears.
    let progressDelay: Double
    /// How long a press that overtook its own preview waits for the preview's delivery.
    let previewWait: Double
    private let username = Locked<String?>(nil)

    public init(app: AppContext, callbacks: CallbackRegistry? = nil, progressDelay: Double = 1.0,
                refusalWindow: TimeInterval = 600, previewWait: Double = 5) {
        self.app = app
        self.book = ConfirmationBook(store: app.store)
        self.fixedCallbacks = callbacks
        self.refusals = RefusalLimiter(window: refusalWindow)
        self.progressDelay = progressDelay
        self.previewWait = previewWait
    }

    /// The bot's own @username (from getMe), so `/cmd@otherbot` can be ignored.
    public var botUsername: String? {
        get { username.current }
        set { username.withLock { $0 = newValue } }
    }

    /// Clears confirmations a previous process left behind and lets features run commands.
    public func start() async {
        app.setCommandHook { [weak self] message in await self?.handleMessage(message) }
        for old in book.abandonPrevious() {
            let text = ConfirmationCore.restartNotice(action: old.action, wasRunning: old.wasRunning)
                .text(app.pushLanguage(chat: old.chatID))
            try? await app.transport.edit(MessageRef(chatID: old.chatID, messageID: old.messageID), Reply(html: text))
        }
    }

    public func handle(_ incoming: Incoming) async {
        switch incoming {
        case .message(let m): await handleMessage(m)
        case .callback(let c): await handleCallback(c)
        }
    }

    // MARK: button presses

    /// Toasts and edits are in the presser's language (`Language.current` while it runs).
    public func handleCallback(_ c: IncomingCallback) async {
        let language = app.language(chat: c.chatID, telegramCode: c.languageCode)
        await Language.$current.withValue(language) { await press(c) }
    }

    private func press(_ c: IncomingCallback) async {
        guard acl.check(chatID: c.chatID, userID: c.userID) == .allowed else {
            await app.transport.answerCallback(c.id, text: CoreText.buttonNotAuthorized.text())
            app.store.audit(.init(at: app.clock.now(), chatID: c.chatID, userID: c.userID, username: c.username, command: "button",
                                  arguments: c.data, outcome: "refused: not an admin", durationMS: 0))
            Log.warning("refused a button press from user \(c.userID) in chat \(c.chatID)")
            return
        }
        if c.data.hasPrefix("c:") {
            await handleConfirmationPress(c)
        } else if let handler = callbacks.handler(for: c.data) {
            let text = await handler.handle(c, app: app)
            await app.transport.answerCallback(c.id, text: text)
        } else {
            await app.transport.answerCallback(c.id, text: CoreText.buttonNoLongerValid.text())
        }
    }
}
