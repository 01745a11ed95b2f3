import Foundation
import OpsbotCore
import TelegramBotAPI
import Testing
import TestHarness

@Suite struct TelegramTransportTests {
    func make(threshold: Int = 20_000) throws -> (FakeBotAPI, TelegramTransport) {
        let (fake, api) = try makeFake()
        return (fake, TelegramTransport(api: api, documentThreshold: threshold))
    }

    @Test func shortReplyIsOneHTMLMessageWithButtons() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        let ref = try await t.send(Reply(html: "<b>Restart web?</b>", buttons: [[Button("Confirm", data: "c:1")]], silent: true), to: 10)
        let sent = fake.sentMessages(chatID: 10)
        #expect(sent.count == 1)
        #expect(ref.chatID == 10 && ref.messageID > 0)
        #expect(sent[0].fields["parse_mode"] == "HTML")
        #expect(sent[0].fields["disable_notification"] == "true")
        #expect(sent[0].fields["reply_markup"]?.contains("c:1") == true)
    }

    @Test func longReplyIsSplitBalancedWithButtonsOnTheLastChunk() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        let lines = (1...400).map { "2026-01-01 worker[\($0)] <job> & done \($0)" }
        let reply = Reply.pre(lines.joined(separator: "\n"), title: "worker logs")
        let ref = try await t.send(Reply(html: reply.html, buttons: [[Button("More", data: "m")]]), to: 11)
        let sent = fake.sentMessages(chatID: 11)
        #expect(sent.count >= 4)
        #expect(fake.calls("sendMessage").allSatisfy { $0.status == 200 })  // the fake parses every chunk's HTML
        #expect(sent.dropLast().allSatisfy { $0.fields["reply_markup"] == nil })
        #expect(sent.last?.fields["reply_markup"]?.contains("More") == true)
        #expect(sent.allSatisfy { $0.text!.hasPrefix("<pre>") || $0.text!.hasPrefix("<b>") })
        #expect(sent.allSatisfy { $0.text!.hasSuffix("</pre>") })
        // Nothing lost: the plain text of the chunks is the original's.
        let joined = sent.map { HTML.toPlainText($0.text!) }.joined(separator: "\n")
        #expect(joined == HTML.toPlainText(reply.html))
        #expect(ref.messageID > 0)
    }

    @Test func textOverThresholdGoesAsADocument() async throws {
        let (fake, t) = try make(threshold: 100)
        defer { fake.stop() }
        let plain = String(repeating: "x < y & z\n", count: 50)
        try await t.send(Reply.pre(plain), to: 12)
        let doc = try #require(fake.calls("sendDocument").first)
        #expect(doc.status == 200)
        #expect(doc.files["document"]?.filename.hasSuffix(".txt") == true)
        #expect(String(decoding: doc.files["document"]!.data, as: UTF8.self) == plain)
        #expect(doc.fields["caption"]?.isEmpty == false)
        #expect(fake.calls("sendMessage").isEmpty)
    }

    @Test func attachmentIsSentAsDocumentWithCaption() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        let data = Data("id,amount\n1,10\n".utf8)
        try await t.send(Reply(html: "<b>pending payments</b>", attachment: Attachment(filename: "payments.csv", data: data)), to: 13)
        let doc = try #require(fake.calls("sendDocument").first)
        #expect(doc.files["document"]?.data == data)
        #expect(doc.fields["caption"] == "<b>pending payments</b>")
    }

    @Test func brokenHTMLIsResentAsPlainText() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        try await t.send(Reply(html: "<b>unclosed & <weird>"), to: 14)
        let calls = fake.calls("sendMessage")
        #expect(calls.count == 2)
        #expect(calls[0].status == 400)
        #expect(calls[1].status == 200)
        #expect(calls[1].fields["parse_mode"] == nil)
        #expect(calls[1].text == "unclosed & ")
    }

    @Test func rateLimitIsWaitedOutAndRetried() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let clock = ManualClock()
        let t = TelegramTransport(api: api, documentThreshold: 20_000, clock: clock)
        fake.failNext(method: "sendMessage", status: 429, description: "Too Many Requests: retry after 5", retryAfter: 5)
        let sending = Task { try await t.send(.text("alert"), to: 15) }
        await clock.sleepers(atLeast: 1)
        #expect(clock.requestedSleeps == [.seconds(5)])
        clock.advance(by: .milliseconds(4999))
        #expect(fake.calls("sendMessage").count == 1)   // still waiting
        clock.advance(by: .milliseconds(1))
        _ = try await sending.value
        #expect(fake.calls("sendMessage").map(\.status) == [429, 200])
    }

    @Test func rateLimitRetriesAreBounded() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let clock = ManualClock()
        let t = TelegramTransport(api: api, documentThreshold: 20_000, maxRateLimitRetries: 2, clock: clock)
        fake.failNext(method: "sendMessage", status: 429, description: "Too Many Requests: retry after 30", retryAfter: 30, count: 10)
        let sending = Task { try await t.send(.text("alert"), to: 15) }
        await clock.advanceWhenAsleep(by: .seconds(30))
        await clock.advanceWhenAsleep(by: .seconds(30))
        await #expect(throws: BotAPIError.self) { try await sending.value }
        #expect(fake.calls("sendMessage").count == 3)
        #expect(clock.requestedSleeps == [.seconds(30), .seconds(30)])
    }

    @Test func migratedGroupContinuesInTheSupergroup() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        fake.migrateChat(from: -4001, to: -1004001)
        let ref = try await t.send(.text("first"), to: -4001)
        #expect(ref.chatID == -1004001)
        try await t.send(.text("second"), to: -4001)
        #expect(fake.sentMessages(chatID: -1004001).map(\.text) == ["first", "second"])
        #expect(fake.calls("sendMessage").filter { $0.status != 200 }.count == 1)  // remembered
        #expect(t.currentChatID(-4001) == -1004001)
    }

    @Test func blockedChatIsAPermanentError() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        fake.blockChat(16)
        await #expect(throws: PermanentDeliveryError.self) { try await t.send(.text("hi"), to: 16) }
        #expect(fake.calls("sendMessage").count == 1)
    }

    @Test func editReplacesTextAndButtonsAndNotModifiedIsSuccess() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        let ref = try await t.send(Reply(html: "Restart?", buttons: [[Button("Confirm", data: "c")]]), to: 17)
        try await t.edit(ref, Reply(html: "<b>Restarted</b>"))
        try await t.edit(ref, Reply(html: "<b>Restarted</b>"))
        let edits = fake.calls("editMessageText")
        #expect(edits.map(\.status) == [200, 400])
        #expect(edits[0].fields["reply_markup"] == #"{"inline_keyboard":[]}"#)
        try await t.edit(ref, Reply(html: "Again?", buttons: [[Button("Yes", data: "y")]]))
        #expect(fake.calls("editMessageText").last?.fields["reply_markup"]?.contains("\"y\"") == true)
    }

    @Test func answerCallbackNeverThrows() async throws {
        let (fake, t) = try make()
        defer { fake.stop() }
        fake.failNext(method: "answerCallbackQuery", status: 400, description: "Bad Request: query is too old and response timeout expired or query ID is invalid")
        await t.answerCallback("cb1", text: "Done")
        await t.answerCallback("cb2", text: String(repeating: "é", count: 300))
        let calls = fake.calls("answerCallbackQuery")
        #expect(calls.map(\.status) == [400, 200])
        #expect(calls[1].fields["text"]?.count == 200)
    }

    @Test func updatesMapToIncoming() throws {
        let chat = TGChat(id: -1001234567890, type: "supergroup")
        let user = TGUser(id: 5_000_000_000, firstName: "A", username: "alice")
        let msg = TGUpdate(updateID: 1, message: TGMessage(messageID: 9, from: user, chat: chat, text: "/logs worker 50"))
        #expect(Incoming(msg) == .message(IncomingMessage(chatID: -1001234567890, userID: 5_000_000_000, username: "alice",
                                                           messageID: 9, text: "/logs worker 50")))
        let cb = TGUpdate(updateID: 2, callbackQuery: TGCallbackQuery(id: "q", from: user, message: TGMessage(messageID: 9, chat: chat), data: "c:x"))
        #expect(Incoming(cb) == .callback(IncomingCallback(id: "q", chatID: -1001234567890, userID: 5_000_000_000,
                                                            username: "alice", messageID: 9, data: "c:x")))
        #expect(Incoming(TGUpdate(updateID: 3, message: TGMessage(messageID: 1, from: user, chat: chat))) == nil)  // no text
        #expect(Incoming(TGUpdate(updateID: 4)) == nil)
    }

    @Test func decodesRealUpdateJSON() throws {
        let json = #"{"update_id":900000001,"message":{"message_id":5,"from":{"id":123,"is_bot":false,"first_name":"Ann","username":"ann","language_code":"ru"},"chat":{"id":-1009876543210,"title":"ops","type":"supergroup"},"date":1760000000,"text":"/status@opsbot_bot","entities":[{"offset":0,"length":18,"type":"bot_command"}]}}"#
        let u = try JSONDecoder().decode(TGUpdate.self, from: Data(json.utf8))
        guard case .message(let m) = Incoming(u) else { Issue.record("not a message"); return }
        #expect(m.chatID == -1009876543210 && m.userID == 123 && m.text == "/status@opsbot_bot")
    }
}

/// A token shaped like a real one; the tests check it never leaks.
private let testToken = "987654321:" + "AAHfakeTokenOnlyForOpsbotTests_0123456789xyz"

private func makeFake() throws -> (FakeBotAPI, BotAPI) {
    let fake = try FakeBotAPI(token: testToken)
    return (fake, BotAPI(baseURL: fake.baseURL, token: testToken, requestTimeout: 10))
}
