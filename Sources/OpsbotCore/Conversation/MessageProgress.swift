import Foundation

/// The one message a command's answer lives in: created by the first progress update (or
/// the "working…" notice after a second), edited by later ones, and finally replaced by the
/// result.
///
/// An actor alone is not enough: it is reentrant, so while the "working…" send is on its way
/// the result could find no message yet and send a second one. The explicit `State` says that
/// the first message is being created, and everyone else waits for it and then edits it.
actor MessageProgress: ProgressReporter {
    enum State {
        /// Nothing shown yet.
        case empty
        /// The first message is on its way; its ref (nil if the send failed) comes from the task.
        case creating(Task<MessageRef?, Never>)
        /// The message to edit.
        case shown(MessageRef)
        /// The result went out: later updates and the working notice do nothing.
        case finished(MessageRef?)
    }

    private let transport: ChatTransport
    private let chatID: Int64
    /// Prepended to progress updates (e.g. the confirmation preview being run).
    private let prefix: String
    private(set) var state: State

    /// Longest HTML that is safely edited in place; longer results go out as new messages.
    static let editLimit = 3800

    init(transport: ChatTransport, chatID: Int64, existing: MessageRef? = nil, prefix: String = "") {
        self.transport = transport
        self.chatID = chatID
        self.state = existing.map(State.shown) ?? .empty
        self.prefix = prefix
    }

    /// The message shown so far (waits for one being created).
    var ref: MessageRef? {
        get async {
            switch state {
            case .empty: nil
            case .creating(let t): await t.value
            case .shown(let r): r
            case .finished(let r): r
            }
        }
    }

    func update(_ html: String) async {
        await show(prefix + html, onlyFirst: false)
    }

    /// Shows `html` only when nothing has been shown yet (the one-second "working…" notice).
    func showWorking(_ html: String) async {
        await show(prefix + html, onlyFirst: true)
    }

    /// Starts the "working…" timer: after `delay` on `clock`, `showWorking(html)`. Cancel it
    /// when the result is in; a timer that fires anyway (the result just arrived) shows nothing.
    nonisolated func showWorking(_ html: String, after delay: Double, on clock: any OpsClock) -> Task<Void, Never> {
        Task {
            do { try await clock.sleep(seconds: delay) } catch { return }
            await self.showWorking(html)
        }
    }

    private func show(_ text: String, onlyFirst: Bool) async {
        switch state {
        case .finished:
            return
        case .empty:
            let (transport, chatID) = (transport, chatID)
            let creating = Task<MessageRef?, Never> {
                do { return try await transport.send(Reply(html: text), to: chatID) } catch {
                    Log.warning("progress update failed: \(error)")
                    return nil
                }
            }
            state = .creating(creating)
            let ref = await creating.value
            // A finish that came meanwhile has moved the state on; it owns the message now.
            if case .creating = state { state = ref.map(State.shown) ?? .empty }
        case .creating(let t):
            if onlyFirst { return }
            // After the first message: edit it, unless the result has gone out meanwhile.
            guard let ref = await t.value, case .shown = state else { return }
            await edit(ref, text)
        case .shown(let ref):
            if onlyFirst { return }
            await edit(ref, text)
        }
    }

    private func edit(_ ref: MessageRef, _ text: String) async {
        do { try await transport.edit(ref, Reply(html: text)) } catch {
            Log.warning("progress update failed: \(error)")
        }
    }

    /// Delivers the result: in place when it fits, otherwise as new message(s) and the
    /// progress message says where the output went. Only the first call delivers.
    @discardableResult
    func finish(_ reply: Reply, note: String? = nil) async -> MessageRef? {
        var existing: MessageRef?
        switch state {
        case .finished(let r): return r
        case .empty: existing = nil
        case .shown(let r): existing = r
        case .creating(let t):
            state = .finished(nil)   // nothing else may start meanwhile
            existing = await t.value
        }
        state = .finished(existing)
        do {
            if let existing {
                if reply.attachment == nil && reply.html.count <= MessageProgress.editLimit {
                    try await transport.edit(existing, reply)
                    return existing
                }
                try await transport.edit(existing, Reply(html: prefix + (note ?? CoreText.doneOutputBelowPlain.text())))
            }
            let sent = try await transport.send(reply, to: chatID)
            if existing == nil { state = .finished(sent) }
            return sent
        } catch {
            Log.error("cannot deliver a reply to chat \(chatID): \(error)")
            return nil
        }
    }
}
