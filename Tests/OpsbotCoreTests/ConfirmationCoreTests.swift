import Foundation
import Testing
import TestHarness
@testable import OpsbotCore

/// The router's confirmation handling alone: inputs in, effects out, no transport, store or clock.
@Suite struct ConfirmationCoreTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)
    let ref = MessageRef(chatID: -10, messageID: 20)

    let plan = ConfirmationPlan(preview: "Will restart <b>worker</b>", confirmLabel: "Restart", auditAction: "restart worker") { _ in
        Reply(html: "worker healthy")
    }

    /// Effects as short lines, so a whole sequence is compared at once.
    func lines(_ effects: [ConfirmationCore.Effect]) -> [String] {
        effects.map {
            switch $0 {
            case .sendPreview(let r): "preview \(r.buttons.flatMap { $0 }.map(\.text))"
            case .record(let m, let command): "record \(m.state.rawValue) \(command)"
            case .persist(let m): "persist \(m.state.rawValue)"
            case .scheduleExpiry(let s): "expiry \(Int(s))"
            case .answer(let t): "answer \(t)"
            case .edit(let r, let html): "edit \(r.messageID) \(html)"
            case .run(let p, _, _, let r, let who): "run \(p.auditAction) in \(r.messageID) by \(who)"
            case .choose(let c, let command, _): "choose \(c.label) of \(command)"
            case .showResult(let r, _): "result \(r.html)"
            case .audit(let action, let outcome): "audit \(action): \(outcome)"
            case .auditExpiry(_, let command): "audit expired \(command)"
            case .previewInFlight(let command): "in flight \(command)"
            }
        }
    }

    func press(_ data: String, user: Int64 = 1, message: Int64 = 20, name: String? = nil) -> ConfirmationCore.Press {
        ConfirmationCore.Press(data: data, userID: user, username: name, chatID: -10, messageID: message)
    }

    /// A core with one delivered confirmation of `plan` (nonce "n", initiator 1, 60 s).
    func asked(_ approver: Config.Approver = .initiator) -> ConfirmationCore {
        var core = ConfirmationCore()
        _ = core.propose(.plan(plan), invocation: "/restart worker", initiator: 1, nonce: "n", expiry: 60, approver: approver)
        _ = core.delivered("n", as: ref, at: t0)
        return core
    }

    @Test func askingSendsThePreviewAndAPressWaitsForItsDelivery() {
        var core = ConfirmationCore()
        let sent = core.propose(.plan(plan), invocation: "/restart worker", initiator: 1, nonce: "n", expiry: 60, approver: .secondAdmin)
        guard case .sendPreview(let reply) = sent.first, sent.count == 1 else { Issue.record("\(lines(sent))"); return }
        #expect(reply.html.contains("<b>/restart worker</b>") && reply.html.contains("Expires in 1 min") && reply.html.contains("two-person rule"))
        #expect(reply.buttons.flatMap { $0 }.map(\.data) == ["c:n:y", "c:n:n"])
        // A press that overtakes the preview's delivery runs nothing yet: the router presses again.
        #expect(lines(core.press(press("c:n:y", user: 2), at: t0)) == ["in flight restart worker"])
        #expect(core.live.isEmpty)
        let (summary, effects) = core.delivered("n", as: ref, at: t0)
        #expect(summary == "awaiting confirmation: restart worker")
        #expect(lines(effects) == ["record pending restart worker", "expiry 60"])
        #expect(core.live["n"]?.machine.expiresAt == t0.addingTimeInterval(60))
        #expect(lines(core.press(press("c:n:y", user: 2, name: "ann"), at: t0)) == ["persist running", "answer Running…", "run restart worker in 20 by @ann"])
    }

    @Test func anUndeliveredPreviewLeavesNothingPending() {
        var core = ConfirmationCore()
        _ = core.propose(.plan(plan), invocation: "/restart", initiator: 1, nonce: "n", expiry: 60, approver: .initiator)
        let (summary, effects) = core.delivered("n", as: nil, at: t0)
        #expect(summary == "error: preview not delivered" && effects.isEmpty && core.live.isEmpty && core.proposed.isEmpty)
        #expect(lines(core.press(press("c:n:y"), at: t0)).first?.hasPrefix("answer This button is no longer valid") == true)
    }

    @Test func confirmRunsOnceDuplicatesRunNothingThenTheResultStaysUnderThePreview() {
        var core = asked(.anyAdmin)
        #expect(lines(core.press(press("c:n:y", user: 2, name: "ann"), at: t0.addingTimeInterval(5)))
                == ["persist running", "answer Running…", "run restart worker in 20 by @ann"])
        // The same button from a second admin at the same moment, and a replayed callback.
        let duplicate = ["persist running", "answer Already running. It runs only once.", "audit restart worker: rejected: running"]
        #expect(lines(core.press(press("c:n:y", user: 1), at: t0.addingTimeInterval(5))) == duplicate)
        #expect(lines(core.press(press("c:n:n", user: 2), at: t0.addingTimeInterval(6))) == duplicate)
        let done = core.finished("n", result: Reply(html: "worker healthy"), who: "@ann", seconds: 1.3)
        #expect(lines(done) == ["persist done",
                                "result Will restart <b>worker</b>\n\nworker healthy\n\n<i>confirmed by @ann · 1.3 s</i>",
                                "audit restart worker: confirmed, ran: worker healthy"])
        #expect(lines(core.press(press("c:n:y"), at: t0.addingTimeInterval(7)))
                == ["persist done", "answer Already done. It runs only once.", "audit restart worker: rejected: done"])
    }

    @Test func aResultTooLongForOneMessageFollowsBelowThePreview() {
        var core = asked()
        _ = core.press(press("c:n:y"), at: t0)
        let long = String(repeating: "x", count: MessageProgress.editLimit)
        guard case .showResult(let r, let note) = core.finished("n", result: Reply(html: long), who: "admin 1", seconds: 0)[1] else {
            Issue.record("no result"); return
        }
        #expect(r.html.hasPrefix("xxx") && note.contains("output below"))
    }

    @Test func cancelEditsTheMessageAndRunsNothing() {
        var core = asked()
        #expect(lines(core.press(press("c:n:n"), at: t0))
                == ["persist cancelled", "answer Cancelled. Nothing ran.",
                    "edit 20 Will restart <b>worker</b>\n\n✖ Cancelled by admin 1. Nothing ran.", "audit restart worker: cancelled"])
        #expect(lines(core.press(press("c:n:y"), at: t0)).contains("answer Already cancelled. Nothing ran."))
    }

    @Test func theExpiryTickExpiresWhatIsDueAndForgetsItAnHourLater() {
        var core = asked()
        #expect(core.expire(at: t0.addingTimeInterval(59)).isEmpty)
        #expect(lines(core.expire(at: t0.addingTimeInterval(60)))
                == ["persist expired", "edit 20 Will restart <b>worker</b>\n\n⌛ Expired after 1 min. Nothing ran.", "audit expired restart worker"])
        #expect(core.expire(at: t0.addingTimeInterval(61)).isEmpty, "expired once")
        #expect(lines(core.press(press("c:n:y"), at: t0.addingTimeInterval(62)))
                == ["persist expired", "answer Expired. Nothing ran.", "audit restart worker: rejected: expired"])
        _ = core.expire(at: t0.addingTimeInterval(60 + 3601))
        #expect(core.live.isEmpty)
        #expect(lines(core.press(press("c:n:y"), at: t0.addingTimeInterval(60 + 3602)))
                == ["answer This button is no longer valid (expired, or opsbot restarted). Nothing ran.",
                    "audit unknown confirmation: rejected: unknown or forged nonce"])
    }

    @Test func aPressPastExpiryBeforeTheTickExpiresIt() {
        var core = asked()
        #expect(lines(core.press(press("c:n:y"), at: t0.addingTimeInterval(60)))
                == ["persist expired", "answer Expired. Nothing ran.", "edit 20 Will restart <b>worker</b>\n\n⌛ Expired. Nothing ran.",
                    "audit restart worker: rejected: expired"])
        #expect(core.expire(at: t0.addingTimeInterval(61)).isEmpty)
    }

    @Test func whoMayDecideAndWhichMessage() {
        var core = asked(.initiator)
        #expect(lines(core.press(press("c:n:y", user: 2), at: t0))
                == ["persist pending", "answer ⛔ only the admin who asked can confirm this",
                    "audit restart worker: rejected: only the admin who asked can confirm this"])
        #expect(lines(core.press(press("c:n:y", message: 21), at: t0)).contains("answer This button does not belong to this message."))
        var two = asked(.secondAdmin)
        #expect(lines(two.press(press("c:n:y", user: 1), at: t0)).contains("answer ⛔ two-person rule: another admin must confirm"))
        #expect(lines(two.press(press("c:n:y", user: 2), at: t0)).last == "run restart worker in 20 by admin 2")
    }

    @Test func aPressFromAnotherInstanceOrBeforeARestartRunsNothing() {
        // Another opsbot (or this one before a restart) sent the preview; this core never saw the nonce.
        var other = ConfirmationCore()
        #expect(lines(other.press(press("c:n:y"), at: t0))
                == ["answer This button is no longer valid (expired, or opsbot restarted). Nothing ran.",
                    "audit unknown confirmation: rejected: unknown or forged nonce"])
        #expect(other.live.isEmpty)
    }

    @Test func malformedButtonsAreInvalid() {
        var core = asked()
        for data in ["c:garbage", "c:n:zz", "c:n:y:extra"] {
            #expect(lines(core.press(press(data), at: t0)) == ["answer This button is no longer valid."])
        }
        #expect(core.live["n"]?.machine.state == .pending)
    }

    @Test func choicesLeadToTheChosenStepOnce() {
        var core = ConfirmationCore()
        let choices = ["web", "worker"].map { name in Choice(name) { .reply(.text(name)) } }
        let sent = core.propose(.choices(prompt: "Which service?", choices), invocation: "/pick", initiator: 1, nonce: "k",
                                expiry: 60, approver: .initiator)
        #expect(lines(sent) == ["preview [\"web\", \"worker\", \"✖ Cancel\"]"])
        let (summary, effects) = core.delivered("k", as: ref, at: t0)
        #expect(summary == "awaiting a choice" && lines(effects) == ["record pending /pick", "expiry 60"])
        #expect(lines(core.press(press("c:k:y"), at: t0)).contains("answer This button does not belong to this message."))
        #expect(lines(core.press(press("c:k:5"), at: t0)).contains("answer This button does not belong to this message."))
        #expect(lines(core.press(press("c:k:1"), at: t0)) == ["persist done", "answer worker", "choose worker of /pick"])
        #expect(lines(core.press(press("c:k:0"), at: t0)).contains("answer Already done. It runs only once."))
    }

    @Test func restartNotices() {
        #expect(ConfirmationCore.restartNotice(action: "restart <w>", wasRunning: false).english
                == "⌛ This confirmation expired when opsbot restarted. Nothing ran. (restart &lt;w&gt;)")
        #expect(ConfirmationCore.restartNotice(action: "x", wasRunning: true).english.contains("it was not run again"))
    }
}
