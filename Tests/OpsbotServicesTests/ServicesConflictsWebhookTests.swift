import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotApp
@testable import OpsbotServices

@Suite struct ServicesConflictsWebhookTests {
    static let token = "987654321:AAF" + String(repeating: "z", count: 32)

    @Test func strayWebhookIsExplainedAndDeletedAfterConfirmation() async throws {
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/bot\(Self.token)/getMe", .json(#"{"ok":true,"result":{"id":1,"is_bot":true,"username":"shop_bot"}}"#))
        server.route("/bot\(Self.token)/getWebhookInfo", .json(#"{"ok":true,"result":{"url":"https://stale.example.com/wh","pending_update_count":3,"last_error_message":"Wrong response from the webhook: 502 Bad Gateway","last_error_date":1795428000}}"#))
        server.route("/bot\(Self.token)/deleteWebhook", .json(#"{"ok":true,"result":true}"#))
        let dir = ServicesTest.dir()
        let now = Date()
        try ServicesTest.write("\(dir)/w.log", "\(ServicesTest.stamp(now)) - ERROR - Conflict: terminated by other getUpdates request; make sure that only one bot instance is running\n")
        let yaml = """
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            log_file: \(dir)/w.log
            bot: true
        target_bot:
          token_env: BOT_TOKEN
          api_url: "http://127.0.0.1:\(server.port)"
        """
        let app = try ServicesTest.app(yaml, environment: ["BOT_TOKEN": Self.token])
        let outcome = try await ServicesTest.run(app, "/conflicts")
        let plan = try #require(ServicesTest.plan(outcome))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("a webhook is set (https://stale.example.com/wh) while the bot polls"))
        #expect(preview.contains("conflict lines in the last 15 min"))
        #expect(!preview.contains(Self.token))
        #expect(!server.seen.contains { $0.contains("deleteWebhook") })
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done == "✅ webhook deleted")
        #expect(server.seen.contains("POST /bot\(Self.token)/deleteWebhook"))
    }

    @Test func restartsInTheLastHourFromCountersOrStartTimes() throws {
        let settings = try ServicesSettings.load(try OpsbotConfig.parse("services:\n  a: {backend: command, status_command: [x]}\n  b: {backend: command, status_command: [x]}\n", source: "t", baseDirectory: "/"))
        let m = ServiceManager(settings: settings, environment: [:])
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(m.restartsLastHour("a", now: now) == nil)
        for (i, counter) in [3, 3, 5, 9].enumerated() {   // NRestarts grows by 6 within the hour
            m.record("a", ServiceStatus(state: .running, detail: "", restartCounter: counter), at: now.addingTimeInterval(Double(i - 3) * 600))
        }
        #expect(m.restartsLastHour("a", now: now) == 6)
        for (i, start) in [100.0, 100, 700, 1300].enumerated() {   // process backend: start time changed twice
            m.record("b", ServiceStatus(state: .running, detail: "", startedAt: Date(timeIntervalSince1970: start)), at: now.addingTimeInterval(Double(i - 3) * 600))
        }
        #expect(m.restartsLastHour("b", now: now) == 2)
    }
}
