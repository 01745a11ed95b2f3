import Foundation

/// Confirmations and multi-step choices: the decisions are `ConfirmationCore`'s (through the
/// book, under its lock); this performs their effects — messages, the run, audit, the timer.
extension Router {
    /// Shows a module's outcome in the command's message and returns an audit summary.
    func present(_ outcome: CommandOutcome, request: CommandRequest, progress: MessageProgress) async -> String {
        let action: PendingAction
        switch outcome {
        case .reply(let r):
            await progress.finish(r)
            return "ok: " + Router.firstLine(r.html)
        case .confirm(let plan): action = .plan(plan)
        case .choose(let prompt, let choices): action = .choices(prompt: prompt, choices)
        }
        let nonce = ConfirmationBook.makeNonce()
        var ref: MessageRef?
        for case .sendPreview(let reply) in book.propose(action, invocation: Router.invocation(request), initiator: request.userID,
                                                         nonce: nonce, expiry: app.config.confirmations.expiry,
                                                         approver: app.config.confirmations.approver) {
            ref = await progress.finish(reply)
        }
        let (summary, effects) = book.delivered(nonce, as: ref, at: app.clock.now())
        await perform(effects, pressed: nil)
        return summary
    }

    func handleConfirmationPress(_ c: IncomingCallback) async {
        let press = ConfirmationCore.Press(data: c.data, userID: c.userID, username: c.username, chatID: c.chatID, messageID: c.messageID)
        var effects = book.press(press, at: app.clock.now())
        // Updates are handled concurrently: on a busy machine the press can come back before
        // `present` has recorded the preview's message id. Wait for that (5 s), not refuse.
        let waitUntil = ContinuousClock.now + .seconds(previewWait)
        while effects.isPreviewInFlight && ContinuousClock.now < waitUntil {
            try? await Task.sleep(for: .milliseconds(50))
            effects = book.press(press, at: app.clock.now())
        }
        await perform(effects, pressed: c)
    }

    /// Expires due confirmations and edits their messages. Runs after each expiry delay;
    /// tests with a manual clock call it directly.
    public func sweepExpired() async {
        await perform(book.expire(at: app.clock.now()), pressed: nil)
    }

    /// Does what the core decided, in order. `c` is the press being handled, if any.
    private func perform(_ effects: [ConfirmationBook.Effect], pressed c: IncomingCallback?) async {
        for effect in effects {
            switch effect {
            case .answer(let text):
                if let c { await app.transport.answerCallback(c.id, text: text) }
            case .edit(let ref, let html):
                try? await app.transport.edit(ref, Reply(html: html))
            case .audit(let action, let outcome):
                if let c { audit(c, action: action, outcome: outcome) }
            case .auditExpiry(let m, let command):
                app.store.audit(.init(at: app.clock.now(), chatID: m.chatID, userID: m.initiator, username: nil,
                                      command: "confirmation", arguments: command, outcome: "expired", durationMS: 0))
            case .scheduleExpiry(let seconds):
                scheduleExpiry(after: seconds)
            case .run(let plan, let nonce, let preview, let ref, let who):
                if let c { await run(plan, nonce: nonce, preview: preview, in: ref, confirmedBy: who, pressed: c) }
            case .choose(let choice, let command, let ref):
                if let c { await follow(choice, command: command, in: ref, pressed: c) }
            case .previewInFlight(let command):
                guard let c else { break }
                await app.transport.answerCallback(c.id, text: CoreText.previewStillSending.text())
                audit(c, action: command, outcome: "rejected: preview still being sent")
            case .sendPreview, .record, .persist, .showResult:
                break   // handled where they arise: present, the book, run
            }
        }
    }

    /// Runs a confirmed plan in its message, under its preview, and reports the result.
    private func run(_ plan: ConfirmationPlan, nonce: String, preview: String, in ref: MessageRef, confirmedBy who: String,
                     pressed c: IncomingCallback) async {
        let elapsed = app.clock.stopwatch()
        let progress = MessageProgress(transport: app.transport, chatID: c.chatID, existing: ref, prefix: "\(preview)\n\n")
        await progress.update(CoreText.runningConfirmed(who: who).text())
        let result = await plan.run(progress)
        for effect in book.finished(nonce, result: result, who: who, seconds: elapsed()) {
            switch effect {
            case .showResult(let final, let note): await progress.finish(final, note: note)
            case .audit(let action, let outcome): audit(c, action: action, outcome: outcome, seconds: elapsed())
            default: await perform([effect], pressed: c)
            }
        }
    }

    /// A multi-step flow's option: its outcome (a reply, a confirmation, more choices) replaces the prompt.
    private func follow(_ choice: Choice, command: String, in ref: MessageRef, pressed c: IncomingCallback) async {
        let next = await choice.next()
        let progress = MessageProgress(transport: app.transport, chatID: c.chatID, existing: ref)
        let request = CommandRequest(command: CatalogCommand(name: command, description: "", module: ""), arguments: [:],
                                     chatID: c.chatID, userID: c.userID, username: c.username)
        let summary = await present(next, request: request, progress: progress)
        audit(c, action: command, outcome: "chose \(choice.label): \(summary)")
    }

    private func scheduleExpiry(after seconds: Double) {
        let clock = app.clock
        Task { [weak self] in
            try? await clock.sleep(seconds: seconds + 0.05)
            await self?.sweepExpired()
        }
    }
}

private extension [ConfirmationBook.Effect] {
    var isPreviewInFlight: Bool {
        if count == 1, case .previewInFlight = self[0] { return true }
        return false
    }
}
