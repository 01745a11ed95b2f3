import Foundation
import Testing
import Alerting
import LocalStore
@testable import OpsbotCore
import TestHarness
@testable import OpsbotApp
@testable import OpsbotAlerts

/// A transport that fails (network error, 429 with retry_after, or for good) while told to.
final class FlakyTransport: ChatTransport, @unchecked Sendable {
    struct TooManyRequests: Error { var retryAfter: Int }
    struct Network: Error {}
    enum Mode { case up, down, rateLimited, blocked }
    let inner = RecordingTransport()
    let mode = Locked(Mode.up)
    let attempts = Locked(0)
    func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        attempts.withLock { $0 += 1 }
        switch mode.current {
        case .up: return try await inner.send(reply, to: chatID)
        case .down: throw Network()
        case .rateLimited: throw TooManyRequests(retryAfter: 5)
        case .blocked: throw PermanentDeliveryError("Forbidden: bot was blocked")
        }
    }
    func edit(_ ref: MessageRef, _ reply: Reply) async throws { try await inner.edit(ref, reply) }
    func answerCallback(_ id: String, text: String?) async { await inner.answerCallback(id, text: text) }
}

let alertsYAML = """
admins:
  chats: [-100]
  users: [1, 2]
commands_dir: Commands
alerts:
  repeat: 30m
  rules:
    - name: disk
      fire: 95
      clear: 90
"""

func sentMessages(_ t: RecordingTransport) -> [(Int64, Reply)] {
    t.events.compactMap { if case .sent(_, let id, let r) = $0 { (id, r) } else { nil } }
}

func waitFor(_ what: @escaping @Sendable () -> Bool) async {
    for _ in 0..<200 where !what() { try? await Task.sleep(for: .milliseconds(5)) }
}

@Suite struct AlertsFeatureTests {
    @Test func firingMessageCarriesEvidenceEscapedAndButtonsThatWork() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        let worker = CheckResult(check: "service_down", target: "worker", status: .critical, summary: "worker is inactive (dead)",
                                 evidence: ["<Traceback> & friends"])
        for _ in 0..<2 { svc.submit("services", [worker]); svc.evaluateRound(); clock.advance(by: 10) }
        await svc.deliver(app)
        let sent = sentMessages(transport)
        try #require(sent.count == 1)
        let (msgID, reply) = sent[0]
        #expect(reply.html.contains("&lt;Traceback&gt; &amp; friends"))
        #expect(reply.html.contains("service_down") && reply.html.contains("CRITICAL") && reply.html.contains("First seen"))
        #expect(reply.silent == false, "critical is loud")
        let buttons = reply.buttons.flatMap { $0 }
        #expect(buttons.allSatisfy { $0.data.utf8.count <= 64 })
        #expect(buttons.map(\.text).contains("🛠 Restart worker"))

        let calls = app.callbacks
        func press(_ label: String, user: Int64 = 2, username: String? = "ann") async throws -> String? {
            let b = try #require(buttons.first { $0.text.hasPrefix(label) })
            let h = try #require(calls.handler(for: b.data))
            return await h.handle(IncomingCallback(id: "cb", chatID: -100, userID: user, username: username, messageID: msgID, data: b.data), app: app)
        }
        // Remediation goes through the router (the command hook), as the presser.
        let ran = Locked<[IncomingMessage]>([])
        app.setCommandHook { m in ran.withLock { $0.append(m) } }
        #expect(try await press("🛠")?.contains("/restart worker") == true)
        await waitFor { !ran.current.isEmpty }
        #expect(ran.current.map(\.text) == ["/restart worker"] && ran.current.first?.userID == 2)

