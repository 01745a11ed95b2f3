import Alerting
import Foundation
import LocalStore
import OpsbotCore
import TestSupport
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbench alerts`: engine cost per round with 1,000 rules, and a 500-alert storm through
/// the real renderer and outbox under a 20-per-minute limit (simulated time).
enum BenchAlerts {
    static func rssMB() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = s.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func run() async throws {
        // 1. 1,000 rules, 1,000 results per round, ~10 % of them changing state each round.
        let clock = ManualClock()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbench-alerts-\(UUID().uuidString)").path
        let store = try Store(directory: dir)
        let rules = (0..<1000).map { AlertRule(name: "r\($0)", check: "c\($0)", fire: 90, clear: 85) }
        let engine = try AlertEngine(rules: rules, clock: clock, persistence: try SQLiteAlertStore(db: store.db))
        let rounds = 50
        let rss0 = rssMB()
        var times: [Double] = []
        var notes = 0
        for round in 0..<rounds {
            let obs = (0..<1000).map { i in
                Observation(check: "c\(i)", target: "t", status: .ok, value: (i + round) % 10 == 0 ? 95 : 50)
            }
            let t0 = ContinuousClock.now
            notes += engine.evaluate([SourceResults(source: "bench", observations: obs)]).count
            let d = ContinuousClock.now - t0
            times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
            clock.advance(by: 15)
        }
        let rss1 = rssMB()
        times.sort()
        print(String(format: "alerts: 1000 rules × 1000 results/round, %d rounds: median %.2f ms/round, p95 %.2f ms, max %.2f ms; RSS %.1f → %.1f MB (Δ %.1f MB); %d notifications",
                     rounds, times[rounds / 2], times[rounds * 95 / 100], times.last!, rss0, rss1, rss1 - rss0, notes))

        // 2. Storm: 500 alerts at once, 20 messages/minute.
        let sclock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: """
            admins:
              chats: [-100]
              users: [1]
            alerts:
              rate_limit:
                per_minute: 20
                burst: 3
            """, commands: [], clock: sclock)
        let svc = try app.alertsFeature.service()
        let results = (0..<500).map { CheckResult(check: "health", target: "svc\($0):/healthz", status: .critical, summary: "503 Service Unavailable") }
        svc.submit("storm", results); svc.evaluateRound()
        svc.submit("storm", results)
        let t0 = ContinuousClock.now
        svc.evaluateRound()
        let start = sclock.now()
        var steps = 0
        while svc.outbox.pendingCount > 0 && steps < 3600 {
            await svc.deliver(app)
            if svc.outbox.pendingCount == 0 { break }
            sclock.advance(by: 1)
            steps += 1
        }
        let wall = ContinuousClock.now - t0
        let sent = transport.events.filter { if case .sent = $0 { true } else { false } }.count
        print(String(format: "alerts: storm of 500 simultaneous alerts → %d messages, all delivered after %.0f s simulated (limit 20/min, burst 3); wall %.0f ms",
                     sent, sclock.now().timeIntervalSince(start), Double(wall.components.seconds) * 1000 + Double(wall.components.attoseconds) / 1e15))
        try? FileManager.default.removeItem(atPath: dir)

        // 3. Issue 8: 30 services down for 4 minutes, then back; reminders every 2 min, 20/min.
        let o = try await AlertStormScenario.run(services: 30, outage: 240, repeat: "2m")
        print(String(format: "alerts: 30-service outage (4 min) and recovery, limit 20/min → %d messages in 5 min, recovery in the chat %.0f s after the round that saw it, %d reminders after recovery, %d edits",
                     o.messagesIn5Min, o.recoveryDelay, o.remindersAfterRecovery, o.edits))
    }
}
