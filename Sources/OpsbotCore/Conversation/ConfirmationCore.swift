import Foundation

/// Every confirmation of this process and what each input does to them, with no I/O: a command
/// needing confirmation, its preview delivered, a button press (also a replayed or simultaneous
/// one), the action finished, the expiry tick. Each input returns the effects to perform, in
/// order. `ConfirmationBook` runs it under one lock and writes the rows; the router does the rest.
///
/// Built on `Confirmation` (one nonce's transitions); this adds the messages, audit lines and
/// the "runs at most once" bookkeeping around it, so all of it is tested without a transport.
struct ConfirmationCore: Sendable {
    struct Live: Sendable {
        var machine: Confirmation
        var action: PendingAction
        /// What the audit log names it by: the plan's action, or the invocation for a choice.
        var command: String
        /// The asker's language: what the expiry tick writes in (it runs in no one's task).
        var language: Language = .en
        /// What stays on top of the message whatever happens (the plan's preview, the prompt).
        var preview: String {
            switch action {
            case .plan(let p): p.preview
            case .choices(let prompt, _): prompt
            }
        }
    }

    /// A preview being sent: its message id is not known yet; a press that reaches it is retried.
    struct Proposal: Sendable {
        var action: PendingAction
        var command: String
        var initiator: Int64
        var expiry: TimeInterval
        var approver: Config.Approver
        var language: Language = .en
    }

    enum Effect: Sendable {
        /// Show the preview with its buttons in the command's message.
        case sendPreview(Reply)
        /// Write a new confirmation's row.
        case record(Confirmation, command: String)
        /// Update a confirmation's row (state, who decided).
        case persist(Confirmation)
        /// Feed `expire(at:)` after this many seconds.
        case scheduleExpiry(after: TimeInterval)
        /// Answer the button press (a toast).
        case answer(String)
        /// Replace a confirmation message's text; its buttons go.
        case edit(MessageRef, html: String)
        /// Run the confirmed plan: the only place it starts, at most once per confirmation.
        case run(ConfirmationPlan, nonce: String, preview: String, ref: MessageRef, who: String)
        /// Follow a multi-step choice; its outcome is presented in the same message.
        case choose(Choice, command: String, ref: MessageRef)
        /// Show a finished run's result in its message (`note` when the result follows below).
        case showResult(Reply, note: String)
        /// Audit line (and metric) for the button press being handled.
        case audit(action: String, outcome: String)
        /// Audit line for a confirmation that expired unpressed.
        case auditExpiry(Confirmation, command: String)
        /// The press overtook its own preview: the message reached the chat but `delivered`
        /// has not recorded its id yet. The router presses again shortly instead of refusing.
        case previewInFlight(command: String)
    }

    var live: [String: Live] = [:]
    var proposed: [String: Proposal] = [:]

    // MARK: asking

    /// A command's outcome needs a decision: remember it and send its preview.
    mutating func propose(_ action: PendingAction, invocation: String, initiator: Int64, nonce: String,
                          expiry: TimeInterval, approver: Config.Approver) -> [Effect] {
        let command = switch action {
        case .plan(let p): p.auditAction
        case .choices: invocation
        }
        proposed[nonce] = Proposal(action: action, command: command, initiator: initiator, expiry: expiry, approver: approver,
                                   language: Language.current)
        return [.sendPreview(Self.preview(action, invocation: invocation, nonce: nonce, expiry: expiry, approver: approver))]
    }

