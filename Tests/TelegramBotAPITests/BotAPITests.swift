import Foundation
import HTTPClient
import OpsbotSupport
import TelegramBotAPI
import Testing
import TestTraits
import TestKit

@Suite(.exclusive) struct BotAPITests {
    @Test func sendEditAnswerAndMenu() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let me = try await api.getMe()
        #expect(me.isBot && me.username == "opsbot_test_bot")

        let kb = TGInlineKeyboard([[TGInlineButton(text: "Confirm", callbackData: "c:1"), TGInlineButton(text: "Cancel", callbackData: "x:1")]])
        let m = try await api.sendMessage(chatID: -1001234567890123, text: "<b>restart</b> web?", keyboard: kb, disableNotification: true)
        #expect(m.chat.id == -1001234567890123)
        #expect(m.text == "restart web?")
        let call = try #require(fake.calls("sendMessage").first)
        #expect(call.fields["parse_mode"] == "HTML")
        #expect(call.fields["disable_notification"] == "true")
        #expect(call.fields["reply_markup"]?.contains("\"callback_data\":\"c:1\"") == true)

        try await api.editMessageText(chatID: m.chat.id, messageID: m.messageID, text: "<b>restarted</b>")
        // Same content again: Telegram says "message is not modified", which is success.
        try await api.editMessageText(chatID: m.chat.id, messageID: m.messageID, text: "<b>restarted</b>")
        #expect(fake.calls("editMessageText").map(\.status) == [200, 400])
        #expect(fake.calls("editMessageText")[0].fields["reply_markup"] == #"{"inline_keyboard":[]}"#)