        // Acknowledge: the message is edited to say who, reminders stop.
        #expect(try await press("✅")?.contains("Acknowledged") == true)
        await waitFor { transport.events.contains { if case .edited = $0 { true } else { false } } }
        let edited = transport.events.compactMap { if case .edited(let ref, let r) = $0 { (ref, r) } else { nil } }
        #expect(edited.first?.0.messageID == msgID)
        #expect(edited.first?.1.html.contains("Acknowledged</b> by @ann") == true)
        #expect(edited.first?.1.buttons.flatMap { $0 }.contains { $0.text.hasPrefix("✅") } == false)
        for _ in 0..<5 { clock.advance(by: 1800); svc.submit("services", [worker]); svc.evaluateRound() }
        await svc.deliver(app)
        #expect(sentMessages(transport).count == 1, "no reminders after acknowledge")

        // Mute 1 h from the button.
        #expect(try await press("🔕 Mute 1h")?.contains("Muted service_down:worker") == true)
        #expect(svc.engine.mutes.map(\.key) == ["service_down:worker"])
        // Resolved still goes out (good news), silently.
        svc.submit("services", [CheckResult(check: "service_down", target: "worker", status: .ok, summary: "active")])
        svc.evaluateRound()
        await svc.deliver(app)
        let last = try #require(sentMessages(transport).last?.1)
        #expect(last.html.contains("resolved after") && last.silent)
        // A button for a resolved alert answers clearly.
        #expect(try await press("✅")?.contains("no longer firing") == true)
    }

    @Test func warningsAreSilentAndConfigRulesOverrideDefaults() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        svc.submit("disk", [CheckResult(check: "disk", target: "/var", status: .warning, summary: "92 % used", value: 92)])
        svc.evaluateRound()
        await svc.deliver(app)
        #expect(sentMessages(transport).isEmpty, "config raised disk fire to 95")
        svc.submit("disk", [CheckResult(check: "disk", target: "/var", status: .warning, summary: "96 % used", value: 96)])
        svc.evaluateRound()
        await svc.deliver(app)
        let r = try #require(sentMessages(transport).first?.1)
        #expect(r.silent && r.html.contains("96 % used") && !r.html.contains("Value:"))
    }

    @Test func outageOfTenMinutesThenEverythingDeliveredInOrder() async throws {
        let clock = ManualClock()
        let (base, _) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let flaky = FlakyTransport()
        let app = AppContext(config: base.config, store: base.store, clock: clock, transport: flaky, catalog: base.catalog, wiring: Features.build(base.config))
        let svc = try app.alertsFeature.service()
        flaky.mode.withLock { $0 = .down }
        for i in 0..<10 {
            svc.submit("schema-\(i)", [CheckResult(check: "schema", target: "t\(i)", status: .critical, summary: "drift \(i)")])
            svc.evaluateRound()
            await svc.deliver(app)
            clock.advance(by: 30)
            if i == 5 { flaky.mode.withLock { $0 = .rateLimited } }
        }
        for _ in 0..<300 { await svc.deliver(app); clock.advance(by: 1) }   // the rest of the 10 minutes
        #expect(flaky.inner.events.isEmpty)
        flaky.mode.withLock { $0 = .up }
        for _ in 0..<120 { await svc.deliver(app); clock.advance(by: 1) }
        let texts = sentMessages(flaky.inner).map { HTML.toPlainText($0.1.html) }
        #expect(texts.count == 10)
        for (i, t) in texts.enumerated() { #expect(t.contains("drift \(i)")) }
        #expect(flaky.attempts.current < 200, "backed off: \(flaky.attempts.current) attempts")
        let check = await AlertDeliveryCheck(alerts: app.alertsFeature).run(app)
        #expect(check.first?.status == .ok)
    }

    @Test func permanentFailureShowsInAlertDeliveryCheckAndAlertsCommand() async throws {
        let clock = ManualClock()
        let (base, _) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let flaky = FlakyTransport()
        flaky.mode.withLock { $0 = .blocked }
        let app = AppContext(config: base.config, store: base.store, clock: clock, transport: flaky, catalog: base.catalog, wiring: Features.build(base.config))
        let svc = try app.alertsFeature.service()
        svc.submit("db", [CheckResult(check: "schema", target: "users", status: .critical, summary: "column missing")])
        svc.evaluateRound()
        await svc.deliver(app)
        let check = try #require(await app.checks.named("alert_delivery")?.run(app).first)
        #expect(check.status == .critical && check.summary.contains("blocked"))
        let out = await runCommand(app, "alerts", [:])
        #expect(out.contains("❌") && out.contains("blocked") && out.contains("schema"))
    }

    @Test func stormOf500IsAFewMessagesWithinTheRateLimit() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        let start = clock.now()
        svc.submit("services", (0..<500).map { CheckResult(check: "health", target: "svc\($0):/healthz", status: .critical, summary: "503") })
        svc.submit("services", (0..<500).map { CheckResult(check: "health", target: "svc\($0):/healthz", status: .critical, summary: "503") })
        svc.evaluateRound()   // for: 2 — first round pending
        svc.submit("services", (0..<500).map { CheckResult(check: "health", target: "svc\($0):/healthz", status: .critical, summary: "503") })
        svc.evaluateRound()
        // Also 40 single reminders-worth of traffic to make the limiter work.
        for i in 0..<40 {
            svc.submit("x\(i)", [CheckResult(check: "schema", target: "s\(i)", status: .critical, summary: "drift")])
            svc.evaluateRound()
        }
        var sendTimes: [Double] = []
        var seen = 0
        for _ in 0..<600 {
            await svc.deliver(app)
            let n = sentMessages(transport).count
            for _ in seen..<n { sendTimes.append(clock.now().timeIntervalSince(start)) }
            seen = n
            if svc.outbox.pendingCount == 0 { break }
            clock.advance(by: 1)
        }
        let all = sentMessages(transport).map { HTML.toPlainText($0.1.html) }.joined(separator: "\n")
        for i in 0..<500 { #expect(all.contains("svc\(i):/healthz")) }
        let stormMessages = sentMessages(transport).filter { $0.1.html.contains("500 alerts firing") }.count
        #expect(stormMessages <= 15, "storm in \(stormMessages) messages")
        #expect(sentMessages(transport).allSatisfy { $0.1.html.count <= 4096 })
        for w in stride(from: 0.0, to: (sendTimes.last ?? 0), by: 1) {
            #expect(sendTimes.filter { $0 >= w && $0 < w + 60 }.count <= 20)
        }
        #expect(svc.outbox.pendingCount == 0)
    }

    @Test func muteAndUnmuteCommands() async throws {
        let (app, _) = try TestApp.make(configYAML: alertsYAML, clock: ManualClock())
        var out = await runCommand(app, "mute", ["target": .string("disk"), "duration": .duration(4 * 3600), "reason": .words(["cleaning", "logs"])])
        #expect(out.contains("disk muted for 4 h") && out.contains("cleaning logs"))
        out = await runCommand(app, "mute", ["target": .string("nosuchrule"), "duration": .duration(3600)])
        #expect(out.contains("neither a rule nor an alert fingerprint"))
        out = await runCommand(app, "mute", ["target": .string("health:web:/healthz"), "duration": .duration(10)])
        #expect(out.contains("between 1m and 30d"))
        out = await runCommand(app, "alerts", [:])
        #expect(out.contains("Mutes (1)") && out.contains("disk"))
        out = await runCommand(app, "unmute", ["target": .string("disk")])
        #expect(out.contains("disk unmuted"))
        out = await runCommand(app, "unmute", ["target": .string("disk")])
        #expect(out.contains("not muted"))
    }

    @Test func configErrorsNameTheKey() throws {
        func errors(_ alerts: String) throws -> [String] {
            let cfg = try OpsbotConfig.parse("admins:\n  chats: [1]\n  users: [1]\nalerts:\n" + alerts, source: "c.yaml", baseDirectory: "/tmp")
            return (AlertsFeature.validate(cfg) + CrossChecks.run(cfg, catalog: Catalog(), checks: Features.build(cfg).checks).config).map(\.description)
        }
        #expect(try errors("  rules:\n    - name: disk\n      severity: loud\n").first?.contains("alerts.rules[0].severity") == true)
        #expect(try errors("  repaet: 1h\n").first?.contains("unknown key") == true)
        #expect(try errors("  checks:\n    nosuch: 10s\n").first?.contains("alerts.checks.nosuch") == true)
        #expect(try errors("  rules:\n    - name: disk\n      fire: 80\n      clear: 90\n").first?.contains("clear") == true)
        #expect(try errors("  repeat: 2h\n  rate_limit:\n    per_minute: 20\n    burst: 3\n").isEmpty)
        // The demo section parses, and its rules merge over the defaults.
        let demo = try String(contentsOfFile: TestApp.repositoryRoot + "/demo/config-alerts.yaml", encoding: .utf8)
        let cfg = try AlertsConfig.load(try OpsbotConfig.parse("admins:\n  chats: [1]\n  users: [1]\n" + demo, source: "demo.yaml", baseDirectory: "/tmp"))
        #expect(cfg.checks["services"] == 10 && cfg.repeatInterval == 60 && cfg.flapWindow == 300)
        let rules = cfg.effectiveRules
        #expect(rules.first { $0.name == "service_down" }?.forCount == 2, "the demo waits `for` rounds like production")
        #expect(rules.first { $0.name == "disk" }?.fire == nil, "disk alerts follow disk.warn_percent / critical_percent")
        #expect(rules.first { $0.name == "service_down" }?.remediation == "/restart {service}", "unset keys keep the default")
        // severity_map is the explicit way to lower a check's severity.
        let mapped = try AlertsConfig.load(try OpsbotConfig.parse("admins:\n  chats: [1]\n  users: [1]\nalerts:\n  rules:\n    - name: webhook\n      severity_map: {critical: warning}\n",
                                                                 source: "m.yaml", baseDirectory: "/tmp"))
        #expect(mapped.effectiveRules.first { $0.name == "webhook" }?.severity(forCheck: .critical) == .warning)
        #expect(try errors("  rules:\n    - name: disk\n      severity_map: {critical: quiet}\n").first?.contains("severity_map") == true)
        #expect(rules.contains { $0.name == "log_conflict" && $0.severity == .critical && $0.repeatInterval == 300 })
    }

    @Test func schedulerTimesOutAndNeverOverlaps() async throws {
        let running = Locked(0), maxRunning = Locked(0), timeouts = Locked(0), results = Locked(0), runs = Locked(0)
        let s = CheckScheduler(interval: 0.02, timeout: 0.15, jitter: 0.1)
        let task = Task {
            await s.loop(run: {
                let n = running.withLock { $0 += 1; return $0 }
                let k = runs.withLock { $0 += 1; return $0 }
                maxRunning.withLock { $0 = max($0, n) }
                try? await Task.sleep(for: .milliseconds(k % 2 == 1 ? 300 : 1))
                running.withLock { $0 -= 1 }
                return [CheckResult(check: "x", target: "y", status: .ok, summary: "")]
            }) { r in if r == nil { timeouts.withLock { $0 += 1 } } else { results.withLock { $0 += 1 } } }
        }
        // Until both a timeout and a result were seen (bounded), not a fixed window: a loaded
        // 2-core machine may run the loop late.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !(timeouts.current >= 1 && results.current >= 1) {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        _ = await task.value
        #expect(maxRunning.current == 1)
        #expect(timeouts.current >= 1 && results.current >= 1)
    }
}

func runCommand(_ app: AppContext, _ name: String, _ args: [String: ArgumentValue]) async -> String {
    guard let e = app.catalog.entry(name) else { return "no command \(name)" }
    let req = CommandRequest(command: e.command, arguments: args, chatID: -100, userID: 1, username: "ann")
    if case .reply(let r) = await e.module.handle(ModuleContext(app: app, request: req, progress: NoProgress())) { return HTML.toPlainText(r.html) }
    return "not a reply"
}
