import Foundation

/// The local terminal as a chat (like Hubot's shell adapter): lines typed are messages from
/// the first admin in the first admin chat; replies print as readable text; inline buttons
/// show numbered and typing the number presses a button of the latest message that has them.
public final class ConsoleTransport: ChatTransport, @unchecked Sendable {
    struct State {
        var nextID: Int64 = 100
        var latest: (ref: MessageRef, buttons: [Button])? = nil
        var callbackCount = 0
    }

    private let state = Locked(State())
    private let write: @Sendable (String) -> Void
    /// Where attachments are saved (the state directory).
    private let fileDirectory: String

    public init(fileDirectory: String, write: @escaping @Sendable (String) -> Void = ConsoleTransport.stdout) {
        self.fileDirectory = fileDirectory
        self.write = write
    }

    public static let stdout: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        let ref = state.withLock { s -> MessageRef in
            s.nextID += 1
            let ref = MessageRef(chatID: chatID, messageID: s.nextID)
            if !reply.buttons.isEmpty { s.latest = (ref, reply.buttons.flatMap { $0 }) }
            return ref
        }
        write(render(reply, header: "opsbot #\(ref.messageID)"))
        return ref
    }

    public func edit(_ ref: MessageRef, _ reply: Reply) async throws {
        state.withLock { s in
            if !reply.buttons.isEmpty {
                s.latest = (ref, reply.buttons.flatMap { $0 })
            } else if s.latest?.ref == ref {
                s.latest = nil
            }
        }
        write(render(reply, header: "opsbot #\(ref.messageID) (edited)"))
    }

    public func answerCallback(_ id: String, text: String?) async {
        if let text, !text.isEmpty { write("  · \(text)\n") }
    }

    /// Turns a typed number into a button press on the latest message with buttons.
    public func press(_ number: Int, userID: Int64, username: String?) -> IncomingCallback? {
        state.withLock { s -> IncomingCallback? in
            guard let latest = s.latest, number >= 1, number <= latest.buttons.count else { return nil }
            s.callbackCount += 1
            return IncomingCallback(id: "console-\(s.callbackCount)", chatID: latest.ref.chatID, userID: userID, username: username,
                                    messageID: latest.ref.messageID, data: latest.buttons[number - 1].data)
        }
    }

    public var hasButtons: Bool { state.withLock { $0.latest != nil } }

    func render(_ reply: Reply, header: String) -> String {
        var out = "── \(header) " + String(repeating: "─", count: max(0, 40 - header.count)) + "\n"
        out += HTML.toPlainText(reply.html)
        if !out.hasSuffix("\n") { out += "\n" }
        if let a = reply.attachment {
            let path = (fileDirectory as NSString).appendingPathComponent(a.filename)
            let saved = (try? a.data.write(to: URL(fileURLWithPath: path))) != nil
            let text = String(decoding: a.data.prefix(4000), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(30)
            out += saved ? "📎 \(a.filename) (\(a.data.count) bytes) saved to \(path); first lines:\n" : "📎 \(a.filename) (\(a.data.count) bytes):\n"
            out += lines.joined(separator: "\n") + "\n"
        }
        let buttons = reply.buttons.flatMap { $0 }
        if !buttons.isEmpty {
            out += "  " + buttons.enumerated().map { "[\($0.offset + 1)] \($0.element.text)" }.joined(separator: "  ") + "\n"
            out += "  (type a number to press a button)\n"
        }
        return out
    }
}
