import Foundation
import Testing
import OpsbotSupport
import TestKit
@testable import Alerting

func unknownCount(_ n: [AlertNotification]) -> Int { n.reduce(0) { if case .unknown(let a) = $1 { $0 + a.count } else { $0 } } }
func knownCount(_ n: [AlertNotification]) -> Int { n.reduce(0) { if case .known(let a) = $1 { $0 + a.count } else { $0 } } }
func firing(_ n: [AlertNotification]) -> [AlertState] {
    n.flatMap { (x: AlertNotification) -> [AlertState] in if case .firing(let a) = x { return a } else { return [] } }
}

/// Issue 8: what the engine pushes must be trustworthy — severity never lowered, absence never
/// taken for recovery, reminders grouped.
@Suite struct AlertTrustTests {
    @Test func aRuleNeverLowersTheChecksSeverityUnlessItMapsItExplicitly() throws {
        let clock = ManualClock()
        let e = try makeEngine(clock: clock)
        // The default disk, webhook and heartbeat rules keep a check's critical.
        let n = e.evaluate([SourceResults(source: "s", observations: [
            obs("disk", "/", .critical, value: 97, summary: "/ 97% used"),
            obs("webhook", "target_bot", .critical, summary: "a webhook is set while the bot polls"),
            obs("heartbeat", "worker", .critical, summary: "no heartbeat"),
            obs("disk", "/var", .warning, value: 81, summary: "/var 81% used"),
        ])])
        let sev = Dictionary(firing(n).map { ($0.fingerprint, $0.severity) }, uniquingKeysWith: { a, _ in a })
        #expect(sev["disk:/"] == .critical && sev["webhook:target_bot"] == .critical && sev["heartbeat:worker"] == .critical)
        #expect(sev["disk:/var"] == .warning, "disk fires from the check's own warn_percent, no fixed 90 %")
        // A floor raises; only an explicit mapping lowers.
        #expect(AlertRule(name: "x", severity: .critical).severity(forCheck: .warning) == .critical)
        #expect(AlertRule(name: "x", severity: .warning).severity(forCheck: .critical) == .critical)
        #expect(AlertRule(name: "x", severityMap: [.critical: .warning]).severity(forCheck: .critical) == .warning)
    }

    @Test func databaseDownFiveMinutesIsUnknownNotResolvedThenKnownAgain() throws {
        let clock = ManualClock()
        let e = try makeEngine(clock: clock) { $0.defaultRepeat = 60 }
        func payments(_ dups: Int?) -> SourceResults {
            guard let dups else {
                return SourceResults(source: "payments", observations: [obs("payments", "pending", .unknown, summary: "database unreachable: connection refused")])
            }
            return SourceResults(source: "payments", observations: [
                obs("payments", "pending", .ok, value: 0),
                obs("payments", "duplicates", dups > 0 ? .warning : .ok, value: Double(dups), summary: "\(dups) payment(s) credited more than once"),
            ])
        }
        let first = e.evaluate([payments(3)])
        #expect(firing(first).map(\.fingerprint) == ["payments:duplicates"], "the default rule matches the check PaymentsCheck emits")
        // The database goes down for 5 minutes: one unknown note, no resolved, no reminders.
        var during: [AlertNotification] = []
        for _ in 0..<30 { clock.advance(by: 10); during += e.evaluate([payments(nil)]) }
        #expect(resolvedCount(during) == 0 && reminders(during) == 0)
        #expect(unknownCount(during) == 1)
        let a = try #require(e.alert(fingerprint: "payments:duplicates"))
        #expect(a.isFiring && a.unknownSince != nil && a.unknownReason?.contains("database unreachable") == true)
        // A check timeout (the whole provider unreachable) is unknown too, not recovered.
        #expect(resolvedCount(e.evaluate([SourceResults(source: "payments", observations: [], unreachable: "check payments timed out")])) == 0)
        // Back: one line that it is known again (still failing), then a normal resolve.
        clock.advance(by: 10)
        let back = e.evaluate([payments(3)])
        #expect(knownCount(back) == 1 && reminders(back) == 0 && resolvedCount(back) == 0)
        #expect(e.alert(fingerprint: "payments:duplicates")?.unknownSince == nil)
        clock.advance(by: 10)
        #expect(resolvedCount(e.evaluate([payments(0)])) == 1, "only a positive observation resolves")
    }

    @Test func aCompleteRunWithoutTheTargetStillResolves() throws {
        let clock = ManualClock()
        let e = try makeEngine(clock: clock)
        _ = e.round("health", obs("health_slow", "web:/", .warning, value: 7))
        _ = e.round("health", obs("health_slow", "web:/", .warning, value: 7))
        clock.advance(by: 10)
        #expect(resolvedCount(e.round("health", obs("health", "web:/", .ok, value: 0.1))) == 1)
    }

    @Test func remindersAreOneDigestPerRoundMostSevereFirst() throws {
        let clock = ManualClock()
        let e = try makeEngine([AlertRule(name: "service_down", repeatInterval: 60)], clock: clock)
        let down = (0..<30).map { obs("service_down", "svc\($0)", $0 == 7 ? .critical : .warning) }
        _ = e.evaluate([SourceResults(source: "s", observations: down)])
        clock.advance(by: 61)
        let r = e.evaluate([SourceResults(source: "s", observations: down)])
        #expect(r.count == 1)
        guard case .reminders(let list) = r.first else { Issue.record("no digest"); return }
        #expect(list.count == 30 && list[0].target == "svc7")
    }

    @Test func unknownPendingAlertsStaySilent() throws {
        let clock = ManualClock()
        let e = try makeEngine(clock: clock)
        #expect(e.round("services", obs("service_down", "web", .critical)).isEmpty, "for: 2")
        #expect(e.round("services", obs("service_down", "web", .unknown, summary: "docker unreachable")).isEmpty)
        #expect(e.evaluate([SourceResults(source: "services", observations: [], unreachable: "timeout")]).isEmpty)
    }
}
