import Foundation
import Testing
@testable import Alerting

/// The evaluation core alone: state, results, rules and `now` in; state and effects out.
/// No engine, no store, no clock object.
@Suite struct AlertEvaluationTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A run of the core over rounds, keeping the state and minting ids like the store's sequence.
    struct Run {
        var state = AlertEvaluation.State()
        var policy: AlertPolicy
        var seq = 0
        init(_ rules: [AlertRule], configure: (inout AlertSettings) -> Void = { _ in }) {
            var s = AlertSettings()
            configure(&s)
            policy = AlertPolicy(rules: rules, settings: s)
        }
        mutating func step(_ at: Date, _ batch: [SourceResults]) -> [AlertEffect] {
            var n = seq
            let (next, effects) = AlertEvaluation.step(state, batch, policy: policy, now: at) { n += 1; return String(n, radix: 36) }
            seq = n
            state = next
            return effects
        }
        mutating func step(_ at: Date, _ source: String, _ o: Observation...) -> [AlertEffect] {
            step(at, [SourceResults(source: source, observations: o)])
        }
    }

    func notes(_ e: [AlertEffect]) -> [AlertNotification] { e.compactMap { if case .notify(let n) = $0 { n } else { nil } } }
    func saved(_ e: [AlertEffect]) -> [String] {
        e.flatMap { effect -> [String] in if case .save(let a) = effect { a.map(\.fingerprint) } else { [] } }
    }
    func deleted(_ e: [AlertEffect]) -> [String] {
        e.flatMap { effect -> [String] in if case .delete(let f) = effect { f } else { [] } }
    }
    func kinds(_ e: [AlertEffect]) -> [String] {
        notes(e).map {
            switch $0 {
            case .firing(let a): "firing \(a.map(\.fingerprint).joined(separator: ","))"
            case .reminders(let a): "reminders \(a.map(\.fingerprint).joined(separator: ","))"
            case .resolved(let a, _): "resolved \(a.map(\.fingerprint).joined(separator: ","))"
            case .flapping(let a): "flapping \(a.fingerprint)"
            case .settled(let a): "settled \(a.fingerprint)"
            case .unknown(let a): "unknown \(a.map(\.fingerprint).joined(separator: ","))"
            case .known(let a): "known \(a.map(\.fingerprint).joined(separator: ","))"
            }
        }
    }
    func at(_ s: Double) -> Date { t0.addingTimeInterval(s) }

    @Test func theInputStateIsNotChangedAndTheSameInputGivesTheSameOutput() {
        let policy = AlertPolicy(rules: [AlertRule(name: "disk")])
        let batch = [SourceResults(source: "d", observations: [obs("disk", "/", .warning)])]
        let before = AlertEvaluation.State()
        let a = AlertEvaluation.step(before, batch, policy: policy, now: t0) { "x" }
        let b = AlertEvaluation.step(before, batch, policy: policy, now: t0) { "x" }
        #expect(before.alerts.isEmpty)
        #expect(a.0 == b.0 && a.1 == b.1)
        #expect(a.0.alerts["disk:/"]?.id == "x" && a.0.alerts["disk:/"]?.firingSent == true)
        #expect(a.1 == [.notify(.firing([a.0.alerts["disk:/"]!])), .save([a.0.alerts["disk:/"]!])])
    }

    @Test func forRoundsThenOneFiringAndNewIDsOnlyForNewFingerprints() {
        var r = Run([AlertRule(name: "health", forCount: 3)])
        #expect(notes(r.step(at(0), "s", obs("health", "web", .critical))).isEmpty)
        let second = r.step(at(10), "s", obs("health", "web", .critical))
        #expect(notes(second).isEmpty && saved(second) == ["health:web"], "pending is written, not said")
        #expect(r.state.alerts["health:web"]?.phase == .pending && r.state.alerts["health:web"]?.consecutiveFailures == 2)
        #expect(kinds(r.step(at(20), "s", obs("health", "web", .critical))) == ["firing health:web"])
        #expect(r.state.alerts["health:web"]?.firingSince == at(20))
        #expect(r.seq == 1, "one id for one fingerprint")
        // A restart reloads a pending alert with its count afresh.
        var p = r.state.alerts["health:web"]!
        p.phase = .pending
        #expect(AlertEvaluation.State.loaded(alerts: [p], mutes: []).alerts["health:web"]?.consecutiveFailures == 0)
    }

    @Test func cooldownThenOneReminderDigestThenResolvedThenForgotten() {
        var r = Run([AlertRule(name: "disk", repeatInterval: 600), AlertRule(name: "schema", severity: .critical, repeatInterval: 600)]) {
            $0.flapWindow = 300
        }
        let first = r.step(at(0), "d", obs("disk", "/", .warning), obs("schema", "users", .critical))
        #expect(kinds(first) == ["firing schema:users,disk:/"], "one group, most severe first")
        #expect(notes(r.step(at(599), "d", obs("disk", "/", .warning), obs("schema", "users", .critical))).isEmpty)
        let due = r.step(at(600), "d", obs("disk", "/", .warning), obs("schema", "users", .critical))
        #expect(kinds(due) == ["reminders schema:users,disk:/"])
        #expect(r.state.alerts["disk:/"]?.remindersSent == 1 && r.state.alerts["disk:/"]?.lastSent == at(600))
        #expect(notes(r.step(at(1199), "d", obs("disk", "/", .warning), obs("schema", "users", .critical))).isEmpty, "cooldown from the reminder")
        let back = r.step(at(1200), "d", obs("schema", "users", .critical))
        #expect(kinds(back).first == "resolved disk:/", "absent from a complete run: recovered")
        #expect(kinds(back).dropFirst().first == "reminders schema:users")
        #expect(deleted(r.step(at(1499), "d", obs("schema", "users", .critical))).isEmpty)
        #expect(deleted(r.step(at(1500), "d", obs("schema", "users", .critical))) == ["disk:/"], "history no longer matters: forgotten")
        #expect(r.state.alerts["disk:/"] == nil)
    }

    @Test func unknownIsNeverResolvedNorRemindedThenKnownAgain() {
        var r = Run([AlertRule(name: "payments", repeatInterval: 60)])
        _ = r.step(at(0), "p", obs("payments", "dups", .warning))
        let unknown = r.step(at(10), "p", obs("payments", "dups", .unknown, summary: "database unreachable"))
        #expect(kinds(unknown) == ["unknown payments:dups"])
        #expect(r.state.alerts["payments:dups"]?.isFiring == true && r.state.alerts["payments:dups"]?.unknownReason == "database unreachable")
        // Unreachable and then incomplete runs: still unknown, nothing said, nothing resolved.
        #expect(notes(r.step(at(100), [SourceResults(source: "p", observations: [], unreachable: "timed out")])).isEmpty)
        #expect(notes(r.step(at(200), "p", obs("payments", "pending", .unknown))).isEmpty)
        #expect(r.state.alerts["payments:dups"]?.phase == .firing)
        let back = r.step(at(300), "p", obs("payments", "dups", .warning))
        #expect(kinds(back) == ["known payments:dups"], "known again is this round's reminder")
        #expect(r.state.alerts["payments:dups"]?.unknownSince == nil && r.state.alerts["payments:dups"]?.lastSent == at(300))
        #expect(kinds(r.step(at(310), "p", obs("payments", "dups", .ok))) == ["resolved payments:dups"])
    }

    @Test func unknownWhilePendingOrMutedSaysNothing() {
        var r = Run([AlertRule(name: "service_down", forCount: 2), AlertRule(name: "disk")])
        _ = r.step(at(0), "s", obs("service_down", "web", .critical))
        #expect(notes(r.step(at(10), "s", obs("service_down", "web", .unknown))).isEmpty)
        _ = r.step(at(20), "d", obs("disk", "/", .warning))
        _ = AlertEvaluation.mute(&r.state, "disk", for: 3600, reason: nil, by: nil, now: at(20))
        #expect(notes(r.step(at(30), "d", obs("disk", "/", .unknown))).isEmpty)
    }

    @Test func flappingIsSaidOnceThenQuietThenSettles() {
        var r = Run([AlertRule(name: "schema")]) { $0.flapChanges = 4; $0.flapWindow = 600 }
        var all: [String] = []
        for i in 0..<8 { all += kinds(r.step(at(Double(i) * 30), "db", obs("schema", "u", i % 2 == 0 ? .critical : .ok))) }
        #expect(all == ["firing schema:u", "resolved schema:u", "firing schema:u", "flapping schema:u"])
        #expect(r.state.alerts["schema:u"]?.flapping == true)
        #expect(notes(r.step(at(300), "db", obs("schema", "u", .critical))).isEmpty, "no messages while flapping")
        #expect(notes(r.step(at(300 + 599), "db", obs("schema", "u", .critical))).isEmpty)
        #expect(kinds(r.step(at(300 + 600), "db", obs("schema", "u", .critical))) == ["settled schema:u"])
        #expect(r.state.alerts["schema:u"]?.firingSent == true, "settled firing: its message counts as sent")
    }

    @Test func inhibitionSilencesTargetsOnlyWhileTheSourceFires() {
        var r = Run([AlertRule(name: "database"), AlertRule(name: "schema"), AlertRule(name: "service_down"), AlertRule(name: "health")])
        let e = r.step(at(0), [
            SourceResults(source: "db", observations: [obs("database", "main", .critical), obs("schema", "users", .critical)]),
            SourceResults(source: "svc", observations: [obs("service_down", "worker", .critical), obs("health", "worker:/h", .critical),
                                                        obs("health", "web:/h", .critical)]),
        ])
        #expect(kinds(e) == ["firing database:main,health:web:/h,service_down:worker"], "same-service and global inhibition")
        #expect(r.state.alerts["schema:users"]?.isFiring == true && r.state.alerts["schema:users"]?.firingSent == false)
        #expect(AlertEvaluation.inhibitor(of: r.state.alerts["schema:users"]!, in: r.state, r.policy.settings.inhibitions)?.fingerprint == "database:main")
        let later = r.step(at(10), [SourceResults(source: "db", observations: [obs("database", "main", .ok), obs("schema", "users", .critical)])])
        #expect(kinds(later) == ["firing schema:users", "resolved database:main"])
    }

    @Test func acknowledgeStopsRemindersAndIsWrittenOnce() {
        var r = Run([AlertRule(name: "disk", repeatInterval: 60)])
        _ = r.step(at(0), "d", obs("disk", "/", .warning))
        let id = r.state.alerts["disk:/"]!.id
        let (a, effects) = AlertEvaluation.acknowledge(&r.state, id: id, by: "@ann", now: at(5))
        #expect(a?.ackedBy == "@ann" && a?.ackedAt == at(5) && saved(effects) == ["disk:/"])
        let (again, none) = AlertEvaluation.acknowledge(&r.state, id: id, by: "@bob", now: at(6))
        #expect(again?.ackedBy == "@ann" && none.isEmpty)
        #expect(AlertEvaluation.acknowledge(&r.state, id: "nope", by: "@ann", now: at(6)).0 == nil)
        #expect(notes(r.step(at(600), "d", obs("disk", "/", .warning))).isEmpty)
    }

    @Test func muteSilencesUntilItEndsAndUnmuteSaysWhetherItWasLive() {
        var r = Run([AlertRule(name: "disk")])
        let (m, effects) = AlertEvaluation.mute(&r.state, "disk:/", for: 60, reason: "known", by: "@ann", now: at(0))
        #expect(m.until == at(60) && effects == [.saveMute(m)])
        #expect(notes(r.step(at(1), "d", obs("disk", "/", .warning))).isEmpty)
        #expect(r.state.alerts["disk:/"]?.firingSent == false)
        #expect(kinds(r.step(at(60), "d", obs("disk", "/", .warning))) == ["firing disk:/"], "said when the mute ends")
        #expect(r.state.mutes.isEmpty, "an ended mute is dropped")
        _ = AlertEvaluation.mute(&r.state, "disk", for: 60, reason: nil, by: nil, now: at(100))
        #expect(AlertEvaluation.unmute(&r.state, "disk", now: at(120)) == (true, [.deleteMute("disk")]))
        #expect(AlertEvaluation.unmute(&r.state, "disk", now: at(120)).0 == false)
    }

    @Test func hysteresisAndCatchAll() {
        var r = Run([AlertRule(name: "disk", fire: 90, clear: 85)])
        #expect(kinds(r.step(at(0), "d", obs("disk", "/", .warning, value: 90))) == ["firing disk:/"])
        #expect(notes(r.step(at(1), "d", obs("disk", "/", .ok, value: 87))).isEmpty)
        #expect(kinds(r.step(at(2), "d", obs("disk", "/", .ok, value: 84))) == ["resolved disk:/"])
        #expect(kinds(r.step(at(3), "x", obs("dependency", "openai", .critical))) == ["firing dependency:openai"])
        var off = Run([]) { $0.catchAll = false }
        #expect(off.step(at(0), "x", obs("dependency", "openai", .critical)).isEmpty)
    }
}
