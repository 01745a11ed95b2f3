import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// /status and the check providers against loopback HTTP servers that answer 200, 503,
/// slowly, or never; and the target bot through a fake Bot API.
@Suite(.exclusive) struct ServicesStatusTests {
    static let token = "123456789:AAH" + String(repeating: "x", count: 32)

    @Test func hungEndpointDelaysNothingAndProblemsComeFirst() async throws {
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/healthz", .ok())
        server.route("/bad", .status(503, "down"))
        server.route("/slow", .slow(0.6))
        server.route("/hang", .never)
        server.route("/bot\(Self.token)/getMe", .json(#"{"ok":true,"result":{"id":1,"is_bot":true,"username":"shop_bot"}}"#))
        server.route("/bot\(Self.token)/getWebhookInfo", .json(#"{"ok":true,"result":{"url":"https://old.example.com/hook","pending_update_count":12}}"#))
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/ok.sh", "exit 0", executable: true)
        let yaml = """
        services:
          web:
            backend: command
            status_command: [/bin/sh, \(dir)/ok.sh]
            health:
              - {name: direct, url: "\(server.url("/healthz"))", timeout: 2s}
              - {name: nginx, url: "\(server.url("/bad"))", timeout: 2s}
              - {name: slow, url: "\(server.url("/slow"))", timeout: 2s, slow: 300ms}
              - {name: hung, url: "\(server.url("/hang"))", timeout: 1s}
        target_bot:
          token_env: TARGET_TOKEN
          api_url: "http://127.0.0.1:\(server.port)"
          timeout: 2s
        dependencies:
          - {name: local-api, url: "\(server.url("/healthz"))", timeout: 1s}
          - {name: closed-port, tcp: "127.0.0.1:1", timeout: 1s}
          - {name: nowhere, dns: "no-such-host.invalid", timeout: 2s}
        """
        let app = try ServicesTest.app(yaml, environment: ["TARGET_TOKEN": Self.token])
        let started = Date()
        let outcome = try await ServicesTest.run(app, "/status")
        let elapsed = Date().timeIntervalSince(started)
        // Run one after another these probes would take over 8 s; concurrently, about 2 s (the
        // longest timeout), with room for a loaded 2-core machine.
        #expect(elapsed < 4.0, "the hung endpoint (1 s timeout) held /status for \(elapsed) s")
        let html = try #require(ServicesTest.reply(outcome)).html
        let text = HTML.toPlainText(html)
        #expect(!html.contains(Self.token) && !text.contains("AAHxxxx"))
        // problems first: the summary line, then each problem before the compact table
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("6 problems"), "\(text)")  // 503, hung, slow, webhook, closed port, DNS
        #expect(text.contains("web:nginx 503"))
        #expect(text.contains("web:hung no answer within 1 s"))
        #expect(text.contains("web:slow slow"))
        #expect(text.contains("webhook is set (https://old.example.com/hook) while the bot polls"))
        #expect(text.contains("closed-port: connect failed"))
        #expect(text.contains("nowhere: does not resolve"))
        #expect(text.contains("bot: @shop_bot ok, webhook set, 12 pending"))
        let problemIndex = lines.firstIndex { $0.contains("web:nginx") }!
        let tableIndex = lines.firstIndex { $0.hasPrefix("web ") && $0.contains("running") }!
        #expect(problemIndex < tableIndex)
        #expect(text.contains("ok: web direct 200"))
        #expect(text.contains("ok: local-api ok"))
        // One line per area, problems first, within one phone screen.
        #expect(lines[1].hasPrefix("🔴 health:") && lines.contains { $0.hasPrefix("✅ bot: @shop_bot") })
        #expect(lines.count <= 25)
    }

    @Test func checkProvidersUseTheAlertEngineNames() async throws {
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/healthz", .status(503))
        server.route("/bot\(Self.token)/getMe", .json(#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#))
        let yaml = """
        services:
          web:
            backend: command
            status_command: [/bin/false]
            health: ["\(server.url("/healthz"))"]
        target_bot:
          token_env: TARGET_TOKEN
          api_url: "http://127.0.0.1:\(server.port)"
        """
        let app = try ServicesTest.app(yaml, environment: ["TARGET_TOKEN": Self.token])
        #expect(Set(app.checks.all.map(\.name)).isSuperset(of: ["services", "health", "disk", "dependencies", "target_bot", "logs"]))
        let svc = await app.checks.named("services")!.run(app)
        let down = try #require(svc.first { $0.check == "service_down" })
        #expect(down.target == "web" && down.status == .critical && down.remediation == "/restart web")
        let health = await app.checks.named("health")!.run(app)
        #expect(health.contains { $0.check == "health" && $0.target == "web:/healthz" && $0.status == .critical && $0.value == 503 })
        let bot = await app.checks.named("target_bot")!.run(app)
        let me = try #require(bot.first { $0.check == "target_bot" })
        #expect(me.status == .critical && me.summary.contains("401 Unauthorized"))
        #expect(!me.summary.contains(Self.token))
        let disk = await app.checks.named("disk")!.run(app)
        #expect(disk.contains { $0.check == "disk" && $0.target == "/" && $0.value != nil })
    }

    @Test func logPatternsHeartbeatAndMemoryTrend() async throws {
        let dir = ServicesTest.dir()
        let now = Date()
        var lines: [String] = []
        for i in 0..<60 {
            let t = now.addingTimeInterval(Double(i - 60) * 60)
            lines.append("\(ServicesTest.stamp(t)) - INFO - heartbeat ok")
            if i > 50 { lines.append("\(ServicesTest.stamp(t)) - ERROR - telegram.error.Conflict: Conflict: terminated by other getUpdates request; make sure that only one bot instance is running") }
            if i == 10 { lines.append("\(ServicesTest.stamp(t)) - ERROR - create_payment failed: timeout") }
        }
        try ServicesTest.write("\(dir)/w.log", lines.joined(separator: "\n") + "\n")
        try ServicesTest.write("\(dir)/stale.log", "\(ServicesTest.stamp(now.addingTimeInterval(-7200))) - INFO - scheduler tick\n")
        let yaml = """
        services:
          worker:
            backend: process
            match: 'nothing-matches-this-\(UUID().uuidString)'
            log_file: \(dir)/w.log
            bot: true
            heartbeat_marker: 'heartbeat ok'
            heartbeat_max_age: 5m
            log_patterns:
              - {name: payment_failed, regex: 'create_payment failed', window: 15m}
              - {name: payment_failed_2h, regex: 'create_payment failed', window: 2h, warn: 1, critical: 1}
          scheduler:
            backend: process
            match: 'nothing-matches-this-either'
            log_file: \(dir)/stale.log
            heartbeat_marker: 'scheduler tick'
            heartbeat_max_age: 10m
        """
        let app = try ServicesTest.app(yaml)
        let checks = await app.checks.named("logs")!.run(app)
        let conflict = try #require(checks.first { $0.target == "worker:conflict" })
        let m0 = try app.servicesFeature.manager()
        #expect(conflict.check == "log_pattern" && conflict.status == .critical && conflict.value == 9 && conflict.remediation == "/conflicts")
        #expect(conflict.evidence.count == 3)
        #expect(checks.first { $0.target == "worker:payment_failed" }?.status == .ok)
        #expect(checks.first { $0.target == "worker:payment_failed_2h" }?.status == .critical)
        #expect(checks.first { $0.check == "heartbeat" && $0.target == "worker" }?.status == .ok)
        let stale = try #require(checks.first { $0.check == "heartbeat" && $0.target == "scheduler" })
        #expect(stale.status == .critical && stale.remediation == "/restart scheduler")
        // Just (re)started: no heartbeat yet is not a failure until heartbeat_max_age has passed.
        let sched = try #require(try app.servicesFeature.manager().settings.service("scheduler"))
        let justStarted = StatusCollector.evaluate(sched, patterns: [], lines: [], now: now, startedAt: now.addingTimeInterval(-30))
        #expect(justStarted.first { $0.check == "heartbeat" }?.status == .ok)
        let longAgo = StatusCollector.evaluate(sched, patterns: [], lines: [], now: now, startedAt: now.addingTimeInterval(-3600))
        #expect(longAgo.first { $0.check == "heartbeat" }?.status == .critical)

        // Issue 8 item 5: after a fix (a successful /conflicts or /restart) the window starts
        // afresh — the conflict lines from before no longer count, so the alert can resolve.
        m0.startFreshLogWindow("worker", at: now.addingTimeInterval(-1))
        let fresh = await app.checks.named("logs")!.run(app)
        #expect(fresh.first { $0.target == "worker:conflict" }?.status == .ok)

        // Memory trend: 100 → 150 → 200 MB over an hour is a leak.
        let m = try app.servicesFeature.manager()
        for (i, mb) in [100, 125, 150, 175, 200].enumerated() {
            m.record("worker", ServiceStatus(state: .running, detail: "", memoryBytes: mb * 1_000_000, instances: 1), at: now.addingTimeInterval(Double(i - 4) * 900))
        }
        let trend = try #require(m.memoryTrend("worker", now: now))
        #expect(abs(trend.mbPerHour - 100) < 1)
        let rep = ServiceReport(config: m.settings.service("worker")!, status: ServiceStatus(state: .running, detail: "", instances: 1),
                                health: [], restartsLastHour: nil, memoryTrend: trend.mbPerHour, restarting: false)
        let growth = try #require(StatusCollector.serviceChecks(rep, m: m, now: now).first { $0.check == "memory_growth" })
        #expect(growth.status == .warning && growth.remediation == "/restart worker")

        // A crash loop caught in its second of running (seen live with dockerd): a fresh start with
        // the automatic-restart counter past restart_loop is the loop; an old start is not.
        func loop(upFor seconds: Double) -> CheckResult? {
            let st = ServiceStatus(state: .running, detail: "Up 1 second", startedAt: now.addingTimeInterval(-seconds), restartCounter: 7, instances: 1)
            let r = ServiceReport(config: m.settings.service("worker")!, status: st, health: [], restartsLastHour: nil, memoryTrend: nil, restarting: false)
            return StatusCollector.serviceChecks(r, m: m, now: now).first { $0.check == "restart_loop" }
        }
        #expect(loop(upFor: 1)?.status == .critical && loop(upFor: 1)?.summary.contains("up only 1 s") == true, "\(String(describing: loop(upFor: 1)))")
        #expect(loop(upFor: 3600) == nil)
    }
}
