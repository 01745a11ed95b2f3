import Foundation
import Testing
import TestHarness
@testable import OpsbotCore

@Suite struct AccessControlTests {
    func acl() -> AccessControl {
        var a = Config.Admins()
        a.chats = [-1001]
        a.users = [Config.AdminUser(id: 1), Config.AdminUser(id: 2, roles: ["viewer"])]
        return AccessControl(a)
    }

    @Test func bothChatAndUserMustMatch() {
        #expect(acl().check(chatID: -1001, userID: 1) == .allowed)
        #expect(acl().check(chatID: 555, userID: 1) == .foreignChat)
        #expect(acl().check(chatID: -1001, userID: 99) == .unknownUser)
    }

    @Test func roles() {
        #expect(acl().may(userID: 1, roles: ["operator"]))   // no roles listed: all roles
        #expect(!acl().may(userID: 2, roles: ["operator"]))
        #expect(acl().may(userID: 2, roles: ["viewer", "operator"]))
        #expect(acl().may(userID: 2, roles: []))
        #expect(!acl().may(userID: 99, roles: []))
    }

    @Test func refusalsAreRateLimitedPerChat() {
        let l = RefusalLimiter(window: 600)
        let t = Date()
        #expect(l.shouldReply(chatID: 5, now: t))
        #expect(!l.shouldReply(chatID: 5, now: t.addingTimeInterval(10)))
        #expect(l.shouldReply(chatID: 6, now: t.addingTimeInterval(10)))
        #expect(l.shouldReply(chatID: 5, now: t.addingTimeInterval(601)))
    }
}
