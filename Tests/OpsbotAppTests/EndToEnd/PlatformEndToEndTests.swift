import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

/// The Heroku and Railway backends through the real poll loop and the loopback Bot API: what
/// an admin types in the chat, the buttons they press, what the platform fakes receive.
@Suite(.serialized, .exclusive) struct PlatformEndToEndTests {
    static let botToken = "987654321:AAF" + String(repeating: "e", count: 32)
    static let commands = ["status.yaml", "logs.yaml", "restart.yaml", "scale.yaml", "conflicts.yaml", "redeploy.yaml"]

    static func targetBot() throws -> RoutedHTTPServer {
        let s = try RoutedHTTPServer()
        s.route("/bot\(botToken)/getMe", .json(#"{"ok":true,"result":{"id":1,"is_bot":true,"username":"habit_bot"}}"#))
        s.route("/bot\(botToken)/getWebhookInfo", .json(#"{"ok":true,"result":{"url":"","pending_update_count":0}}"#))
        return s
    }

    @Test func herokuStatusLogsRestartScaleAndConflictsFromTheChat() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-e2e-heroku-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try PlatformTest.herokuToken.write(toFile: dir + "/heroku.key", atomically: true, encoding: .utf8)
        let now = Date()
        fake.setDynos([("worker.1", "up")])
        fake.state.withLock {
            $0.logBody = (0..<20).map { i in "\(FakeHeroku.logStamp(now.addingTimeInterval(Double(i - 20)))) app[worker.1]: \(i == 15 ? "ERROR - aiogram.exceptions.TelegramNetworkError: boom" : "INFO - update \(i) handled")\n" }.joined()
        }
        let h = try LoopHarness(dir: dir, extraConfig: """
        services:
          worker:
            backend: heroku
            heroku:
              app: habitbot
              token_file: heroku.key
              api_url: "\(fake.url)"
              log_window: 1s
            restart_wait: 8s
            restart_settle: 0s
            bot: true
        """, shippedCommands: Self.commands)
        try h.start()

        h.say("/status")
        #expect(await h.waitForText("worker: 1/1 up: worker.1 up"))
        #expect(await h.waitForText("release v42"))

        h.say("/logs worker 50 error")
        #expect(await h.waitForText("TelegramNetworkError: boom"))
        #expect(!(h.texts().last ?? "").contains("update 3 handled"))

        h.say("/restart worker")
        #expect(await h.waitForText("DELETE /apps/habitbot/formations/worker"))
        #expect(!fake.requests.current.contains { $0.method == "DELETE" })
        h.press(0)
        #expect(await h.waitForText("worker healthy after", timeout: 10))
        #expect(fake.requests.current.filter { $0.method == "DELETE" }.count == 1)

        fake.setDynos([])
        fake.state.withLock { $0.quantity["worker"] = 0 }
        h.say("/scale worker 1")
        #expect(await h.waitForText("heroku ps:scale worker=1"))
        h.press(0)
        #expect(await h.waitForText("formation quantity 0 → 1"))

        fake.setDynos([("worker.1", "up"), ("worker.2", "up")])
        fake.state.withLock { $0.quantity["worker"] = 2 }
        h.say("/conflicts")
        #expect(await h.waitForText("2 dynos of worker are running on Heroku"))
        h.press(0)
        #expect(await h.waitForText("formation quantity 2 → 1"))
        #expect(fake.state.current.quantity["worker"] == 1)

        for r in fake.requests.current where !r.path.hasPrefix("/stream/") {
            #expect(PlatformSchemas.herokuProblem(method: r.method, path: r.path, body: r.body) == nil, "\(r.method) \(r.path)")
        }
        let everything = (h.texts() + h.texts("editMessageText")).joined(separator: "\n") + h.log.lines.joined(separator: "\n")
        #expect(!everything.contains(PlatformTest.herokuToken))
        #expect(await h.shutdown() == 0)
    }

    @Test func aSlowPlatformDelaysNoOtherCommand() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-e2e-slow-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try PlatformTest.herokuToken.write(toFile: dir + "/heroku.key", atomically: true, encoding: .utf8)
        fake.setDynos([("worker.1", "up")])
        fake.state.withLock { $0.delay = 3 }
        let h = try LoopHarness(dir: dir, extraConfig: """
        services:
          worker:
            backend: heroku
            heroku:
              app: habitbot
              token_file: heroku.key
              api_url: "\(fake.url)"
              timeout: 2s
              log_window: 1s
        """, shippedCommands: Self.commands)
        try h.start()
        h.say("/status")
        try await Task.sleep(nanoseconds: 200_000_000)
        let asked = Date()
        h.say("/ping")
        #expect(await h.waitForText("pong"))
        #expect(Date().timeIntervalSince(asked) < 1.5, "the slow platform held /ping")
        // /status answers too, within the request timeout, with the platform unknown rather than fine.
        #expect(await h.waitForText("no answer within 2 s", timeout: 6))
        #expect(await h.shutdown() == 0)
    }

    @Test func railwayConflictsWithOneReplicaPointOutsideThePlatform() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let bot = try Self.targetBot()
        defer { bot.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-e2e-railway-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try PlatformTest.railwayToken.write(toFile: dir + "/railway.token", atomically: true, encoding: .utf8)
        fake.state.withLock {
            $0.logs = [(FakeHeroku.iso(Date().addingTimeInterval(-30)), "ERROR - Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")]
        }
        let h = try LoopHarness(dir: dir, extraConfig: """
        services:
          worker:
            backend: railway
            railway:
              project_id: proj-1111
              environment_id: env-2222
              service_id: svc-3333
              token_file: railway.token
              api_url: "\(fake.url)"
            bot: true
        target_bot:
          token_env: OPSBOT_E2E_TARGET_TOKEN
          api_url: "http://127.0.0.1:\(bot.port)"
        """, shippedCommands: Self.commands, environment: ["OPSBOT_E2E_TARGET_TOKEN": Self.botToken])
        try h.start()
        h.say("/conflicts")
        #expect(await h.waitForText("1 replica of worker running on Railway"))
        #expect(await h.waitForText("only 1 replica runs on Railway, so the other poller is outside the platform"))
        #expect(await h.waitForText("webhook: not set"))
        #expect(bot.seen.contains { $0.contains("getWebhookInfo") })
        #expect(h.latestButtons() == nil)
        let everything = (h.texts() + h.texts("editMessageText")).joined(separator: "\n")
        #expect(!everything.contains(PlatformTest.railwayToken) && !everything.contains(Self.botToken))
        #expect(await h.shutdown() == 0)
    }
}
