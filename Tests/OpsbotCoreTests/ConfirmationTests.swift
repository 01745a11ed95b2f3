import Foundation
import Testing
import TestHarness
@testable import OpsbotCore

@Suite struct ConfirmationTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    func make(_ approver: Config.Approver = .initiator, choices: Int = 0) -> OpsbotCore.Confirmation {
        OpsbotCore.Confirmation(nonce: "n", chatID: 10, messageID: 20, initiator: 1, createdAt: t0, expiry: 60, approver: approver, choices: choices)
    }

    @Test func confirmRunsOnceThenEverythingIsRejected() {
        var c = make()
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0.addingTimeInterval(5)); #expect(v == .run) }
        #expect(c.state == .running)
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0.addingTimeInterval(6)); #expect(v == .alreadyHandled(.running)) }
        do { let v = c.press(.cancel, by: 1, chatID: 10, messageID: 20, at: t0.addingTimeInterval(6)); #expect(v == .alreadyHandled(.running)) }
        c.finish()
        #expect(c.state == .done)
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0.addingTimeInterval(7)); #expect(v == .alreadyHandled(.done)) }
    }

    @Test func cancelThenConfirmRunsNothing() {
        var c = make()
        do { let v = c.press(.cancel, by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .cancel) }
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .alreadyHandled(.cancelled)) }
    }

    @Test func pressAfterExpiryRunsNothing() {
        var c = make()
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0.addingTimeInterval(60)); #expect(v == .expired) }
        #expect(c.state == .expired)
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0.addingTimeInterval(61)); #expect(v == .alreadyHandled(.expired)) }
    }

    @Test func sweepExpiresOnlyWhenDue() {
        var c = make()
        do { let v = c.expireIfDue(at: t0.addingTimeInterval(59)); #expect(!v) }
        do { let v = c.expireIfDue(at: t0.addingTimeInterval(60)); #expect(v) }
        do { let v = c.expireIfDue(at: t0.addingTimeInterval(61)); #expect(!v) }
    }

    @Test func boundToItsMessage() {
        var c = make()
        do { let v = c.press(.confirm, by: 1, chatID: 11, messageID: 20, at: t0); #expect(v == .wrongMessage) }
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 21, at: t0); #expect(v == .wrongMessage) }
        #expect(c.state == .pending)
    }

    @Test func initiatorOnlyByDefault() {
        var c = make(.initiator)
        if case .notYours = c.press(.confirm, by: 2, chatID: 10, messageID: 20, at: t0) {} else { Issue.record("another admin confirmed") }
        if case .notYours = c.press(.cancel, by: 2, chatID: 10, messageID: 20, at: t0) {} else { Issue.record("another admin cancelled") }
        #expect(c.state == .pending)
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .run) }
    }

    @Test func anyAdmin() {
        var c = make(.anyAdmin)
        do { let v = c.press(.confirm, by: 2, chatID: 10, messageID: 20, at: t0); #expect(v == .run) }
        #expect(c.decidedBy == 2)
    }

    @Test func twoPersonRule() {
        var c = make(.secondAdmin)
        if case .notYours = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0) {} else { Issue.record("initiator approved own action") }
        #expect(c.state == .pending)
        do { let v = c.press(.confirm, by: 2, chatID: 10, messageID: 20, at: t0); #expect(v == .run) }
    }

    @Test func choices() {
        var c = make(choices: 2)
        do { let v = c.press(.confirm, by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .wrongMessage) }
        do { let v = c.press(.choose(5), by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .wrongMessage) }
        do { let v = c.press(.choose(1), by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .choose(1)) }
        do { let v = c.press(.choose(0), by: 1, chatID: 10, messageID: 20, at: t0); #expect(v == .alreadyHandled(.done)) }
    }
}
