import Foundation
import Testing
import Alerting
@testable import OpsbotCore
import TestHarness
@testable import OpsbotApp
@testable import OpsbotAlerts

/// Issue 18 item 7: `/alerts` says what failed next to how often, so "7 failed" beside "outbox
/// empty" no longer reads like seven failed deliveries.
@Suite struct AlertsListTests {
    @Test func alertsSaysWhatFailedNextToTheCount() async throws {
        let clock = ManualClock()
        let (app, _) = try TestApp.make(configYAML: alertsYAML, clock: clock)
        let svc = try app.alertsFeature.service()
        let worker = CheckResult(check: "service_down", target: "worker", status: .critical, summary: "worker is inactive (dead)")
        for _ in 0..<7 { svc.submit("services", [worker]); svc.evaluateRound(); clock.advance(by: 10) }
        await svc.deliver(app)
        let out = await runCommand(app, "alerts", [:])
        #expect(out.contains("7 failed checks in a row: worker is inactive (dead)"), "\(out)")
        #expect(!out.contains("7 failed,"), "\(out)")
        #expect(out.contains("outbox empty"), "\(out)")
    }
}
