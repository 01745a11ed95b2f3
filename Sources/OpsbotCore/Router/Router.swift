import Foundation
import LocalStore

/// Turns chat events into work: parses commands, enforces the ACL, validates arguments
/// against the catalog, runs modules, drives confirmations and feature buttons, and writes
/// the audit log. Both transports (Telegram, console) feed it the same `Incoming` events.
public final class Router: @unchecked Sendable {
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
    private let username = Locked<String?>(nil)

    public init(app: AppContext, callbacks: CallbackRegistry? = nil, progressDelay: Double = 1.0,
                refusalWindow: TimeInterval = 600) {
        self.app = app
        self.book = ConfirmationBook(store: app.store)
        self.fixedCallbacks = callbacks
        self.refusals = RefusalLimiter(window: refusalWindow)
        self.progressDelay = progressDelay
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
            let text = old.wasRunning
                ? "⚠️ opsbot stopped while this was running; it was not run again. Check its effect. (\(HTML.escape(old.action)))"
                : "⌛ This confirmation expired when opsbot restarted. Nothing ran. (\(HTML.escape(old.action)))"
            try? await app.transport.edit(MessageRef(chatID: old.chatID, messageID: old.messageID), Reply(html: text))
        }
    }

    public func handle(_ incoming: Incoming) async {
        switch incoming {
        case .message(let m): await handleMessage(m)
        case .callback(let c): await handleCallback(c)
        }
    }

    // MARK: messages

    public func handleMessage(_ m: IncomingMessage) async {
        let started = Date()
        let parsed = CommandParser.parse(m.text, botUsername: botUsername)
        StageTrace.mark("parsed")
        var name: String
        let words: [String]
        switch parsed {
        case .notACommand, .otherBot:
            return
        case .malformed(let why):
            guard await authorize(chatID: m.chatID, userID: m.userID, username: m.username, what: m.text) else { return }
            await reply(m.chatID, .text("⚠️ \(why). Send /help for the list of commands."))
            return
        case .command(let n, let w):
            name = n
            words = w
        }
        guard await authorize(chatID: m.chatID, userID: m.userID, username: m.username, what: "/" + name) else { return }
        StageTrace.mark("acl")
        if name == "start" && app.catalog.entry("start") == nil { name = "help" }

        func audit(_ outcome: String) {
            let known = app.catalog.entry(name) != nil
            OpsMetrics.current.command(known ? name : "unknown", outcome: Router.outcomeClass(outcome), seconds: Date().timeIntervalSince(started))
            app.store.audit(.init(at: app.clock.now(), chatID: m.chatID, userID: m.userID, username: m.username, command: "/" + name,
                                  arguments: words.joined(separator: " "), outcome: outcome,
                                  durationMS: Int(Date().timeIntervalSince(started) * 1000)))
            StageTrace.mark("audited")
        }

        guard let entry = app.catalog.entry(name) else {
            await reply(m.chatID, .text("Unknown command /\(name)\(suggestion(for: name)). Send /help for the list."))
            audit("unknown command")
            return
        }
        guard acl.may(userID: m.userID, roles: entry.command.roles) else {
            await reply(m.chatID, .text("⛔ /\(name) needs the role \(entry.command.roles.joined(separator: " or ")), which you do not have."))
            audit("refused: role")
            return
        }
        let arguments: [String: ArgumentValue]
        do {
            arguments = try ArgumentValidator.bind(words, to: entry.command, services: app.config.serviceNames)
        } catch let e as ArgumentError {
            await reply(m.chatID, .text("⚠️ \(e.message)"))
            audit("invalid: \(e.message)")
            return
        } catch {
            await reply(m.chatID, .text("⚠️ \(error)"))
            audit("invalid")
            return
        }

        StageTrace.mark("arguments bound")
        let request = CommandRequest(command: entry.command, arguments: arguments, chatID: m.chatID, userID: m.userID, username: m.username)
        let progress = MessageProgress(transport: app.transport, chatID: m.chatID)
        let ctx = ModuleContext(app: app, request: request, progress: progress)
        let delay = progressDelay
        let shownName = name
        let timer = Task {
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            await progress.showWorking("⏳ /\(HTML.escape(shownName)) is running…")
        }
        // Every command has a deadline: at it the reply says so and the work is cancelled
        // (scans check `ctx.deadline` themselves, child processes have their own timeouts).
        let module = entry.module
        let limit = entry.command.timeout
        let outcome = await withDeadline(limit, fallback: CommandOutcome.reply(.text("⏱ /\(shownName) did not finish within \(Durations.format(limit)) and was stopped (the command's timeout)."))) {
            StageTrace.mark("module started")
            return await module.handle(ctx)
        }
        timer.cancel()
        let summary = await present(outcome, request: request, progress: progress)
        audit(summary)
    }

    /// Shows a module's outcome in the command's message and returns an audit summary.
    private func present(_ outcome: CommandOutcome, request: CommandRequest, progress: MessageProgress) async -> String {
        switch outcome {
        case .reply(let r):
            await progress.finish(r)
            return "ok: " + Router.firstLine(r.html)
        case .confirm(let plan):
            let nonce = ConfirmationBook.makeNonce()
            let expiry = app.config.confirmations.expiry
            let who: String = switch app.config.confirmations.approver {
            case .initiator: ""
            case .anyAdmin: " Any admin may confirm."
            case .secondAdmin: " Another admin must confirm (two-person rule)."
            }
            let html = "⚠️ <b>\(HTML.escape(Router.invocation(request)))</b>\n\(plan.preview)\n\n<i>Expires in \(Durations.format(expiry)).\(who)</i>"
            let buttons = [[Button("✅ " + plan.confirmLabel, data: "c:\(nonce):y"), Button("✖ Cancel", data: "c:\(nonce):n")]]
            guard let ref = await progress.finish(Reply(html: html, buttons: buttons)) else { return "error: preview not delivered" }
            let machine = Confirmation(nonce: nonce, chatID: ref.chatID, messageID: ref.messageID, initiator: request.userID,
                                       createdAt: app.clock.now(), expiry: expiry, approver: app.config.confirmations.approver)
            book.add(machine, action: .plan(plan), command: plan.auditAction)
            scheduleExpiry(after: expiry)
            return "awaiting confirmation: \(plan.auditAction)"
        case .choose(let prompt, let choices):
            let nonce = ConfirmationBook.makeNonce()
            let expiry = app.config.confirmations.expiry
            var rows = choices.enumerated().map { [Button($0.element.label, data: "c:\(nonce):\($0.offset)")] }
            rows.append([Button("✖ Cancel", data: "c:\(nonce):n")])
            guard let ref = await progress.finish(Reply(html: prompt, buttons: rows)) else { return "error: prompt not delivered" }
            let machine = Confirmation(nonce: nonce, chatID: ref.chatID, messageID: ref.messageID, initiator: request.userID,
                                       createdAt: app.clock.now(), expiry: expiry, approver: app.config.confirmations.approver,
                                       choices: choices.count)
            book.add(machine, action: .choices(prompt: prompt, choices), command: Router.invocation(request))
            scheduleExpiry(after: expiry)
            return "awaiting a choice"
        }
    }

    // MARK: button presses

    public func handleCallback(_ c: IncomingCallback) async {
        guard acl.check(chatID: c.chatID, userID: c.userID) == .allowed else {
            await app.transport.answerCallback(c.id, text: "⛔ Not authorized.")
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
            await app.transport.answerCallback(c.id, text: "This button is no longer valid.")
        }
    }

    private func handleConfirmationPress(_ c: IncomingCallback) async {
        let parts = c.data.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            await app.transport.answerCallback(c.id, text: "This button is no longer valid.")
            return
        }
        let nonce = String(parts[1])
        let press: Confirmation.Press
        switch parts[2] {
        case "y": press = .confirm
        case "n": press = .cancel
        default:
            guard let i = Int(parts[2]) else {
                await app.transport.answerCallback(c.id, text: "This button is no longer valid.")
                return
            }
            press = .choose(i)
        }
        let now = app.clock.now()
        guard let (verdict, entry) = book.press(nonce: nonce, press, by: c.userID, chatID: c.chatID, messageID: c.messageID, at: now) else {
            await app.transport.answerCallback(c.id, text: "This button is no longer valid (expired, or opsbot restarted). Nothing ran.")
            audit(c, action: "unknown confirmation", outcome: "rejected: unknown or forged nonce")
            return
        }
        let who = c.username.map { "@\($0)" } ?? "admin \(c.userID)"
        let ref = MessageRef(chatID: c.chatID, messageID: c.messageID)
        let preview: String = switch entry.action {
        case .plan(let plan): plan.preview
        case .choices(let prompt, _): prompt
        }
        switch verdict {
        case .run:
            guard case .plan(let plan) = entry.action else { return }
            await app.transport.answerCallback(c.id, text: "Running…")
            let started = Date()
            let progress = MessageProgress(transport: app.transport, chatID: c.chatID, existing: ref,
                                           prefix: "\(preview)\n\n")
            await progress.update("⏳ running… (confirmed by \(HTML.escape(who)))")
            let result = await plan.run(progress)
            book.finish(nonce)
            let took = Date().timeIntervalSince(started)
            var final = result
            final.html += "\n\n<i>confirmed by \(HTML.escape(who)) · \(String(format: "%.1f", took)) s</i>"
            // What ran (the SQL with its values, the services, the files) stays above the result;
            // when both do not fit one message, the preview stays and the result follows below.
            if final.attachment == nil && preview.count + final.html.count + 2 <= MessageProgress.editLimit {
                final.html = "\(preview)\n\n" + final.html
            }
            await progress.finish(final, note: "✅ done (confirmed by \(HTML.escape(who))) — output below")
            audit(c, action: entry.command, outcome: "confirmed, ran: \(Router.firstLine(result.html))", started: started)
        case .cancel:
            await app.transport.answerCallback(c.id, text: "Cancelled. Nothing ran.")
            try? await app.transport.edit(ref, Reply(html: "\(preview)\n\n✖ Cancelled by \(HTML.escape(who)). Nothing ran."))
            audit(c, action: entry.command, outcome: "cancelled")
        case .expired:
            await app.transport.answerCallback(c.id, text: "Expired. Nothing ran.")
            try? await app.transport.edit(ref, Reply(html: "\(preview)\n\n⌛ Expired. Nothing ran."))
            audit(c, action: entry.command, outcome: "rejected: expired")
        case .alreadyHandled(let state):
            let text = switch state {
            case .running: "Already running. It runs only once."
            case .done: "Already done. It runs only once."
            case .cancelled: "Already cancelled. Nothing ran."
            case .expired: "Expired. Nothing ran."
            case .pending: "Still pending."
            }
            await app.transport.answerCallback(c.id, text: text)
            audit(c, action: entry.command, outcome: "rejected: \(state.rawValue)")
        case .notYours(let why):
            await app.transport.answerCallback(c.id, text: "⛔ " + why)
            audit(c, action: entry.command, outcome: "rejected: \(why)")
        case .wrongMessage:
            await app.transport.answerCallback(c.id, text: "This button does not belong to this message.")
            audit(c, action: entry.command, outcome: "rejected: wrong message")
        case .choose(let i):
            guard case .choices(_, let choices) = entry.action, i < choices.count else { return }
            await app.transport.answerCallback(c.id, text: choices[i].label)
            let next = await choices[i].next()
            let progress = MessageProgress(transport: app.transport, chatID: c.chatID, existing: ref)
            let request = CommandRequest(command: CatalogCommand(name: entry.command, description: "", module: ""), arguments: [:],
                                         chatID: c.chatID, userID: c.userID, username: c.username)
            let summary = await present(next, request: request, progress: progress)
            audit(c, action: entry.command, outcome: "chose \(choices[i].label): \(summary)")
        }
    }

    // MARK: expiry

    /// Expires due confirmations and edits their messages. Runs after each expiry delay;
    /// tests with a manual clock call it directly.
    public func sweepExpired() async {
        for live in book.sweep(now: app.clock.now()) {
            let preview: String = switch live.action {
            case .plan(let p): p.preview
            case .choices(let prompt, _): prompt
            }
            try? await app.transport.edit(MessageRef(chatID: live.machine.chatID, messageID: live.machine.messageID),
                                          Reply(html: "\(preview)\n\n⌛ Expired after \(Durations.format(live.machine.expiresAt.timeIntervalSince(live.machine.createdAt))). Nothing ran."))
            app.store.audit(.init(at: app.clock.now(), chatID: live.machine.chatID, userID: live.machine.initiator, username: nil,
                                  command: "confirmation", arguments: live.command, outcome: "expired", durationMS: 0))
        }
    }

    private func scheduleExpiry(after seconds: Double) {
        Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64((seconds + 0.05) * 1_000_000_000))
            await self?.sweepExpired()
        }
    }

    // MARK: helpers

    /// ACL for messages: refused ones are audited and logged (with ids, so an operator can
    /// set up), and get at most one rate-limited reply per chat.
    private func authorize(chatID: Int64, userID: Int64, username: String?, what: String) async -> Bool {
        let decision = acl.check(chatID: chatID, userID: userID)
        if decision == .allowed { return true }
        let why = decision == .foreignChat ? "chat is not an admin chat" : "user is not an admin"
        // Redact before clipping: a token cut in half no longer has a token's shape.
        let shown = ArgumentValidator.clip(Redactor.shared.redact(what))
        Log.warning("refused \(shown) from user \(userID)\(username.map { " (@\($0))" } ?? "") in chat \(chatID): \(why)")
        app.store.audit(.init(at: app.clock.now(), chatID: chatID, userID: userID, username: username, command: shown,
                              arguments: "", outcome: "refused: \(why)", durationMS: 0))
        if refusals.shouldReply(chatID: chatID, now: app.clock.now()) {
            await reply(chatID, .text("⛔ Not authorized. This bot answers its admins only."))
        }
        return false
    }

    private func reply(_ chatID: Int64, _ r: Reply) async {
        do { try await app.transport.send(r, to: chatID) } catch { Log.error("cannot reply in chat \(chatID): \(error)") }
    }

    private func audit(_ c: IncomingCallback, action: String, outcome: String, started: Date? = nil) {
        OpsMetrics.current.confirmation(outcome: Router.outcomeClass(outcome))
        app.store.audit(.init(at: app.clock.now(), chatID: c.chatID, userID: c.userID, username: c.username, command: "button",
                              arguments: action, outcome: outcome,
                              durationMS: started.map { Int(Date().timeIntervalSince($0) * 1000) } ?? 0))
    }

    private func suggestion(for name: String) -> String {
        let names = app.catalog.visible.map(\.name)
        if let close = names.first(where: { $0.hasPrefix(name) || name.hasPrefix($0) }) { return " (did you mean /\(close)?)" }
        return ""
    }

    static func invocation(_ r: CommandRequest) -> String {
        var parts = ["/" + r.command.name]
        for a in r.command.arguments { if let v = r.arguments[a.name]?.string { parts.append(v) } }
        return parts.joined(separator: " ")
    }

    /// The audit outcome reduced to a metric label (no free text).
    static func outcomeClass(_ outcome: String) -> String {
        for (prefix, label) in [("awaiting confirmation", "awaiting_confirmation"), ("confirmed", "confirmed"), ("cancelled", "cancelled"),
                                ("rejected: expired", "expired"), ("rejected", "rejected"), ("refused", "refused"), ("invalid", "invalid"),
                                ("unknown", "unknown"), ("chose", "chose")] where outcome.hasPrefix(prefix) { return label }
        return "replied"
    }

    static func firstLine(_ html: String) -> String {
        let plain = HTML.toPlainText(html)
        let line = plain.split(separator: "\n").first.map(String.init) ?? ""
        return ArgumentValidator.clip(line.count > 120 ? String(line.prefix(120)) : line)
    }
}
