import Foundation
import Testing
@testable import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotAlerts

/// Issue 8: the smaller promises around the engine — late results, inhibited alerts listed
/// under their cause, flapping's quiet time, acknowledge drops queued reminders.
@Suite struct AlertTrustFeatureTests {
    /// A provider that overruns its timeout still reports what it found, per endpoint.
    @Test func aSlowRunIsReportedAsTimeoutAndThenItsResults() async throws {
        let seen = Locked<[String]>([])
        let s = CheckScheduler(interval: 0.05, timeout: 0.1, jitter: 0)
        let task = Task {
            await s.loop(run: {
                try? await Task.sleep(for: .milliseconds(300))
                return [CheckResult(check: "health", target: "web:/healthz", status: .critical, summary: "connection refused")]
            }) { r in seen.withLock { $0.append(r == nil ? "timeout" : r!.map(\.fingerprint).joined()) } }
        }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && seen.current.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        _ = await task.value
        #expect(Array(seen.current.prefix(2)) == ["timeout", "health:web:/healthz"])
    }

    @Test func inhibitedAlertsAreListedUnderTheirCause() async throws {
        let clock = ManualClock()
        let (app, _) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        for _ in 0..<2 {
            svc.submit("payments", [CheckResult(check: "payments", target: "duplicates", status: .warning, summary: "1 payment credited twice")])
            svc.submit("database", [CheckResult(check: "database", target: "database", status: .critical, summary: "unreachable")])
            svc.evaluateRound()
            clock.advance(by: 15)
        }
        let out = await runCommand(app, "alerts", [:])
        #expect(out.contains("database:database") && out.contains("↳ silenced by it: payments:duplicates"), "\(out)")
    }

    @Test func flappingSaysHowLongItStaysQuiet() throws {
        let r = AlertRenderer(chatID: 1, instance: "prod", flapWindow: 600)
        var a = AlertState(id: "7", fingerprint: "health:web", rule: "health", target: "web", source: "s", phase: .firing,
                           severity: .warning, firstSeen: Date(timeIntervalSince1970: 0), lastSeen: Date(timeIntervalSince1970: 0))
        a.transitions = [Date(timeIntervalSince1970: 3600)]
        let html = try #require(r.render(.flapping(a)).first).html
        #expect(html.contains("Quiet until it has been stable for 10 min") && html.contains("01:10"), "\(html)")
    }

    @Test func acknowledgeDropsQueuedReminders() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        let worker = CheckResult(check: "service_down", target: "worker", status: .critical, summary: "worker is failed")
        for _ in 0..<2 { svc.submit("services", [worker]); svc.evaluateRound(); clock.advance(by: 10) }
        await svc.deliver(app)
        clock.advance(by: 1800)
        svc.submit("services", [worker]); svc.evaluateRound()   // a reminder is queued …
        let id = try #require(svc.engine.alert(fingerprint: "service_down:worker")?.id)
        #expect(svc.outbox.pendingCount == 1)
        svc.acknowledge(id: id, by: "@ann")                       // … and acknowledged before it went out
        #expect(svc.outbox.pendingCount == 0)
        await svc.deliver(app)
        #expect(!sentMessages(transport).contains { $0.1.html.contains("Still firing") })
    }
}
