import Foundation
import Testing
import Alerting
import MetricsTestKit
import OpsbotCore
import SystemOps
import TelegramBotAPI
import TestHarness
@testable import OpsbotApp
@testable import OpsbotHTTPListener

/// The HTTP listener: the Alertmanager webhook (bearer token, immediate poll), /healthz,
/// /metrics checked by promtool, and counters through MetricsTestKit.
@Suite(.serialized, .exclusive, .enabled(if: TestAlertmanager.enabled)) struct HTTPListenerTests {
    static func tokenFile(_ token: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-hook-\(UUID().uuidString)").path
        try (token + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The app's background (alert worker + Alertmanager poll loop) and a listener on a free port.
    static func running(_ h: AlertmanagerHarness) throws -> (Task<Void, Never>, HTTPListener) {
        let bg = Task { await Runtime.runBackground(h.app) }
        let l = try h.app.httpFeature.start(h.app, .init(host: "127.0.0.1", port: 0))
        return (bg, l)
    }

    @Test func webhookTriggersAPollAndAMessageWithinOneSecondWrongBearerGets401AndNoPoll() async throws {
        let token = "s3cret-\(UUID().uuidString)"
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync(),
                                              extra: "  webhook_token_file: \(try Self.tokenFile(token))")
        let (bg, l) = try Self.running(h)
        defer { bg.cancel(); l.stop() }
        #expect(await until { h.source.lastPoll != nil }, "the first poll at start")
        let firstPoll = try #require(h.source.lastPoll).at
        try await h.am.fire(h.labels("WebhookWoke"))

        // Wrong token (and none): 401, and no poll.
        for auth in ["Bearer wrong", "", "Bearer \(token)x", "Basic \(token)"] {
            let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "POST", path: "/alertmanager",
                                                                 headers: auth.isEmpty ? [:] : ["Authorization": auth], body: Data("{}".utf8)) }
            #expect(r.status == 401, "\(auth)")
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(h.source.lastPoll?.at == firstPoll, "a refused webhook polls nothing")
        #expect(!h.transport.texts.contains { $0.contains("WebhookWoke") })

        // Right token: answered at once, poll now, message within 1 s (poll: 60s).
        let started = Date()
        let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "POST", path: "/alertmanager",
                                                             headers: ["Authorization": "Bearer \(token)"], body: Data(#"{"version":"4","alerts":[]}"#.utf8)) }
        #expect(r.status == 202)
        #expect(await until(5) { h.transport.texts.contains { $0.contains("WebhookWoke") && $0.contains(h.run) } })
        let took = Date().timeIntervalSince(started)
        #expect(took < 1.0, "message \(took) s after the webhook")
        try await h.am.resolve(h.labels("WebhookWoke"))
    }

    /// Issue 19 item 10: the webhook wakes the evaluation, not only the poll. On a manual clock
    /// that never reaches the next alert tick, the message still goes out.
    @Test func webhookWakesTheEvaluationWithoutWaitingForTheTick() async throws {
        let clock = ManualClock(Date())
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync(), clock: clock)
        let (bg, l) = try Self.running(h)
        defer { bg.cancel(); l.stop() }
        // The poll loop: the first poll, a 200 ms pause, then it waits for the webhook (or `poll: 60s`).
        @Sendable func asked(_ matching: @escaping (Duration) -> Bool) -> Int { clock.requestedSleeps.filter(matching).count }
        let pause: @Sendable (Duration) -> Bool = { $0 == .milliseconds(200) }
        let pollWait: @Sendable (Duration) -> Bool = { $0 > .seconds(59) && $0 < .seconds(60) }
        #expect(await until { h.source.lastPoll != nil && asked(pause) >= 1 }, "the first poll at start, then the pause")
        let waits = asked(pollWait)
        clock.advance(by: 0.2)
        #expect(await until { asked(pollWait) > waits }, "the poll loop waits for the webhook")
        try await h.am.fire(h.labels("WokeTheEvaluation"))
        let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "POST", path: "/alertmanager", body: Data("{}".utf8)) }
        #expect(r.status == 202)
        #expect(await until(5) { h.transport.texts.contains { $0.contains("WokeTheEvaluation") && $0.contains(h.run) } },
                "sent with the clock short of the next tick: \(h.transport.texts)")
        try await h.am.resolve(h.labels("WokeTheEvaluation"))
    }

    /// The README's receiver config, for real: Alertmanager's own webhook (bearer from a
    /// credentials file) wakes opsbot's poll, so a new alert reaches the chat long before `poll: 60s`.
    @Test func realAlertmanagerWebhookWakesThePoll() async throws {
        let token = "hook-\(UUID().uuidString)"
        let file = try Self.tokenFile(token)
        let listenerPort = try await runBlocking { () throws -> Int in
            let l = HTTPListener(host: "127.0.0.1", port: 0) { _ in .init(status: 404, body: "") }
            try l.start()
            defer { l.stop() }
            return Int(l.port)
        }
        let am = try await runBlocking { try TestAlertmanager.start(receiverYAML: """
                webhook_configs:
                  - url: http://127.0.0.1:\(listenerPort)/alertmanager
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials_file: \(file)
            """) }
        defer { am.stop() }
        let h = try await AlertmanagerHarness(am, extra: "  webhook_token_file: \(file)")
        let bg = Task { await Runtime.runBackground(h.app) }
        let l = try h.app.httpFeature.start(h.app, .init(host: "127.0.0.1", port: UInt16(listenerPort)))
        defer { bg.cancel(); l.stop() }
        #expect(await until { h.source.lastPoll != nil })
        try await Task.sleep(for: .milliseconds(300))
        try await am.fire(h.labels("PagedByWebhook"))
        #expect(await until(10) { h.transport.texts.contains { $0.contains("PagedByWebhook") } }, "\(h.transport.texts)")
    }

    @Test func bodiesAreCappedAndUnknownPathsAre404() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        let l = try h.app.httpFeature.start(h.app, .init(host: "127.0.0.1", port: 0))
        defer { l.stop() }
        let big = Data(repeating: UInt8(ascii: "x"), count: 300 * 1024)
        let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "POST", path: "/alertmanager", body: big) }
        #expect(r.status == 413)
        let nf = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/nope") }
        #expect(nf.status == 404)
        let hz = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/healthz") }
        #expect(hz.status == 200 && String(decoding: hz.body, as: UTF8.self).hasPrefix("ok"))
    }

    @Test func metricsPassPromtoolAndCarryTheDocumentedSeries() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        await h.round()
        await h.say("/ping")
        let l = try h.app.httpFeature.start(h.app, .init(host: "127.0.0.1", port: 0))
        defer { l.stop() }
        let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/metrics") }
        #expect(r.status == 200)
        let text = String(decoding: r.body, as: UTF8.self)
        for series in ["opsbot_build_info", "opsbot_alertmanager_polls_total{result=\"ok\"}", "opsbot_commands_total{", "opsbot_command_duration_seconds_bucket",
                       "opsbot_alerts_firing{severity=\"critical\"}", "opsbot_outbox_pending", "opsbot_outbox_oldest_age_seconds",
                       "opsbot_process_resident_memory_bytes", "opsbot_process_cpu_seconds_total", "opsbot_process_open_fds"] {
            #expect(text.contains(series), "missing \(series)")
        }
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if ProcessInfo.processInfo.environment["CI"] == "true" { try #require(promtool != nil, "promtool (package prometheus) is required under CI=true") }
        guard let promtool else {
            FileHandle.standardError.write(Data("!! promtool not found (apt-get install prometheus): SKIPPING promtool check metrics\n".utf8))
            return
        }
        let out = try await ProcessRunner.run([promtool, "check", "metrics"], timeout: 30, stdin: r.body)
        #expect(out.succeeded, "promtool: \(out.stdout) \(out.stderr)")
    }

    @Test func countersThroughMetricsTestKit() async throws {
        let test = TestMetrics()
        // Scoped to this test's task: other tests running meanwhile count elsewhere.
        try await OpsMetrics.$scoped.withValue(OpsMetrics(factory: test)) {
            let am = try await runBlocking { try TestAlertmanager.start() }
            let token = "tok-\(UUID().uuidString)"
            let h = try await AlertmanagerHarness(am, extra: "  webhook_token_file: \(try Self.tokenFile(token))")
            await h.round()
            await h.say("/ping")
            await h.say("/nosuchcommand")
            let l = try h.app.httpFeature.start(h.app, .init(host: "127.0.0.1", port: 0))
            defer { l.stop() }
            _ = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "POST", path: "/alertmanager", headers: ["Authorization": "Bearer no"]) }
            am.stop()
            await h.round()
            #expect(try test.expectCounter("opsbot_alertmanager_polls_total", [("result", "ok")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_alertmanager_polls_total", [("result", "error")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_alertmanager_webhooks_total", [("result", "unauthorized")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_commands_total", [("command", "ping"), ("outcome", "replied")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_commands_total", [("command", "unknown"), ("outcome", "unknown")]).totalValue == 1,
                    "an unknown command's name is not a label value")
            #expect(try test.expectTimer("opsbot_command_duration_seconds", [("command", "ping")]).values.count == 1)
        }
    }

    @Test func telegramRequestsCountedByMethodAndResultClass() async throws {
        let test = TestMetrics()
        // Scoped to this test's task: other tests running meanwhile count elsewhere.
        try await OpsMetrics.$scoped.withValue(OpsMetrics(factory: test)) {
            let token = "123456789:" + "AAMetricsTestTokenxxxxxxxxxxxxxxxxxx"
            let fake = try FakeBotAPI(token: token)
            defer { fake.stop() }
            let api = BotAPI(baseURL: fake.baseURL, token: token, observer: OpsMetrics.botAPIObserver)
            _ = try await api.getMe()
            fake.failNext(method: "sendMessage", status: 429, description: "Too Many Requests: retry after 1", retryAfter: 1)
            fake.failNext(method: "getMe", status: 409, description: "Conflict: terminated by other getUpdates request")
            fake.failNext(method: "getMe", status: 502, description: "Bad Gateway")
            _ = try? await api.sendMessage(chatID: 1, text: "x")
            _ = try? await api.getMe()
            _ = try? await api.getMe()
            let down = BotAPI(baseURL: "http://127.0.0.1:1", token: token, observer: OpsMetrics.botAPIObserver)
            _ = try? await down.getMe()
            #expect(try test.expectCounter("opsbot_telegram_requests_total", [("method", "getMe"), ("result", "ok")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_telegram_requests_total", [("method", "sendMessage"), ("result", "429")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_telegram_requests_total", [("method", "getMe"), ("result", "409")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_telegram_requests_total", [("method", "getMe"), ("result", "5xx")]).totalValue == 1)
            #expect(try test.expectCounter("opsbot_telegram_requests_total", [("method", "getMe"), ("result", "network")]).totalValue == 1)
        }
    }

    @Test func listenIsOffUnlessConfiguredAndBadValuesAreNamed() throws {
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [-100]\n  users: [1]\ncommands_dir: Commands\n")
        #expect(try HTTPListenerFeature.address(app.config) == nil)
        let bad = try OpsbotConfig.parse("listen: localhost:99999\n", source: "t.yaml", baseDirectory: "/")
        let errors = HTTPListenerFeature.validate(bad)
        #expect(errors.count == 1 && errors[0].description.contains("listen"), "\(errors)")
        let ok = try OpsbotConfig.parse("listen: 127.0.0.1:9464\n", source: "t.yaml", baseDirectory: "/")
        #expect(try HTTPListenerFeature.address(ok) == .init(host: "127.0.0.1", port: 9464))
    }

    /// Idle connections hold one thread each until the read deadline; they never stall the
    /// accept loop, and beyond the cap the answer is a quick 503, not a hang.
    @Test func idleConnectionsNeitherStallNorPileUp() async throws {
        let l = HTTPListener(host: "127.0.0.1", port: 0) { _ in .init(status: 200, body: "ok\n") }
        // Long enough that a stalled (loaded) machine does not free the idle ones before the 17th arrives.
        l.readTimeout = 6
        try l.start()
        defer { l.stop() }
        func idle() -> Int32 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = l.port.bigEndian
            inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
            _ = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            return fd
        }
        let held = (0..<15).map { _ in idle() }
        defer { held.forEach { close($0) } }
        try await Task.sleep(for: .milliseconds(200))
        let started = Date()
        let ok = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/healthz") }
        #expect(ok.status == 200 && Date().timeIntervalSince(started) < 1)
        let more = idle()
        defer { close(more) }
        try await Task.sleep(for: .milliseconds(200))
        let busy = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/healthz") }
        #expect(busy.status == 503, "the 17th connection at once is refused")
        try await Task.sleep(for: .milliseconds(6500))   // the read deadline frees them
        let again = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/healthz") }
        #expect(again.status == 200)
    }

    @Test func healthzFollowsTelegramPolling() async throws {
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [-100]\n  users: [1]\ncommands_dir: Commands\ntelegram:\n  poll_timeout: 30\n")
        let l = try app.httpFeature.start(app, .init(host: "127.0.0.1", port: 0))
        defer { l.stop() }
        func get() async throws -> (Int, String) {
            let r = try await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(l.port), method: "GET", path: "/healthz") }
            return (r.status, String(decoding: r.body, as: UTF8.self))
        }
        app.pollingHealth.succeeded(at: Date().addingTimeInterval(-5))
        #expect(try await get().0 == 200)
        app.pollingHealth.succeeded(at: Date().addingTimeInterval(-300))   // > poll_timeout + 60 s
        let (status, body) = try await get()
        #expect(status == 503 && body.contains("getUpdates"), "\(body)")
    }

    @Test func constantTimeCompare() {
        #expect(constantTimeEquals("abc", "abc"))
        #expect(!constantTimeEquals("abd", "abc"))
        #expect(!constantTimeEquals("ab", "abc"))
        #expect(!constantTimeEquals("abcd", "abc"))
        #expect(!constantTimeEquals("", "abc"))
    }
}

