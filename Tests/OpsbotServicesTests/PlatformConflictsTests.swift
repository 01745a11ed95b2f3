import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// `/conflicts` and `/status` when the bot runs on a platform, or on a backend that cannot
/// count its copies: unknown is never 0 and never ✅.
@Suite struct PlatformConflictsTests {
    static let botToken = "987654321:AAF" + String(repeating: "k", count: 32)

    static func targetBot() throws -> RoutedHTTPServer {
        let s = try RoutedHTTPServer()
        s.route("/bot\(botToken)/getMe", .json(#"{"ok":true,"result":{"id":1,"is_bot":true,"username":"habit_bot"}}"#))
        s.route("/bot\(botToken)/getWebhookInfo", .json(#"{"ok":true,"result":{"url":"","pending_update_count":0}}"#))
        return s
    }

    static func targetYAML(_ s: RoutedHTTPServer) -> String {
        "target_bot:\n  token_env: BOT_TOKEN\n  api_url: \"http://127.0.0.1:\(s.port)\"\n"
    }

    @Test func twoDynosAreCountedAndScaledToOneAfterConfirmation() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let bot = try Self.targetBot()
        defer { bot.stop() }
        fake.setDynos([("worker.1", "up"), ("worker.2", "up")])
        fake.state.withLock { $0.quantity["worker"] = 2; $0.logBody = "" }
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url) + Self.targetYAML(bot),
                                       environment: ["HEROKU_API_KEY": PlatformTest.herokuToken, "BOT_TOKEN": Self.botToken])
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("2 dynos of worker are running on Heroku"))
        #expect(preview.contains("heroku ps:scale worker=1"))
        #expect(preview.contains("webhook: not set"))
        #expect(bot.seen.contains { $0.contains("getWebhookInfo") })
        #expect(!fake.requests.current.contains { $0.method == "PATCH" })
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.contains("formation quantity 2 → 1"), "\(done)")
        #expect(fake.state.current.quantity["worker"] == 1)
    }

    @Test func oneReplicaWithConflictLinesPointsOutsideThePlatform() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let bot = try Self.targetBot()
        defer { bot.stop() }
        let now = Date()
        fake.state.withLock {
            $0.logs = [(FakeHeroku.iso(now.addingTimeInterval(-60)), "ERROR - TelegramConflictError: Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")]
        }
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url) + Self.targetYAML(bot),
                                       environment: ["RAILWAY_TOKEN": PlatformTest.railwayToken, "BOT_TOKEN": Self.botToken])
        let reply = try #require(ServicesTest.reply(try await ServicesTest.run(app, "/conflicts")))
        let text = HTML.toPlainText(reply.html)
        #expect(text.contains("✅ 1 replica of worker running on Railway"))
        #expect(text.contains("conflict lines in the last 15 min"))
        #expect(text.contains("only 1 replica runs on Railway, so the other poller is outside the platform"))
    }

    @Test func commandBackendWithoutInstancesCommandIsUnknownNotZero() async throws {
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            bot: true
        """)
        let text = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(text.contains("❔ instances: unknown (the command backend has no instances_command)"))
        #expect(!text.contains("✅ 0"))
        let m = try app.servicesFeature.manager()
        let report = await StatusCollector.collect(m, parts: .services)
        let inst = try #require(report.checks.first { $0.check == "instances" })
        #expect(inst.status == .unknown)
        #expect(inst.summary.contains("instances: unknown"))
        let status = StatusModule.render(report)
        #expect(status.contains("instances ?"))
    }

    @Test func commandBackendInstancesAndEnvCommands() async throws {
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/machines", "#!/bin/sh\necho 'machine 3d8d9 started ams'\necho 'machine 7a1b2 started fra'\n", executable: true)
        try ServicesTest.write("\(dir)/secrets", "#!/bin/sh\necho 'TELEGRAM_BOT_TOKEN=123456789:AAF\(String(repeating: "w", count: 32))'\necho 'ENCRYPTION_SECRET=tooshort'\n", executable: true)
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            instances_command: [\(dir)/machines]
            env_command: [\(dir)/secrets]
            bot: true
            env:
              rules:
                - {name: ENCRYPTION_SECRET, format: bytes, length: 32}
        """)
        let text = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(text.contains("2 instances running"))
        #expect(text.contains("machine 7a1b2 started fra"))
        let report = await StatusCollector.collect(try app.servicesFeature.manager(), parts: .services)
        #expect(report.checks.first { $0.check == "instances" }?.status == .critical)
        let env = ServicesTest.text(try await ServicesTest.run(app, "/env worker"))
        #expect(env.contains("🔴 ENCRYPTION_SECRET"))
        #expect(!env.contains("tooshort"))
    }

    @Test func scaleIsRefusedOnHostBackends() async throws {
        let app = try ServicesTest.app("services:\n  worker: {backend: command, status_command: [/bin/true]}\n")
        let text = ServicesTest.text(try await ServicesTest.run(app, "/scale worker 1"))
        #expect(text.contains("no replica count to set"))
        let redeploy = ServicesTest.text(try await ServicesTest.run(app, "/redeploy worker"))
        #expect(redeploy.contains("has no redeploy"))
    }
}
