import Foundation

/// Commands: parse, ACL, catalog lookup, argument validation, the module under its deadline
/// with a "working…" message when slow, and one audit line each.
extension Router {
    /// Everything said in answer is in the sender's language (`Language.current` while it runs).
    public func handleMessage(_ m: IncomingMessage) async {
        let language = app.language(chat: m.chatID, telegramCode: m.languageCode)
        await Language.$current.withValue(language) { await route(m) }
    }

    private func route(_ m: IncomingMessage) async {
        let elapsed = app.clock.stopwatch()
        let parsed = CommandParser.parse(m.text, botUsername: botUsername)
        StageTrace.mark("parsed")
        var name: String
        let words: [String]
        switch parsed {
        case .notACommand, .otherBot:
            return
        case .malformed(let why):
            guard await authorize(chatID: m.chatID, userID: m.userID, username: m.username, what: m.text) else { return }
            await reply(m.chatID, Reply(html: CoreText.malformedCommand(why: why).text()))
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
            OpsMetrics.current.command(known ? name : "unknown", outcome: Router.outcomeClass(outcome), seconds: elapsed())
            app.store.audit(.init(at: app.clock.now(), chatID: m.chatID, userID: m.userID, username: m.username, command: "/" + name,
                                  arguments: words.joined(separator: " "), outcome: outcome,
                                  durationMS: Int(elapsed() * 1000)))
            StageTrace.mark("audited")
        }

        guard let entry = app.catalog.entry(name) else {
            await reply(m.chatID, Reply(html: CoreText.unknownCommand(name: name, suggestion: suggestion(for: name)).text()))
            audit("unknown command")
            return
        }
        guard acl.may(userID: m.userID, roles: entry.command.roles) else {
            await reply(m.chatID, Reply(html: CoreText.needsRole(name: name, roles: entry.command.roles).text()))
            audit("refused: role")
            return
        }
        if let why = entry.notConfigured {
            await reply(m.chatID, Reply(html: CoreText.commandNotConfigured(name: name, why: entry.notConfiguredText?.text() ?? why).text()))
            audit("not configured: \(why)")
            return
        }
        let arguments: [String: ArgumentValue]
        do {
            arguments = try ArgumentValidator.bind(words, to: entry.command, services: app.config.serviceNames)
        } catch let e as ArgumentError {
            await reply(m.chatID, Reply(html: "⚠️ " + e.html))
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
        let timer = progress.showWorking(CoreText.working(name: shownName).text(), after: delay, on: app.clock)
        // Every command has a deadline: at it the reply says so and the work is cancelled
        // (scans check `ctx.deadline` themselves; a child process is stopped with its group).
        let module = entry.module
        let limit = entry.command.timeout
        let outcome = await withDeadline(.seconds(limit), fallback: CommandOutcome.reply(Reply(html: CoreText.timedOut(name: shownName, seconds: limit).text()))) {
            StageTrace.mark("module started")
            return await module.handle(ctx)
        }
        timer.cancel()
        let summary = await present(outcome, request: request, progress: progress)
        audit(summary)
    }

    /// ACL for messages: refused ones are audited and logged (with ids, so an operator can
    /// set up), and get at most one rate-limited reply per chat.
    func authorize(chatID: Int64, userID: Int64, username: String?, what: String) async -> Bool {
        let decision = acl.check(chatID: chatID, userID: userID)
        if decision == .allowed { return true }
        let why = decision == .foreignChat ? "chat is not an admin chat" : "user is not an admin"
        // Redact before clipping: a token cut in half no longer has a token's shape.
        let shown = ArgumentValidator.clip(Redactor.shared.redact(what))
        Log.warning("refused \(shown) from user \(userID)\(username.map { " (@\($0))" } ?? "") in chat \(chatID): \(why)")
        app.store.audit(.init(at: app.clock.now(), chatID: chatID, userID: userID, username: username, command: shown,
                              arguments: "", outcome: "refused: \(why)", durationMS: 0))
        if refusals.shouldReply(chatID: chatID, now: app.clock.now()) {
            await reply(chatID, Reply(html: CoreText.notAuthorized.text()))
        }
        return false
    }

    func reply(_ chatID: Int64, _ r: Reply) async {
        do { try await app.transport.send(r, to: chatID) } catch { Log.error("cannot reply in chat \(chatID): \(error)") }
    }

    func suggestion(for name: String) -> String? {
        let names = app.catalog.visible.map(\.name)
        return names.first(where: { $0.hasPrefix(name) || name.hasPrefix($0) })
    }
}
