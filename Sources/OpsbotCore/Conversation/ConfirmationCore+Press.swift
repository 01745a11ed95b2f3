import Foundation

/// A button press on a confirmation (`c:<nonce>:y|n|<choice>`), from an admin already checked
/// by the router: the verdict of its `Confirmation` turned into answers, edits and at most one run.
extension ConfirmationCore {
    /// A press as it arrives, before anything is known about its nonce.
    struct Press: Sendable, Hashable {
        var data: String
        var userID: Int64
        var username: String?
        var chatID: Int64
        var messageID: Int64
    }

    static var invalidButton: String { CoreText.buttonNoLongerValid.text() }

    /// Splits `c:<nonce>:<y|n|index>`; nil for anything else.
    static func parse(_ data: String) -> (nonce: String, press: Confirmation.Press)? {
        let parts = data.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        switch parts[2] {
        case "y": return (String(parts[1]), .confirm)
        case "n": return (String(parts[1]), .cancel)
        default: return Int(parts[2]).map { (String(parts[1]), .choose($0)) }
        }
    }

    /// Applies a press at `now`. A duplicate (a replayed callback, a second admin pressing at
    /// the same moment) finds the confirmation no longer pending and runs nothing.
    mutating func press(_ p: Press, at now: Date) -> [Effect] {
        guard let (nonce, press) = Self.parse(p.data) else { return [.answer(Self.invalidButton)] }
        guard var entry = live[nonce] else {
            if let p = proposed[nonce] { return [.previewInFlight(command: p.command)] }
            return [.answer(CoreText.buttonUnknownConfirmation.text()),
                    .audit(action: "unknown confirmation", outcome: "rejected: unknown or forged nonce")]
        }
        let verdict = entry.machine.press(press, by: p.userID, chatID: p.chatID, messageID: p.messageID, at: now)
        live[nonce] = entry
        let who = p.username.map { "@\($0)" } ?? CoreText.adminWithoutUsername(id: p.userID).text()
        let ref = MessageRef(chatID: p.chatID, messageID: p.messageID)
        let preview = entry.preview
        let command = entry.command
        var out: [Effect] = [.persist(entry.machine)]
        switch verdict {
        case .run:
            guard case .plan(let plan) = entry.action else { return out }
            out += [.answer(CoreText.runningToast.text()), .run(plan, nonce: nonce, preview: preview, ref: ref, who: who)]
        case .cancel:
            out += [.answer(CoreText.cancelledToast.text()), .edit(ref, html: "\(preview)\n\n" + CoreText.cancelledBy(who: who).text()),
                    .audit(action: command, outcome: "cancelled")]
        case .expired:
            out += [.answer(CoreText.expiredToast.text()), .edit(ref, html: "\(preview)\n\n" + CoreText.expiredNothingRan.text()),
                    .audit(action: command, outcome: "rejected: expired")]
        case .alreadyHandled(let state):
            let text: CoreText = switch state {
            case .running: .alreadyRunning
            case .done: .alreadyDone
            case .cancelled: .alreadyCancelled
            case .expired: .expiredToast
            case .pending: .stillPending
            }
            out += [.answer(text.text()), .audit(action: command, outcome: "rejected: \(state.rawValue)")]
        case .notYours(let why):
            out += [.answer(CoreText.refusedPress(why: why).text()), .audit(action: command, outcome: "rejected: \(why.english)")]
        case .wrongMessage:
            out += [.answer(CoreText.wrongMessage.text()), .audit(action: command, outcome: "rejected: wrong message")]
        case .choose(let i):
            guard case .choices(_, let choices) = entry.action, i < choices.count else { return out }
            out += [.answer(choices[i].label), .choose(choices[i], command: command, ref: ref)]
        }
        return out
    }
}