/// The shipped Prometheus rules for opsbot itself: valid, and about series opsbot exports.
@Suite struct ShippedPrometheusRulesTests {
    @Test func promtoolAcceptsThemAndTheyUseExportedMetrics() async throws {
        let path = TestApp.repositoryRoot + "/deploy/prometheus/opsbot-alerts.yml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for name in ["opsbot_outbox_oldest_age_seconds", "opsbot_telegram_last_poll_success_timestamp_seconds", "opsbot_telegram_requests_total",
                     "opsbot_alertmanager_polls_total"] {
            #expect(text.contains(name) && OpsMetrics.help[name] != nil, "\(name)")
        }
        for alert in ["OpsbotDown", "OpsbotOutboxStuck", "OpsbotNoUpdates"] { #expect(text.contains("alert: \(alert)")) }
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if ProcessInfo.processInfo.environment["CI"] == "true" { try #require(promtool != nil, "promtool is required under CI=true") }
        guard let promtool else {
            FileHandle.standardError.write(Data("!! promtool not found (apt-get install prometheus): SKIPPING promtool check rules\n".utf8))
            return
        }
        let out = try await ProcessRunner.run([promtool, "check", "rules", path], timeout: 30)
        #expect(out.succeeded && out.stdout.contains("SUCCESS"), "\(out.stdout) \(out.stderr)")
    }
}
