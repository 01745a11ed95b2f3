import Foundation
import OpsbotCore
import OpsbotSupport
import SystemOps
import Testing
import TestHarness
@testable import OpsbotApp
@testable import OpsbotHTTPListener

/// The real `opsbot run` binary with `listen:` and a real Alertmanager, against the loopback
/// Bot API: the webhook brings the alert to the chat with its buttons, and /metrics and
/// /healthz answer from the running process.
@Suite(.enabled(if: TestAlertmanager.enabled)) struct AlertmanagerBinaryTests {
    @Test func runWithListenerAndAlertmanager() async throws {
        let am = try await runBlocking { try TestAlertmanager.start() }
        defer { am.stop() }
        let token = "123456789:" + "AABinaryAMTokenxxxxxxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-bin-am-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "hook-secret\n".write(toFile: dir + "/hook", atomically: true, encoding: .utf8)
        let port = try await runBlocking { () throws -> Int in
            let l = HTTPListener(host: "127.0.0.1", port: 0) { _ in .init(status: 404, body: "") }
            try l.start()
            defer { l.stop() }
            return Int(l.port)
        }
        try """
        admins:
          chats: [-5]
          users: [5]
        state_dir: state
        commands_dir: \(TestApp.repositoryRoot)/Commands
        telegram:
          poll_timeout: 20
        alerts:
          checks: {alertmanager: 60}
        listen: 127.0.0.1:\(port)
        alertmanager:
          url: \(am.url)
          poll: 60s
          webhook_token_file: hook
        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL", "OPSBOT_API_URL"] { env.removeValue(forKey: k) }
        env["OPSBOT_TOKEN"] = token
        env["OPSBOT_API_URL"] = fake.baseURL
        let pid = try ProcessRunner.spawnDetached([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/out.log", environment: env)
        defer { kill(pid, SIGKILL); var s: Int32 = 0; waitpid(pid, &s, 0) }
        #expect(await fake.waitFor(method: "setMyCommands", timeout: 20))
        func http(_ method: String, _ path: String, auth: String? = nil) async throws -> (status: Int, body: String) {
            let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: port, method: method, path: path,
                                                                 headers: auth.map { ["Authorization": "Bearer \($0)"] } ?? [:], body: Data("{}".utf8)) }
            return (r.status, String(decoding: r.body, as: UTF8.self))
        }
        var up = false
        for _ in 0..<100 where !up {
            up = ((try? await http("GET", "/healthz"))?.status == 200)
            if !up { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(up, "the listener answers /healthz")
        try await Task.sleep(for: .milliseconds(500))   // the first poll (empty) is done

        try await am.fire(["alertname": "BinaryPaged", "instance": "db1:9187", "severity": "critical"],
                          annotations: ["summary": "replication lag 300 s", "opsbot_remediation": "/status"])
        #expect(try await http("POST", "/alertmanager", auth: "wrong").status == 401)
        #expect(try await http("POST", "/alertmanager", auth: "hook-secret").status == 202)
        let deadline = Date().addingTimeInterval(10)
        var call: FakeBotCall?
        while call == nil && Date() < deadline {
            call = fake.calls("sendMessage").first { $0.text?.contains("BinaryPaged") == true }
            if call == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let sent = try #require(call, "\(fake.calls("sendMessage").map { $0.text ?? "" })")
        #expect(sent.chatID == -5 && sent.text?.contains("replication lag 300 s") == true)
        let markup = sent.fields["reply_markup"] ?? ""
        #expect(markup.contains("a:k:") && markup.contains("a:m:") && markup.contains("a:r:"), "Acknowledge, Mute and the remediation button: \(markup)")

        // The fake has the call before opsbot has read its answer and counted it: scrape until counted.
        var metrics = try await http("GET", "/metrics")
        func telegramLines() -> [Substring] { metrics.body.split(separator: "\n").filter { $0.hasPrefix("opsbot_telegram_requests_total{") } }
        for _ in 0..<50 where !telegramLines().contains(where: { $0.contains(#"method="sendMessage""#) && $0.contains(#"result="ok""#) }) {
            try await Task.sleep(for: .milliseconds(100))
            metrics = try await http("GET", "/metrics")
        }
        #expect(metrics.status == 200)
        let telegram = telegramLines()
        #expect(telegram.contains { $0.contains(#"method="setMyCommands""#) && $0.contains(#"result="ok""#) }, "\(telegram)")
        #expect(telegram.contains { $0.contains(#"method="sendMessage""#) && $0.contains(#"result="ok""#) }, "\(telegram)")
        #expect(metrics.body.contains(#"opsbot_alertmanager_webhooks_total{result="unauthorized"} 1"#))
        #expect(metrics.body.contains(#"opsbot_alerts_firing{severity="critical"} 1"#))
        let log = (try? String(contentsOfFile: dir + "/out.log", encoding: .utf8)) ?? ""
        #expect(!log.contains(token) && !metrics.body.contains(token), "the token appears nowhere")
    }
}
