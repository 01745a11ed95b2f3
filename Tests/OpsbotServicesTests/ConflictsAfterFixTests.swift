import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// Issue 19 items 3, 4 and 15: every `/conflicts` fix starts a fresh window for the conflict
/// pattern — and for no other pattern — and the diagnosis that follows reads only lines from
/// after the fix.
@Suite struct ConflictsAfterFixTests {
    static func conflict(_ at: Date, dyno: String) -> String {
        "\(FakeHeroku.logStamp(at)) app[\(dyno)]: ERROR - aiogram: Conflict: terminated by other getUpdates request; make sure that only one bot instance is running\n"
    }

    static func conflictCheck(_ app: AppContext) async throws -> CheckResult {
        try #require(await app.checks.named("logs")!.run(app).first { $0.target == "worker:conflict" })
    }

    @Test func scaleToOneStartsAFreshWindowAndTheDiagnosisReadsOnlyLinesAfterIt() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let bot = try PlatformConflictsTests.targetBot()
        defer { bot.stop() }
        let now = Date()
        fake.setDynos([("worker.1", "up"), ("worker.2", "up")])
        fake.state.withLock {
            $0.quantity["worker"] = 2
            $0.logBody = Self.conflict(now.addingTimeInterval(-60), dyno: "worker.2") + Self.conflict(now.addingTimeInterval(-30), dyno: "worker.1")
        }
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url) + PlatformConflictsTests.targetYAML(bot),
                                       environment: ["HEROKU_API_KEY": PlatformTest.herokuToken, "BOT_TOKEN": PlatformConflictsTests.botToken])
        #expect(try await Self.conflictCheck(app).status == .critical)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        #expect(HTML.toPlainText(await plan.run(NoProgress()).html).contains("formation quantity 2 → 1"))

        // Item 3: the two lines came from before the fix; /status no longer shows the conflict.
        let after = try await Self.conflictCheck(app)
        #expect(after.status == .ok, "\(after.summary)")

        // Item 4: one dyno runs now, but the lines are the removed dyno's: no "outside poller".
        let text = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(text.contains("✅ 1 dyno of worker running on Heroku"), "\(text)")
        #expect(text.contains("no “Conflict: terminated by other getUpdates request” in the log since the last fix"), "\(text)")
        #expect(text.contains("2 from before it no longer count"), "\(text)")
        #expect(!text.contains("outside the platform"), "\(text)")

        // The removed dyno logged once more while it stopped: still not an outside poller.
        fake.state.withLock { $0.logBody += Self.conflict(Date().addingTimeInterval(1), dyno: "worker.2") }
        let tail = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(tail.contains("1 of them from worker.2, which no longer runs"), "\(tail)")
        #expect(!tail.contains("outside the platform"), "\(tail)")

        // The dyno that runs is kicked after the fix: now the other poller is outside Heroku.
        fake.state.withLock { $0.logBody += Self.conflict(Date().addingTimeInterval(2), dyno: "worker.1") }
        let outside = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(outside.contains("conflict lines since the last fix"), "\(outside)")
        #expect(outside.contains("only 1 dyno runs on Heroku, so the other poller is outside the platform"), "\(outside)")
    }

    @Test func aSecretAcrossTheCutIsMaskedBeforeTheLineIsCut() async throws {
        let secret = "s3cr3t-pass-0123456789"
        let dir = ServicesTest.dir()
        let head = "\(ServicesTest.stamp()) - ERROR - Conflict: terminated by other getUpdates request; dsn=postgres://bot:"
        // The secret starts 10 characters before the 250-character cut.
        try ServicesTest.write("\(dir)/w.log", head + String(repeating: "y", count: 240 - head.count) + secret + "@db/app\n")
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            log_file: \(dir)/w.log
            bot: true
        service_options:
          mask_env: [DB_PASSWORD]
        """, environment: ["DB_PASSWORD": secret])
        let text = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(text.contains("conflict lines in the last 15 min"), "\(text)")
        #expect(!text.contains(String(secret.prefix(8))), "\(text)")
    }

    @Test func aConflictFixRestartsOnlyTheConflictPatternsWindow() async throws {
        let token = "987654321:AAF" + String(repeating: "x", count: 32)
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/bot\(token)/getMe", .json(#"{"ok":true,"result":{"id":1,"is_bot":true,"username":"shop_bot"}}"#))
        server.route("/bot\(token)/getWebhookInfo", .json(#"{"ok":true,"result":{"url":"https://stale.example.com/wh","pending_update_count":0}}"#))
        server.route("/bot\(token)/deleteWebhook", .json(#"{"ok":true,"result":true}"#))
        let dir = ServicesTest.dir()
        let then = ServicesTest.stamp(Date().addingTimeInterval(-60))
        try ServicesTest.write("\(dir)/w.log", """
        \(then) - ERROR - Conflict: terminated by other getUpdates request; make sure that only one bot instance is running
        \(then) - ERROR - create_payment failed: provider timeout

        """)
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            log_file: \(dir)/w.log
            bot: true
            log_patterns:
              - {name: payment_failed, regex: 'create_payment failed', window: 15m, warn: 1, critical: 1}
        target_bot:
          token_env: BOT_TOKEN
          api_url: "http://127.0.0.1:\(server.port)"
        """, environment: ["BOT_TOKEN": token])
        let before = await app.checks.named("logs")!.run(app)
        #expect(before.first { $0.target == "worker:conflict" }?.status == .critical)
        #expect(before.first { $0.target == "worker:payment_failed" }?.status == .critical)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        #expect(HTML.toPlainText(await plan.run(NoProgress()).html) == "✅ webhook deleted")
        let after = await app.checks.named("logs")!.run(app)
        #expect(after.first { $0.target == "worker:conflict" }?.status == .ok)
        // The payment failure has nothing to do with the webhook: it keeps firing, no false "resolved".
        #expect(after.first { $0.target == "worker:payment_failed" }?.status == .critical)
    }
}