    /// The preview was shown as `ref` (nil: it could not be delivered, so nothing is pending).
    /// Returns the command's audit outcome and the effects: the row and the expiry timer.
    mutating func delivered(_ nonce: String, as ref: MessageRef?, at now: Date) -> (String, [Effect]) {
        guard let p = proposed.removeValue(forKey: nonce) else { return ("error: unknown confirmation", []) }
        let isPlan = if case .plan = p.action { true } else { false }
        guard let ref else { return (isPlan ? "error: preview not delivered" : "error: prompt not delivered", []) }
        var choices = 0
        if case .choices(_, let list) = p.action { choices = list.count }
        let machine = Confirmation(nonce: nonce, chatID: ref.chatID, messageID: ref.messageID, initiator: p.initiator,
                                   createdAt: now, expiry: p.expiry, approver: p.approver, choices: choices)
        live[nonce] = Live(machine: machine, action: p.action, command: p.command, language: p.language)
        return (isPlan ? "awaiting confirmation: \(p.command)" : "awaiting a choice",
                [.record(machine, command: p.command), .scheduleExpiry(after: p.expiry)])
    }

    // MARK: after a run, expiry

    /// The confirmed action returned `result` after `seconds`: done, shown under what ran.
    mutating func finished(_ nonce: String, result: Reply, who: String, seconds: Double) -> [Effect] {
        guard var entry = live[nonce] else { return [] }
        entry.machine.finish()
        live[nonce] = entry
        let preview = entry.preview
        var final = result
        final.html += "\n\n" + CoreText.confirmedBy(who: who, seconds: seconds).text()
        // What ran (the SQL with its values, the services, the files) stays above the result;
        // when both do not fit one message, the preview stays and the result follows below.
        if final.attachment == nil && preview.count + final.html.count + 2 <= MessageProgress.editLimit {
            final.html = "\(preview)\n\n" + final.html
        }
        return [.persist(entry.machine), .showResult(final, note: CoreText.doneOutputBelow(who: who).text()),
                .audit(action: entry.command, outcome: "confirmed, ran: \(Router.firstLine(result.html))")]
    }

    /// The expiry tick: expires what is due (their messages say so) and forgets finished ones
    /// an hour past their expiry (their rows stay in the store).
    mutating func expire(at now: Date) -> [Effect] {
        var expired: [Live] = []
        for (k, var v) in live where v.machine.expireIfDue(at: now) {
            live[k] = v
            expired.append(v)
        }
        for (k, v) in live where v.machine.state.isFinal && now.timeIntervalSince(v.machine.expiresAt) > 3600 {
            live.removeValue(forKey: k)
        }
        expired.sort { $0.machine.createdAt < $1.machine.createdAt }
        return expired.map { .persist($0.machine) } + expired.flatMap { v -> [Effect] in
            let m = v.machine
            let after = CoreText.expiredAfter(seconds: m.expiresAt.timeIntervalSince(m.createdAt)).text(v.language)
            return [.edit(MessageRef(chatID: m.chatID, messageID: m.messageID), html: "\(v.preview)\n\n\(after)"),
                    .auditExpiry(m, command: v.command)]
        }
    }

    // MARK: texts

    /// The preview message: what will happen, the buttons, and who may decide until when.
    static func preview(_ action: PendingAction, invocation: String, nonce: String, expiry: TimeInterval,
                        approver: Config.Approver) -> Reply {
        switch action {
        case .plan(let plan):
            let html = "⚠️ <b>\(HTML.escape(invocation))</b>\n\(plan.preview)\n\n" + CoreText.expiresIn(seconds: expiry, approver: approver).text()
            return Reply(html: html, buttons: [[Button(CoreText.confirmButton(label: plan.confirmLabel).text(), data: "c:\(nonce):y"),
                                                Button(CoreText.cancelButton.text(), data: "c:\(nonce):n")]])
        case .choices(let prompt, let choices):
            var rows = choices.enumerated().map { [Button($0.element.label, data: "c:\(nonce):\($0.offset)")] }
            rows.append([Button(CoreText.cancelButton.text(), data: "c:\(nonce):n")])
            return Reply(html: prompt, buttons: rows)
        }
    }

    /// What replaces the buttons of a confirmation a previous process left open.
    static func restartNotice(action: String, wasRunning: Bool) -> CoreText {
        wasRunning ? .interruptedByRestart(action: action) : .expiredByRestart(action: action)
    }
}
