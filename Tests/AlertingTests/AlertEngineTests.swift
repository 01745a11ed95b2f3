import Foundation
import Testing
import OpsbotSupport
import TestKit
@testable import Alerting

func obs(_ check: String, _ target: String, _ status: Observation.Status, value: Double? = nil, summary: String = "") -> Observation {
    Observation(check: check, target: target, status: status, summary: summary, value: value)
}

func makeEngine(_ rules: [AlertRule] = DefaultRules.rules, clock: ManualClock, persistence: AlertPersistence = MemoryAlertPersistence(),
                configure: (inout AlertEngine.Settings) -> Void = { _ in }) throws -> AlertEngine {
    var s = AlertEngine.Settings()
    configure(&s)
    return try AlertEngine(rules: rules, settings: s, clock: clock, persistence: persistence)
}

extension AlertEngine {
    func round(_ source: String, _ o: Observation...) -> [AlertNotification] { evaluate([SourceResults(source: source, observations: o)]) }
}

func firingCount(_ n: [AlertNotification]) -> Int { n.reduce(0) { if case .firing(let a) = $1 { $0 + a.count } else { $0 } } }
func reminders(_ n: [AlertNotification]) -> Int { n.reduce(0) { if case .reminders(let a) = $1 { $0 + a.count } else { $0 } } }
func resolvedCount(_ n: [AlertNotification]) -> Int { n.reduce(0) { if case .resolved(let a, _) = $1 { $0 + a.count } else { $0 } } }

@Suite struct AlertEngineTests {
    let rule = AlertRule(name: "schema", severity: .critical)