        try await api.editMessageReplyMarkup(chatID: m.chat.id, messageID: m.messageID, keyboard: kb)
        try await api.answerCallbackQuery(id: "cb1", text: String(repeating: "x", count: 500))
        #expect(fake.calls("answerCallbackQuery").first?.fields["text"]?.count == 200)
        try await api.setMyCommands([("status", "Service status"), ("logs", "Last log lines")])
        #expect(fake.calls("setMyCommands").first?.fields["commands"]?.contains("\"command\":\"logs\"") == true)
    }

    @Test func documentUploadIsMultipart() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let content = Data(String(repeating: "log line ü\n", count: 2000).utf8)
        let m = try await api.sendDocument(chatID: 42, filename: "logs.txt", data: content, caption: "<b>worker</b> logs")
        #expect(m.chat.id == 42)
        let call = try #require(fake.calls("sendDocument").first)
        #expect(call.status == 200)
        #expect(call.files["document"]?.filename == "logs.txt")
        #expect(call.files["document"]?.data == content)
        #expect(call.fields["caption"] == "<b>worker</b> logs")
        #expect(call.fields["parse_mode"] == "HTML")
        #expect(call.fields["chat_id"] == "42")
    }

    /// Issue 21 item 5: a photo upload is multipart with the PNG, an HTML caption ≤ 1024
    /// characters, the keyboard as JSON and the reply target.
    @Test func sendPhotoIsMultipartWithCaptionAndMarkup() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let png = Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) + Data(repeating: 7, count: 5000)
        let long = String(repeating: "x", count: 1500)
        let m = try await api.sendPhoto(chatID: 42, filename: "disk.png", data: png, caption: "<b>Disk</b> " + long,
                                        keyboard: TGInlineKeyboard([[TGInlineButton(text: "Show disk", callbackData: "r:disk")]]), replyTo: 7)
        #expect(m.chat.id == 42)
        let call = try #require(fake.calls("sendPhoto").first)
        #expect(call.status == 200)
        let contentType = String(decoding: call.body.prefix(200), as: UTF8.self)
        #expect(contentType.hasPrefix("--"), "a multipart body")
        #expect(call.files["photo"]?.filename == "disk.png" && call.files["photo"]?.data == png)
        #expect(call.fields["caption"]?.count == 1024)
        #expect(call.fields["parse_mode"] == "HTML")
        #expect(call.fields["reply_markup"]?.contains("\"callback_data\":\"r:disk\"") == true)
        #expect(call.fields["reply_parameters"]?.contains("\"message_id\":7") == true)
        // Not a picture: the fake answers as Telegram does.
        await #expect(throws: BotAPIError.self) { try await api.sendPhoto(chatID: 42, filename: "x.png", data: Data("text".utf8)) }
    }

    @Test func webhookInfoAndDelete() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        fake.setWebhook("https://example.com/hook")
        fake.enqueueMessage(chatID: 1, userID: 1, text: "/status")
        let info = try await api.getWebhookInfo()
        #expect(info.url == "https://example.com/hook")
        #expect(info.pendingUpdateCount == 1)
        try await api.deleteWebhook()
        #expect(try await api.getWebhookInfo().url == "")
    }

    @Test func getUpdatesHonoursOffsetAndLongPoll() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let first = fake.enqueueMessage(chatID: 5, userID: 6, text: "/ping", username: "alice")
        let second = fake.enqueueCallback(chatID: 5, userID: 6, messageID: 77, data: "c:abc")
        let all = try await api.getUpdates(offset: nil, timeout: 0, allowedUpdates: UpdatePoller.allowedUpdates)
        #expect(all.map(\.updateID) == [first, second])
        #expect(all[0].message?.text == "/ping" && all[0].message?.from?.username == "alice")
        #expect(all[1].callbackQuery?.data == "c:abc" && all[1].callbackQuery?.message?.messageID == 77)
        let rest = try await api.getUpdates(offset: first + 1, timeout: 0, allowedUpdates: [])
        #expect(rest.map(\.updateID) == [second])
        // Nothing pending: the long poll waits for its timeout...
        let start = Date()
        let none = try await api.getUpdates(offset: second + 1, timeout: 1, allowedUpdates: [])
        #expect(none.isEmpty)
        #expect(Date().timeIntervalSince(start) >= 0.9)
        // ...and returns as soon as an update arrives.
        Task {
            try await Task.sleep(nanoseconds: 300_000_000)
            fake.enqueueMessage(chatID: 5, userID: 6, text: "late")
        }
        let t0 = Date()
        let late = try await api.getUpdates(offset: second + 1, timeout: 10, allowedUpdates: [])
        #expect(late.first?.message?.text == "late")
        #expect(Date().timeIntervalSince(t0) < 3)
    }

    @Test(arguments: [
        (429, "Too Many Requests: retry after 7", 7 as Int?, nil as Int64?, BotAPIError.Kind.rateLimited(retryAfter: 7)),
        (409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", nil, nil, .conflictOtherPoller),
        (409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", nil, nil, .conflictWebhook),
        (403, "Forbidden: bot was kicked from the supergroup chat", nil, nil, .forbidden),
        (400, "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 0", nil, nil, .cantParseEntities),
        (400, "Bad Request: group chat was upgraded to a supergroup chat", nil, -1009, .migrated(toChatID: -1009)),
        (400, "Bad Request: chat not found", nil, nil, .badRequest),
        (500, "Internal Server Error", nil, nil, .server),
        (502, "Bad Gateway", nil, nil, .server),
    ])
    func errorsAreClassified(status: Int, description: String, retryAfter: Int?, migrateTo: Int64?, kind: BotAPIError.Kind) async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        fake.failNext(method: "sendMessage", status: status, description: description, retryAfter: retryAfter, migrateTo: migrateTo)
        do {
            try await api.sendMessage(chatID: 1, text: "hi")
            Issue.record("expected \(kind)")
        } catch let e as BotAPIError {
            #expect(e.kind == kind)
            #expect(e.errorCode == status)
            #expect(e.method == "sendMessage")
            #expect(e.description.contains(description))
            #expect(!e.description.contains(testToken))
        }
        // The fault was used up: the next call works.
        try await api.sendMessage(chatID: 1, text: "hi")
    }

    @Test func slowTelegramHitsTheRequestTimeout() async throws {
        let (fake, _) = try makeFake()
        defer { fake.stop() }
        fake.delay(method: "sendMessage", seconds: 6)
        let api = BotAPI(baseURL: fake.baseURL, token: testToken, requestTimeout: 0.5)
        let start = Date()
        do {
            try await api.sendMessage(chatID: 1, text: "hi")
            Issue.record("expected a timeout")
        } catch let e as BotAPIError {
            #expect(e.kind == .network(.timeout))
            #expect(!e.description.contains(testToken))
        }
        // Well before the fake answers (6 s), with room for a loaded 2-core machine.
        #expect(Date().timeIntervalSince(start) < 4)
        fake.delay(method: "sendMessage", seconds: 0)
        try await api.sendMessage(chatID: 1, text: "hi")
    }

    @Test func wrongTokenIsUnauthorizedAndNeverEchoed() async throws {
        let (fake, _) = try makeFake()
        defer { fake.stop() }
        let wrong = "111111111:" + "AAwrongTokenWrongTokenWrongToken12345"
        let api = BotAPI(baseURL: fake.baseURL, token: wrong)
        do {
            _ = try await api.getMe()
            Issue.record("expected 401")
        } catch let e as BotAPIError {
            #expect(e.kind == .unauthorized)
            #expect(!"\(e)".contains(wrong))
        }
    }

    @Test func networkErrorsAreClassifiedAndRedacted() async throws {
        let api = BotAPI(baseURL: "http://127.0.0.1:1", token: testToken, requestTimeout: 2)
        do {
            _ = try await api.getMe()
            Issue.record("expected a network error")
        } catch let e as BotAPIError {
            #expect(e.kind == .network(.connect))
            #expect(!e.description.contains(testToken))
            #expect(!e.description.contains("AAHfakeToken"))
            #expect(e.isTransient)
        }
    }

    @Test func nonEnvelopeBodiesAreClassifiedByStatus() async throws {
        let server = try LoopbackHTTPServer { req in
            req.path.hasSuffix("/getMe")
                ? LoopbackHTTPServer.Response(status: 502, headers: ["Content-Type": "text/html"], body: Data("<html>bad gateway</html>".utf8))
                : LoopbackHTTPServer.Response(status: 200, body: Data("not json".utf8))
        }
        defer { server.stop() }
        let api = BotAPI(baseURL: "http://127.0.0.1:\(server.port)", token: testToken)
        await #expect(throws: BotAPIError.self) { _ = try await api.getMe() }
        do { _ = try await api.getMe() } catch let e as BotAPIError { #expect(e.kind == .server && e.errorCode == 502) }
        do { _ = try await api.getWebhookInfo() } catch let e as BotAPIError { #expect(e.kind == .invalidResponse) }
    }
}
