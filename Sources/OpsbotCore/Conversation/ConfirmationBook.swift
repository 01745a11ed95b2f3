import Foundation
import LocalStore

/// What a live confirmation will do when pressed.
enum PendingAction: Sendable {
    case plan(ConfirmationPlan)
    case choices(prompt: String, [Choice])
}

/// The live confirmations: the state machine for each nonce, its action, and its row in the
/// local store. All transitions happen under one lock, so two presses racing on the same
/// button cannot both see `pending`: the action runs at most once.
final class ConfirmationBook: Sendable {
    struct Live {
        var machine: Confirmation
        var action: PendingAction
        var command: String
    }

    private let live = Locked<[String: Live]>([:])
    private let store: Store

    init(store: Store) { self.store = store }

    /// A fresh nonce: 12 random bytes, base64url (16 characters), so `c:<nonce>:y` stays far
    /// below Telegram's 64-byte callback_data limit and cannot be guessed.
    static func makeNonce() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<12).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    func add(_ machine: Confirmation, action: PendingAction, command: String) {
        live.withLock { $0[machine.nonce] = Live(machine: machine, action: action, command: command) }
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

    /// Applies a press atomically. Unknown nonces (forged, or from before a restart) yield nil.
    func press(nonce: String, _ press: Confirmation.Press, by userID: Int64, chatID: Int64, messageID: Int64, at now: Date)
        -> (Confirmation.Verdict, Live)? {
        let result: (Confirmation.Verdict, Live)? = live.withLock { map in
            guard var entry = map[nonce] else { return nil }
            let verdict = entry.machine.press(press, by: userID, chatID: chatID, messageID: messageID, at: now)
            map[nonce] = entry
            return (verdict, entry)
        }
        if let (_, entry) = result { persist(entry.machine) }
        return result
    }

    func finish(_ nonce: String) {
        let m: Confirmation? = live.withLock { map in
            map[nonce]?.machine.finish()
            return map[nonce]?.machine
        }
        if let m { persist(m) }
    }

    /// Expires everything that is due; returns the expired ones (so their messages can be edited).
    func sweep(now: Date) -> [Live] {
        let expired: [Live] = live.withLock { map in
            var out: [Live] = []
            for (k, var v) in map where v.machine.expireIfDue(at: now) {
                map[k] = v
                out.append(v)
            }
            // Forget finished ones after a while; their rows stay in the store.
            for (k, v) in map where v.machine.state.isFinal && now.timeIntervalSince(v.machine.expiresAt) > 3600 {
                map.removeValue(forKey: k)
            }
            return out
        }
        expired.forEach { persist($0.machine) }
        return expired
    }

    func get(_ nonce: String) -> Live? { live.withLock { $0[nonce] } }

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
