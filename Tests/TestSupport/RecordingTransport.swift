import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// A ChatTransport that records everything said, for tests of modules and the router.
public final class RecordingTransport: ChatTransport, @unchecked Sendable {
    public enum Event: Sendable, Hashable {
        case sent(chatID: Int64, messageID: Int64, reply: Reply)
        case edited(MessageRef, Reply)
        case answered(callbackID: String, text: String?)
    }

    private let state = Locked<(events: [Event], nextID: Int64)>(([], 100))

    public init() {}

    public var events: [Event] { state.current.events }

    /// The text of every message sent or edited, in order, as plain text.
    public var texts: [String] {
        events.compactMap {
            switch $0 {
            case .sent(_, _, let r), .edited(_, let r): HTML.toPlainText(r.html)
            case .answered: nil
            }
        }
    }

    public var callbackAnswers: [String?] {
        events.compactMap { if case .answered(_, let t) = $0 { t } else { nil } }
    }

    /// The most recent reply that carried buttons.
    public var lastButtons: [Button] {
        for e in events.reversed() {
            switch e {
            case .sent(_, _, let r), .edited(_, let r): if !r.buttons.isEmpty { return r.buttons.flatMap { $0 } }
            case .answered: continue
            }
        }
        return []
    }

    public func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        let id = state.withLock { s -> Int64 in
            s.nextID += 1
            s.events.append(.sent(chatID: chatID, messageID: s.nextID, reply: reply))
            return s.nextID
        }
        return MessageRef(chatID: chatID, messageID: id)
    }

    public func edit(_ ref: MessageRef, _ reply: Reply) async throws {
        state.withLock { $0.events.append(.edited(ref, reply)) }
    }

    public func answerCallback(_ id: String, text: String?) async {
        state.withLock { $0.events.append(.answered(callbackID: id, text: text)) }
    }

    public func reset() { state.withLock { $0.events = [] } }
}
