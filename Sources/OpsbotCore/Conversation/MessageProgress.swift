import Foundation

/// The one message a command's answer lives in: created by the first progress update (or
/// the "working…" notice after a second), edited by later ones, and finally replaced by the
/// result. An actor, so a late timer and the result cannot both create a message.
actor MessageProgress: ProgressReporter {
    private let transport: ChatTransport
    private let chatID: Int64
    private(set) var ref: MessageRef?
    /// Prepended to progress updates (e.g. the confirmation preview being run).
    private let prefix: String
    private var finished = false

    /// Longest HTML that is safely edited in place; longer results go out as new messages.
    static let editLimit = 3800

    init(transport: ChatTransport, chatID: Int64, existing: MessageRef? = nil, prefix: String = "") {
        self.transport = transport
        self.chatID = chatID
        self.ref = existing
        self.prefix = prefix
    }

    func update(_ html: String) async {
        guard !finished else { return }
        let text = prefix + html
        do {
            if let ref { try await transport.edit(ref, Reply(html: text)) } else { ref = try await transport.send(Reply(html: text), to: chatID) }
        } catch {
            Log.warning("progress update failed: \(error)")
        }
    }

    /// Shows `html` only when nothing has been shown yet (the one-second "working…" notice).
    func showWorking(_ html: String) async {
        guard ref == nil, !finished else { return }
        await update(html)
    }

    /// Delivers the result: in place when it fits, otherwise as new message(s) and the
    /// progress message says where the output went.
    @discardableResult
    func finish(_ reply: Reply, note: String? = nil) async -> MessageRef? {
        finished = true
        do {
            if let ref {
                if reply.attachment == nil && reply.html.count <= MessageProgress.editLimit {
                    try await transport.edit(ref, reply)
                    return ref
                }
                try await transport.edit(ref, Reply(html: prefix + (note ?? "✅ done — output below")))
            }
            let sent = try await transport.send(reply, to: chatID)
            if ref == nil { ref = sent }
            return sent
        } catch {
            Log.error("cannot deliver a reply to chat \(chatID): \(error)")
            return nil
        }
    }
}
