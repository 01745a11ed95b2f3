import Foundation

/// The confirmation state machine, with no I/O: preview → Confirm/Cancel → run once → result.
///
/// Kept pure so every transition is unit-tested on its own; `ConfirmationBook` adds the
/// messages, the persistence and the expiry timer around it.
public struct Confirmation: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Waiting for a press (buttons shown).
        case pending
        /// Confirmed; the action is running. Nothing else may start it.
        case running
        case done, cancelled, expired
        public var isFinal: Bool { self != .pending }
    }

    public enum Press: Sendable, Hashable {
        case confirm
        case cancel
        /// A multi-step flow's option (0-based).
        case choose(Int)
    }

    /// What the press leads to. Only `.run` and `.choose` start anything.
    public enum Verdict: Sendable, Hashable {
        case run
        case choose(Int)
        case cancel
        case expired
        case alreadyHandled(State)
        case notYours(CoreText)
        case wrongMessage
    }

    public var nonce: String
    public var chatID: Int64
    public var messageID: Int64
    public var initiator: Int64
    public var createdAt: Date
    public var expiresAt: Date
    public var approver: Config.Approver
    public var state: State = .pending
    public var decidedBy: Int64? = nil
    /// How many options a multi-step prompt has (0 for a plain confirmation).
    public var choices: Int = 0

    public init(nonce: String, chatID: Int64, messageID: Int64, initiator: Int64, createdAt: Date, expiry: TimeInterval,
                approver: Config.Approver, choices: Int = 0) {
        self.nonce = nonce
        self.chatID = chatID
        self.messageID = messageID
        self.initiator = initiator
        self.createdAt = createdAt
        self.expiresAt = createdAt.addingTimeInterval(expiry)
        self.approver = approver
        self.choices = choices
    }

    /// Applies a press by `userID` (already known to be an admin) on message `messageID` in
    /// `chatID` at `now`. Mutates the state only when the press is accepted.
    public mutating func press(_ press: Press, by userID: Int64, chatID: Int64, messageID: Int64, at now: Date) -> Verdict {
        guard chatID == self.chatID, messageID == self.messageID else { return .wrongMessage }
        if state == .pending && now >= expiresAt {
            state = .expired
            return .expired
        }
        guard state == .pending else { return .alreadyHandled(state) }
        switch press {
        case .cancel:
            // The initiator may always withdraw; with a shared approval any admin may stop it.
            if userID != initiator && approver == .initiator {
                return .notYours(.onlyAskerCancels)
            }
            state = .cancelled
            decidedBy = userID
            return .cancel
        case .confirm:
            guard choices == 0 else { return .wrongMessage }
            switch approver {
            case .initiator where userID != initiator:
                return .notYours(.onlyAskerConfirms)
            case .secondAdmin where userID == initiator:
                return .notYours(.twoPersonRule)
            default: break
            }
            state = .running
            decidedBy = userID
            return .run
        case .choose(let i):
            guard i >= 0, i < choices else { return .wrongMessage }
            if userID != initiator && approver == .initiator {
                return .notYours(.onlyAskerChooses)
            }
            state = .done
            decidedBy = userID
            return .choose(i)
        }
    }

    /// Expires a pending confirmation whose time is up. Returns true when it changed.
    public mutating func expireIfDue(at now: Date) -> Bool {
        guard state == .pending, now >= expiresAt else { return false }
        state = .expired
        return true
    }

    public mutating func finish() {
        if state == .running { state = .done }
    }
}
