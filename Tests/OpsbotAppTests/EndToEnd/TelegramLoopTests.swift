import Foundation
import LocalStore
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotServices
@testable import OpsbotHTTPListener

@Suite(.serialized, .exclusive) struct TelegramLoopTests {
    @Test func commandGetsItsReplyAndTheMenuIsPublished() async throws {
        let h = try LoopHarness()
        try h.start()
        h.say("/ping")
        #expect(await h.waitForText("pong"))
        #expect(h.fake.calls("getMe").count == 1)
        let menu = h.fake.calls("setMyCommands").first?.fields["commands"] ?? ""
        #expect(menu.contains("\"ping\"") && menu.contains("\"mark\""))
        #expect(await h.shutdown() == 0)
    }

    /// Issue 18 item 5: the menu holds only what works here; typed, the rest says why.
    @Test func commandsNotConfiguredHereStayOutOfTheMenu() async throws {
        let h = try LoopHarness(shippedCommands: ["scale.yaml", "silences.yaml", "status.yaml"])
        try h.start()
        #expect(await h.fake.waitFor(method: "setMyCommands", timeout: 20))
        let menu = h.fake.calls("setMyCommands").first?.fields["commands"] ?? ""
        #expect(menu.contains("\"status\"") && !menu.contains("\"scale\"") && !menu.contains("\"silences\""), "\(menu)")
        h.say("/scale worker 1")
        #expect(await h.waitForText("/scale is not configured here: no service uses backend: heroku or backend: railway"), "\(h.texts())")
        #expect(await h.shutdown() == 0)
    }

    @Test func strangersGetNothingExecuted() async throws {
        let h = try LoopHarness()
        try h.start()
        h.say("/mark a", user: 99)              // stranger in the admin chat
        h.say("/mark b", user: LoopHarness.admin, chat: 555)   // admin in a foreign chat
        h.say("/ping")
        #expect(await h.waitForText("pong"))
        #expect(await h.fake.waitFor(method: "sendMessage", count: 3))
        #expect(h.runs == 0)
        #expect(h.latestButtons() == nil)
        #expect(h.texts().filter { $0.contains("Not authorized") }.count == 2)
        #expect(await h.shutdown() == 0)
    }

    @Test func confirmationRunsOnceEvenWhenPressedTwice() async throws {
        let h = try LoopHarness()
        try h.start()
        h.say("/mark once")
        #expect(await h.waitForText("Will run"))
        h.press(0)
        h.press(0)
        #expect(await h.waitForText("confirmed by"))
        #expect(await h.fake.waitFor(method: "answerCallbackQuery", count: 2))
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(h.runs == 1)
        let answers = h.fake.calls("answerCallbackQuery").compactMap { $0.fields["text"] }
        #expect(answers.contains("Running…"))
        #expect(answers.contains { $0.contains("only once") || $0.contains("Already") })
        #expect(await h.shutdown() == 0)
    }

    @Test func cancelAndNonAdminPressRunNothing() async throws {
        let h = try LoopHarness(approver: "any_admin")
        try h.start()
        h.say("/mark no")
        #expect(await h.waitForText("Will run"))
        h.press(0, user: 99)
        #expect(await h.fake.waitFor(method: "answerCallbackQuery", count: 1))
        h.press(1)
        #expect(await h.waitForText("Cancelled by"))
        h.press(0)
        #expect(await h.fake.waitFor(method: "answerCallbackQuery", count: 3))
        #expect(h.runs == 0)
        let answers = h.fake.calls("answerCallbackQuery").compactMap { $0.fields["text"] }
        #expect(answers.first == "⛔ Not authorized.")
        #expect(await h.shutdown() == 0)
    }

    @Test func expiredConfirmationRunsNothing() async throws {
        let h = try LoopHarness(expiry: "1s")
        try h.start()
        h.say("/mark late")
        #expect(await h.waitForText("Will run"))
        #expect(await h.waitForText("Expired", timeout: 4))
        h.press(0)
        #expect(await h.fake.waitFor(method: "answerCallbackQuery", count: 1))
        #expect(h.runs == 0)
        #expect(await h.shutdown() == 0)
    }

    @Test func rateLimitIsHonoured() async throws {
        let h = try LoopHarness()
        h.fake.failNext(method: "sendMessage", status: 429, description: "Too Many Requests: retry after 1", retryAfter: 1)
        try h.start()
        h.say("/ping")
        #expect(await h.waitForText("pong", timeout: 6))
        let sends = h.fake.calls("sendMessage")
        #expect(sends.count >= 2)
        if sends.count >= 2 { #expect(sends[1].at.timeIntervalSince(sends[0].at) >= 0.95) }
        #expect(await h.shutdown() == 0)
    }

    @Test func conflictDoesNotSpin() async throws {
        let h = try LoopHarness()
        h.fake.failNext(method: "getUpdates", status: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", count: 50)
        try h.start()
        try await Task.sleep(nanoseconds: 2_500_000_000)
        #expect(h.fake.calls("getUpdates").count <= 4)
        #expect(h.log.lines.contains { $0.contains("another") || $0.contains("other") })
        #expect(await h.shutdown() == 0)
    }

    @Test func restartDoesNotRunAnUpdateTwice() async throws {
        let h = try LoopHarness()
        try h.start()
        h.say("/mark first")
        #expect(await h.waitForText("Will run"))
        h.press(0)
        #expect(await h.waitForText("confirmed by"))
        #expect(await h.shutdown() == 0)
        // Same Bot API, same state directory: nothing that was handled comes back.
        let again = try LoopHarness(fake: h.fake, dir: h.dir)
        try again.start()
        again.say("/ping")
        #expect(await again.waitForText("pong"))
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(again.runs == 1)
        #expect(await again.shutdown() == 0)
    }

    @Test func tokenNeverAppearsInOutput() async throws {
        let h = try LoopHarness()
        h.fake.failNext(method: "getUpdates", status: 500, description: "Internal Server Error")
        h.fake.failNext(method: "sendMessage", status: 400, description: "Bad Request: chat not found")
        try h.start()
        h.say("/ping")
        h.say("/ping")
        #expect(await h.waitForText("pong", timeout: 6))
        #expect(await h.shutdown() == 0)
        #expect(!h.log.lines.isEmpty)
        for line in h.log.lines { #expect(!line.contains(LoopHarness.token)) }
        for call in h.fake.calls { #expect(!String(decoding: call.body, as: UTF8.self).contains(LoopHarness.token)) }
        let store = try Store(directory: h.dir + "/state")
        for e in try store.recentAudit(limit: 100) { #expect(!"\(e)".contains(LoopHarness.token)) }
    }
}