    @Test func firingOnceThenReminderAfterRepeatThenOneResolved() throws {
        let clock = ManualClock()
        let e = try makeEngine([rule], clock: clock)
        #expect(firingCount(e.round("db", obs("schema", "users", .critical))) == 1)
        var total: [AlertNotification] = []
        for _ in 0..<59 { clock.advance(by: 60); total += e.round("db", obs("schema", "users", .critical)) }
        #expect(firingCount(total) == 0 && reminders(total) == 0, "nothing within the repeat interval")
        clock.advance(by: 61)
        let r = e.round("db", obs("schema", "users", .critical))
        #expect(reminders(r) == 1)
        if case .reminders(let a) = r.first { #expect(a[0].failedChecks == 61) }
        clock.advance(by: 60)
        #expect(e.round("db", obs("schema", "users", .critical)).isEmpty)
        clock.advance(by: 60)
        let res = e.round("db", obs("schema", "users", .ok))
        #expect(resolvedCount(res) == 1)
        if case .resolved(let a, let at) = res.first { #expect(at.timeIntervalSince(a[0].firingSince!) == 59 * 60 + 61 + 120) }
        clock.advance(by: 60)
        #expect(e.round("db", obs("schema", "users", .ok)).isEmpty, "exactly one resolved")
    }

    @Test func forNeedsConsecutiveFailuresAndUnsentFiringResolvesSilently() throws {
        let clock = ManualClock()
        let e = try makeEngine([AlertRule(name: "health", forCount: 3)], clock: clock) { $0.flapChanges = 100 }
        #expect(e.round("s", obs("health", "web:/healthz", .critical)).isEmpty)
        #expect(e.round("s", obs("health", "web:/healthz", .critical)).isEmpty)
        #expect(e.round("s", obs("health", "web:/healthz", .ok)).isEmpty, "blip: pending cleared, nothing said")
        #expect(e.round("s", obs("health", "web:/healthz", .critical)).isEmpty)
        #expect(e.round("s", obs("health", "web:/healthz", .critical)).isEmpty)
        let n = e.round("s", obs("health", "web:/healthz", .critical))
        #expect(firingCount(n) == 1)
        if case .firing(let a) = n[0] { #expect(a[0].fingerprint == "health:web:/healthz"); #expect(a[0].severity == .critical) }
        // Muted from the start: fires unsent, and its recovery says nothing.
        e.mute("health", for: 3600)
        #expect(e.round("s", obs("health", "web:/healthz", .ok)).count == 1, "resolved after a sent firing, even while muted")
        for _ in 0..<3 { _ = e.round("s", obs("health", "web:/healthz", .critical)) }
        #expect(e.active.first?.firingSent == false)
        #expect(e.round("s", obs("health", "web:/healthz", .ok)).isEmpty, "unsent firing that cleared: nothing")
    }

    @Test func hysteresisOnValue() throws {
        let clock = ManualClock()
        let e = try makeEngine([AlertRule(name: "disk", severity: .warning, fire: 90, clear: 85)], clock: clock)
        #expect(e.round("d", obs("disk", "/var", .ok, value: 89.9)).isEmpty)
        #expect(firingCount(e.round("d", obs("disk", "/var", .warning, value: 90))) == 1)
        #expect(e.round("d", obs("disk", "/var", .ok, value: 87)).isEmpty, "between clear and fire: still firing")
        #expect(e.alert(fingerprint: "disk:/var")?.isFiring == true)
        #expect(resolvedCount(e.round("d", obs("disk", "/var", .ok, value: 84.9))) == 1)
        #expect(e.round("d", obs("disk", "/var", .ok, value: 89)).isEmpty, "below fire: does not fire again")
    }

    @Test func flappingIsAnnouncedOnceAndSettles() throws {
        let clock = ManualClock()
        let e = try makeEngine([rule], clock: clock) { $0.flapChanges = 4; $0.flapWindow = 600 }
        var all: [AlertNotification] = []
        for i in 0..<12 {
            clock.advance(by: 30)
            all += e.round("db", obs("schema", "users", i % 2 == 0 ? .critical : .ok))
        }
        let flaps = all.filter { if case .flapping = $0 { true } else { false } }
        #expect(flaps.count == 1)
        // 4 transitions: firing, resolved, firing → flapping on the 4th (a resolve); nothing after.
        #expect(firingCount(all) == 2 && resolvedCount(all) == 1)
        clock.advance(by: 30)
        #expect(e.round("db", obs("schema", "users", .critical)).isEmpty, "no messages while flapping")
        for _ in 0..<20 { clock.advance(by: 60); _ = e.round("db", obs("schema", "users", .critical)) }
        #expect(e.alert(fingerprint: "schema:users")?.flapping == false)
    }

    @Test func settledNotificationAfterQuietWindow() throws {
        let clock = ManualClock()
        let e = try makeEngine([rule], clock: clock) { $0.flapChanges = 3; $0.flapWindow = 300 }
        _ = e.round("db", obs("schema", "u", .critical)); clock.advance(by: 10)
        _ = e.round("db", obs("schema", "u", .ok)); clock.advance(by: 10)
        let n = e.round("db", obs("schema", "u", .critical))
        #expect(n.contains { if case .flapping = $0 { true } else { false } })
        clock.advance(by: 301)
        let s = e.round("db", obs("schema", "u", .critical))
        #expect(s.count == 1)
        if case .settled(let a) = s.first { #expect(a.isFiring) } else { Issue.record("expected settled, got \(s)") }
    }

    @Test func inhibitionDatabaseDownSilencesSchemaAndServiceDownSilencesItsHealth() throws {
        let clock = ManualClock()
        let rules = [AlertRule(name: "database"), AlertRule(name: "schema"), AlertRule(name: "service_down"), AlertRule(name: "health")]
        let e = try makeEngine(rules, clock: clock)
        let n = e.evaluate([
            SourceResults(source: "database", observations: [obs("database", "main", .critical), obs("schema", "users", .critical)]),
            SourceResults(source: "services", observations: [obs("service_down", "worker", .critical),
                                                             obs("health", "worker:/healthz", .critical),
                                                             obs("health", "web:/healthz", .critical)]),
        ])
        guard case .firing(let group) = n.first else { Issue.record("no group: \(n)"); return }
        #expect(Set(group.map(\.fingerprint)) == ["database:main", "service_down:worker", "health:web:/healthz"])
        // Database back, schema still drifting: now it is said.
        let later = e.evaluate([SourceResults(source: "database", observations: [obs("database", "main", .ok), obs("schema", "users", .critical)])])
        #expect(resolvedCount(later) == 1)
        guard case .firing(let g2) = later.first else { Issue.record("schema not sent: \(later)"); return }
        #expect(g2.map(\.fingerprint) == ["schema:users"])
    }

    @Test func groupIsMostSevereFirstAndAbsentMeansRecovered() throws {
        let clock = ManualClock()
        let e = try makeEngine([AlertRule(name: "log", check: "log_pattern")], clock: clock)
        let n = e.round("logs", obs("log_pattern", "worker:traceback", .warning), obs("log_pattern", "worker:conflict", .critical))
        guard case .firing(let g) = n.first else { Issue.record("\(n)"); return }
        #expect(g.map(\.fingerprint) == ["log:worker:conflict", "log:worker:traceback"])
        #expect(g[0].severity == .critical && g[1].severity == .warning)
        let r = e.round("logs", obs("log_pattern", "worker:conflict", .critical))
        #expect(resolvedCount(r) == 1, "traceback no longer reported by its source: resolved")
        let specific = try makeEngine([AlertRule(name: "log", check: "log_pattern"),
                                       AlertRule(name: "log_conflict", check: "log_pattern", target: "*:conflict")], clock: clock)
        let s = specific.round("logs", obs("log_pattern", "worker:conflict", .critical), obs("log_pattern", "web:traceback", .warning))
        guard case .firing(let g2) = s.first else { Issue.record("\(s)"); return }
        #expect(g2.map(\.fingerprint) == ["log_conflict:worker:conflict", "log:web:traceback"], "a targeted rule shadows the generic one")
    }

    @Test func acknowledgeStopsReminders() throws {
        let clock = ManualClock()
        let e = try makeEngine([AlertRule(name: "disk", repeatInterval: 600)], clock: clock)
        _ = e.round("d", obs("disk", "/", .warning))
        let id = try #require(e.alert(fingerprint: "disk:/")?.id)
        #expect(e.acknowledge(id: id, by: "@ann")?.ackedBy == "@ann")
        for _ in 0..<5 { clock.advance(by: 601); #expect(e.round("d", obs("disk", "/", .warning)).isEmpty) }
        #expect(resolvedCount(e.round("d", obs("disk", "/", .ok))) == 1)
        #expect(e.acknowledge(id: id, by: "@ann") == nil)
    }

    @Test func globsAndCatchAll() throws {
        #expect(Glob.match("web:*", "web:/healthz"))
        #expect(Glob.match("*:conflict", "worker:conflict"))
        #expect(!Glob.match("*:conflict", "worker:traceback"))
        #expect(Glob.match("sql_*", "sql_jobs") && !Glob.match("sql_*", "sql"))
        let clock = ManualClock()
        let e = try makeEngine([], clock: clock)
        let n = e.round("x", obs("dependency", "openai", .critical))
        #expect(firingCount(n) == 1)
        let off = try makeEngine([], clock: clock) { $0.catchAll = false }
        #expect(off.round("x", obs("dependency", "openai", .critical)).isEmpty)
    }
}
