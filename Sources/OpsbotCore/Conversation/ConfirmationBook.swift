import Foundation
import LocalStore

/// What a live confirmation will do when pressed.
enum PendingAction: Sendable {
    case plan(ConfirmationPlan)
    case choices(prompt: String, [Choice])
}

/// The live confirmations of this process: `ConfirmationCore` behind one lock, plus their rows
/// in the local store. Every input is applied under the lock, so two presses racing on the same
/// button cannot both see `pending`: the action runs at most once. The book writes the rows
/// (`record`, `persist` effects) and returns the other effects for the router.
final class ConfirmationBook: Sendable {
    typealias Effect = ConfirmationCore.Effect

    private let core = Locked(ConfirmationCore())
    private let store: Store

    init(store: Store) { self.store = store }

    /// A fresh nonce: 12 random bytes, base64url (16 characters), so `c:<nonce>:y` stays far
    /// below Telegram's 64-byte callback_data limit and cannot be guessed.
    static func makeNonce() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<12).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    func propose(_ action: PendingAction, invocation: String, initiator: Int64, nonce: String,
                 expiry: TimeInterval, approver: Config.Approver) -> [Effect] {
        apply { $0.propose(action, invocation: invocation, initiator: initiator, nonce: nonce, expiry: expiry, approver: approver) }
    }

    func delivered(_ nonce: String, as ref: MessageRef?, at now: Date) -> (String, [Effect]) {
        var summary = ""
        let effects = apply { core -> [Effect] in
            let (s, e) = core.delivered(nonce, as: ref, at: now)
            summary = s
            return e
        }
        return (summary, effects)
    }

    func press(_ p: ConfirmationCore.Press, at now: Date) -> [Effect] { apply { $0.press(p, at: now) } }

    func finished(_ nonce: String, result: Reply, who: String, seconds: Double) -> [Effect] {
        apply { $0.finished(nonce, result: result, who: who, seconds: seconds) }
    }

    /// Expires everything that is due; the effects edit their messages and audit them.
    func expire(at now: Date) -> [Effect] { apply { $0.expire(at: now) } }

    /// One input under the lock; its row writes after it (outside the lock), the rest returned.
    private func apply(_ input: (inout ConfirmationCore) -> [Effect]) -> [Effect] {
        let effects = core.withLock { input(&$0) }
        var rest: [Effect] = []
        for e in effects {
            switch e {
            case .record(let m, let command): record(m, command: command)
            case .persist(let m): persist(m)
            default: rest.append(e)
            }
        }
        return rest
    }

    private func record(_ machine: Confirmation, command: String) {
        do {
            try store.db.execute("""
                INSERT OR REPLACE INTO confirmations(nonce, chat_id, message_id, initiator, action, state, created_at, expires_at)
                VALUES(?,?,?,?,?,?,?,?)
                """, [.text(machine.nonce), .int(machine.chatID), .int(machine.messageID), .int(machine.initiator), .text(command),
                      .text(machine.state.rawValue), .real(machine.createdAt.timeIntervalSince1970), .real(machine.expiresAt.timeIntervalSince1970)])
        } catch {
            Log.error("cannot record confirmation: \(error)")
        }
    }

    private func persist(_ m: Confirmation) {
        do {
            try store.db.execute("UPDATE confirmations SET state = ?, decided_by = ? WHERE nonce = ?",
                                 [.text(m.state.rawValue), m.decidedBy.map { .int($0) } ?? .null, .text(m.nonce)])
        } catch {
            Log.error("cannot update confirmation: \(error)")
        }
    }

    /// Confirmations left pending by a previous process: their actions died with it, so they
    /// are marked expired and returned, so that their buttons can be removed.
    func abandonPrevious() -> [(chatID: Int64, messageID: Int64, action: String, wasRunning: Bool)] {
        do {
            let rows = try store.db.query("SELECT chat_id, message_id, action, state FROM confirmations WHERE state IN ('pending', 'running')")
            try store.db.execute("UPDATE confirmations SET state = 'expired' WHERE state = 'pending'")
            try store.db.execute("UPDATE confirmations SET state = 'interrupted' WHERE state = 'running'")
            return rows.map { ($0[0].int ?? 0, $0[1].int ?? 0, $0[2].text ?? "", $0[3].text == "running") }
        } catch {
            Log.error("cannot read old confirmations: \(error)")
            return []
        }
    }
}
