import Foundation

/// The local terminal as a chat (like Hubot's shell adapter): lines typed are messages from
/// the first admin in the first admin chat; replies print as readable text; every inline
/// button shown gets a number unique in the session (`[12] ✅ Ack`), so a typed number always
/// means one button — and a number whose message has since changed presses nothing.
public final class ConsoleTransport: ChatTransport, Sendable {
    struct Shown { var ref: MessageRef; var button: Button }
    struct State {
        var nextID: Int64 = 100
        var nextNumber = 1
        /// Every number handed out, and the ones still on screen (their message unchanged).
        var shown: [Int: Shown] = [:]
        var live: [MessageRef: [Int]] = [:]
        var callbackCount = 0
    }

    /// What typing a number comes to.
    public enum Press: Sendable {
        case press(IncomingCallback)
        /// Never shown in this session.
        case noSuchButton
        /// Shown once, but its message was edited or answered since: nothing is pressed.
        case gone(String)
    }

    private let state = Locked(State())
    private let write: @Sendable (String) -> Void
    /// Where attachments are saved (the state directory).
    private let fileDirectory: String

    /// The terminal's language: its own lines (headers, hints, files) are in it whichever task
    /// writes — an alert pushed by the scheduler runs in no one's language.
    public let language: Language

    public init(fileDirectory: String, language: Language = .en, write: @escaping @Sendable (String) -> Void = ConsoleTransport.stdout) {
        self.fileDirectory = fileDirectory
        self.language = language
        self.write = write
    }

    public static let stdout: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        let (ref, numbers) = state.withLock { s -> (MessageRef, [Int]) in
            s.nextID += 1
            let ref = MessageRef(chatID: chatID, messageID: s.nextID)
            return (ref, Self.number(&s, ref, reply.buttons))
        }
        write(render(reply, header: "opsbot #\(ref.messageID)", numbers: numbers))
        return ref
    }

    public func edit(_ ref: MessageRef, _ reply: Reply) async throws {
        let numbers = state.withLock { s in Self.number(&s, ref, reply.buttons) }
        write(render(reply, header: "opsbot #\(ref.messageID) " + CoreText.consoleEdited.text(language), numbers: numbers))
    }

    /// Fresh numbers for a message's buttons; its earlier numbers stop working.
    static func number(_ s: inout State, _ ref: MessageRef, _ buttons: [[Button]]) -> [Int] {
        let flat = buttons.flatMap { $0 }
        let numbers = flat.map { b -> Int in
            defer { s.nextNumber += 1 }
            s.shown[s.nextNumber] = Shown(ref: ref, button: b)
            return s.nextNumber
        }
        s.live[ref] = numbers.isEmpty ? nil : numbers
        return numbers
    }

    public func answerCallback(_ id: String, text: String?) async {
        if let text, !text.isEmpty { write("  · \(text)\n") }
    }

    /// Turns a typed number into the press of the one button it was shown on.
    public func press(_ number: Int, userID: Int64, username: String?) -> Press {
        state.withLock { s -> Press in
            guard let shown = s.shown[number] else { return .noSuchButton }
            guard s.live[shown.ref]?.contains(number) == true else {
                return .gone(CoreText.consoleButtonGone(number: number, label: shown.button.text, messageID: shown.ref.messageID).text(language))
            }
            s.callbackCount += 1
            return .press(IncomingCallback(id: "console-\(s.callbackCount)", chatID: shown.ref.chatID, userID: userID, username: username,
                                           messageID: shown.ref.messageID, data: shown.button.data))
        }
    }

    public var hasButtons: Bool { state.withLock { !$0.live.isEmpty } }

    func render(_ reply: Reply, header: String, numbers: [Int] = []) -> String {
        var out = "── \(header) " + String(repeating: "─", count: max(0, 40 - header.count)) + "\n"
        out += HTML.toPlainText(reply.html)
        if !out.hasSuffix("\n") { out += "\n" }
        if let a = reply.attachment {
            let path = (fileDirectory as NSString).appendingPathComponent(a.filename)
            let saved = (try? a.data.write(to: URL(fileURLWithPath: path))) != nil
            if a.kind == .photo {
                out += CoreText.consolePhoto(filename: a.filename, bytes: a.data.count, path: path, saved: saved).text(language) + "\n"
                return out + buttonLines(reply, numbers)
            }
            let text = String(decoding: a.data.prefix(4000), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(30)
            out += CoreText.consoleFile(filename: a.filename, bytes: a.data.count, path: path, saved: saved).text(language) + "\n"
            out += lines.joined(separator: "\n") + "\n"
        }
        return out + buttonLines(reply, numbers)
    }

    func buttonLines(_ reply: Reply, _ numbers: [Int]) -> String {
        let buttons = reply.buttons.flatMap { $0 }
        guard !buttons.isEmpty else { return "" }
        return "  " + buttons.enumerated().map { "[\(numbers.count > $0.offset ? numbers[$0.offset] : $0.offset + 1)] \($0.element.text)" }.joined(separator: "  ") + "\n"
            + "  " + CoreText.consolePressHint.text(language) + "\n"
    }
}
