import Foundation
import LocalStore
import Testing
import TestSupport
@testable import OpsbotCore

/// The real poll loop (`TelegramService.serve`) against the loopback Bot API server.
final class LoopHarness: @unchecked Sendable {
    static let token = "123456789:" + "AAFakeTokenForTestsOnly_abcdefghijklmn"
    static let chat: Int64 = -1001
    static let admin: Int64 = 11
    static let admin2: Int64 = 12

    let fake: FakeBotAPI
    let dir: String
    let marker: String
    private var serving: Task<Int32, Never>?
    private let stop = Locked<CheckedContinuation<Void, Never>?>(nil)
    private let stopRequested = Locked(false)
    let logs = Locked<[String]>([])
    /// What opsbot's config and services see as their environment.
    let environment: [String: String]
    private var observer: UUID?

    /// `extraConfig` is appended to opsbot.yaml; `shippedCommands` are copied from Commands/.
    init(expiry: String = "60s", approver: String = "initiator", fake: FakeBotAPI? = nil, dir: String? = nil,
         extraConfig: String = "", shippedCommands: [String] = [], environment: [String: String] = [:]) throws {
        self.fake = try fake ?? FakeBotAPI(token: LoopHarness.token)
        self.environment = environment
        self.dir = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-e2e-\(UUID().uuidString)").path
        marker = self.dir + "/ran.txt"
        let commands = self.dir + "/Commands"
        try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
        for name in ["help.yaml", "ping.yaml", "audit.yaml"] + shippedCommands {
            let src = TestApp.repositoryRoot + "/Commands/" + name
            if !FileManager.default.fileExists(atPath: commands + "/" + name) {
                try FileManager.default.copyItem(atPath: src, toPath: commands + "/" + name)
            }
        }
        // A destructive runbook step whose every run leaves a line in a file.
        try """
        name: mark
        description: Append a line to a file (destructive test step)
        module: shell
        confirm: true
        arguments:
          - name: word
            type: string
            default: "x"
        settings:
          argv: ["sh", "-c", "echo \\"$0\\" >> \(marker)", "{word}"]
        """.write(toFile: commands + "/mark.yaml", atomically: true, encoding: .utf8)
        try """
        telegram:
          api_url: \(self.fake.baseURL)
          poll_timeout: 1
        admins:
          chats: [\(LoopHarness.chat)]
          users: [\(LoopHarness.admin), \(LoopHarness.admin2)]
        confirmations:
          expiry: \(expiry)
          approver: \(approver)
        state_dir: state
        commands_dir: Commands
        \(extraConfig)
        """.write(toFile: self.dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let token = LoopHarness.token
        observer = Log.observe { [logs] line in if line.contains(token) || !line.isEmpty { logs.withLock { $0.append(line) } } }
    }

    func start() throws {
        let runtime = Runtime.load(configPath: dir + "/opsbot.yaml", environment: environment.merging(["OPSBOT_TOKEN": LoopHarness.token]) { $1 })
        #expect(runtime.problems.isEmpty, "\(runtime.problems)")
        let store = try runtime.openStore()
        serving = Task { [self] in
            await TelegramService.serve(runtime: runtime, token: LoopHarness.token, store: store) { [self] in
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let already = stopRequested.withLock { r -> Bool in r }
                    if already { c.resume() } else { stop.withLock { $0 = c } }
                }
            }
        }
    }

    /// Stops the loop as SIGTERM would; returns its exit code.
    func shutdown() async -> Int32 {
        stopRequested.withLock { $0 = true }
        stop.withLock { $0?.resume(); $0 = nil }
        let code = await serving?.value ?? -1
        if let observer { Log.stopObserving(observer) }
        return code
    }

    func say(_ text: String, user: Int64 = admin, chat: Int64 = chat) {
        _ = fake.enqueueMessage(chatID: chat, userID: user, text: text, username: "user\(user)")
    }

    /// The inline buttons (callback data) of the newest message that has them.
    func latestButtons() -> (messageID: Int64, data: [String])? {
        for call in fake.calls.reversed() where (call.method == "sendMessage" || call.method == "editMessageText") && call.status == 200 {
            guard let markup = call.fields["reply_markup"], let json = try? JSONSerialization.jsonObject(with: Data(markup.utf8)) as? [String: Any],
                  let rows = json["inline_keyboard"] as? [[[String: Any]]], !rows.isEmpty else { continue }
            let data = rows.flatMap { $0 }.compactMap { $0["callback_data"] as? String }
            let id = call.fields["message_id"].flatMap { Int64($0) } ?? call.resultMessageID ?? 0
            return (id, data)
        }
        return nil
    }

    func press(_ index: Int, user: Int64 = admin) {
        guard let b = latestButtons(), index < b.data.count else { Issue.record("no buttons to press"); return }
        _ = fake.enqueueCallback(chatID: LoopHarness.chat, userID: user, messageID: b.messageID, data: b.data[index])
    }

    var runs: Int {
        ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    func texts(_ method: String = "sendMessage") -> [String] {
        fake.calls(method).filter { $0.status == 200 }.compactMap(\.text)
    }

    /// Waits until some sent or edited text contains `needle`.
    func waitForText(_ needle: String, timeout: Double = 5) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (texts() + texts("editMessageText")).contains(where: { $0.contains(needle) }) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }
}

@Suite(.serialized) struct TelegramLoopTests {
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
        #expect(h.logs.current.contains { $0.contains("another") || $0.contains("other") })
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
        #expect(!h.logs.current.isEmpty)
        for line in h.logs.current { #expect(!line.contains(LoopHarness.token)) }
        for call in h.fake.calls { #expect(!String(decoding: call.body, as: UTF8.self).contains(LoopHarness.token)) }
        let store = try Store(directory: h.dir + "/state")
        for e in try store.recentAudit(limit: 100) { #expect(!"\(e)".contains(LoopHarness.token)) }
    }
}
