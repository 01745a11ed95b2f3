import Foundation
import Testing
import LocalStore
import OpsbotSupport
import TestKit
@testable import Alerting

func tempDB() throws -> SQLiteDatabase {
    try SQLiteDatabase(path: FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite3").path)
}

@Suite struct PersistenceAndOutboxTests {
    @Test func restartWithNothingChangedSendsNothingAndChangesWhileDownAreReported() throws {
        let clock = ManualClock()
        let db = try tempDB()
        let rules = [AlertRule(name: "service_down"), AlertRule(name: "disk", fire: 90, clear: 85)]
        let e1 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        #expect(firingCount(e1.round("svc", obs("service_down", "worker", .critical))) == 1)
        e1.mute("disk", for: 7200, reason: "cleanup", by: "@ann")
        // "Restart": a new engine on the same store.
        clock.advance(by: 120)
        let e2 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        #expect(e2.round("svc", obs("service_down", "worker", .critical)).isEmpty, "nothing changed: nothing sent")
        #expect(e2.mutes.map(\.key) == ["disk"])
        let id = try #require(e2.alert(fingerprint: "service_down:worker")?.id)
        // Recovered while down, and a new problem appeared.
        clock.advance(by: 600)
        let e3 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        let n = e3.evaluate([SourceResults(source: "svc", observations: [obs("service_down", "worker", .ok), obs("service_down", "web", .critical)])])
        #expect(firingCount(n) == 1 && resolvedCount(n) == 1)
        #expect(e3.alert(fingerprint: "service_down:web")?.id != id, "ids are never reused")
        // Reminder timing survives a restart.
        clock.advance(by: 3601)
        let e4 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        #expect(reminders(e4.round("svc", obs("service_down", "web", .critical))) == 1)
    }

    /// Issue 8 item 9: one failure before a restart and one after do not make `for: 2`.
    @Test func atStartNothingFiresBeforeItsForRounds() throws {
        let clock = ManualClock()
        let db = try tempDB()
        let rules = [AlertRule(name: "health", forCount: 2)]
        let e1 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        #expect(e1.round("svc", obs("health", "web:/healthz", .critical)).isEmpty)
        let e2 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        #expect(e2.round("svc", obs("health", "web:/healthz", .critical)).isEmpty, "first round of this process")
        #expect(firingCount(e2.round("svc", obs("health", "web:/healthz", .critical))) == 1)
    }

    @Test func tokenBucketNeverExceedsLimitInAnyMinute() {
        let start = Date(timeIntervalSince1970: 0)
        var b = TokenBucket(perMinute: 20, burst: 3, now: start)
        var sends: [Double] = []
        for t in stride(from: 0.0, through: 600, by: 0.25) where b.take(now: start.addingTimeInterval(t)) { sends.append(t) }
        for w in stride(from: 0.0, through: 540, by: 0.25) {
            #expect(sends.filter { $0 >= w && $0 < w + 60 }.count <= 20)
        }
        #expect(sends.count >= 17 * 10, "close to the limit: \(sends.count) in 10 min")
    }

    @Test func outageThenEverythingInOrderWithReminderCoalescing() async throws {
        let clock = ManualClock()
        let store = try SQLiteAlertStore(db: try tempDB())
        let outbox = Outbox(store: store, clock: clock)
        for i in 0..<10 { outbox.enqueue(OutgoingMessage(chatID: 7, kind: .firing, fingerprint: "f:\(i)", html: "m\(i)", silent: false)) }
        outbox.enqueue(OutgoingMessage(chatID: 7, kind: .reminder, fingerprint: "f:1", html: "r1-old", silent: true, alertIDs: ["1"]))
        outbox.enqueue(OutgoingMessage(chatID: 7, kind: .reminder, fingerprint: "f:1", html: "r1-new", silent: true, alertIDs: ["1"]))
        outbox.enqueue(OutgoingMessage(chatID: 7, kind: .reminder, fingerprint: "f:2", html: "r2", silent: true, alertIDs: ["2"]))
        outbox.enqueue(OutgoingMessage(chatID: 7, kind: .resolved, fingerprint: "f:2", html: "ok2", silent: true, alertIDs: ["2"]))
        var delivered: [String] = []
        var attempts = 0
        let outageEnd = clock.now().addingTimeInterval(600)
        while clock.now() < outageEnd.addingTimeInterval(300) && delivered.count < 12 {
            await outbox.deliverDue { m in
                attempts += 1
                if clock.now() < outageEnd { return attempts % 2 == 0 ? .retry(after: 7, error: "429 Too Many Requests") : .retry(after: nil, error: "connection refused") }
                delivered.append(m.html)
                return .delivered(messageID: Int64(delivered.count))
            }
            clock.advance(by: 1)
        }
        // The resolved message does not wait behind the reminder; the reminder of the alert it
        // resolved is gone; everything late says it is late.
        #expect(delivered.map { $0.components(separatedBy: "\n")[0] } == (0..<10).map { "m\($0)" } + ["ok2", "r1-new"])
        // 10 min of outage plus the jittered backoff and the chat's rate limit after it: 10 or 11 min.
        #expect(delivered.allSatisfy { $0.range(of: #"\(delayed 1[01] min: Telegram unreachable\)"#, options: .regularExpression) != nil }, "\(delivered)")
        #expect(attempts - delivered.count < 600 / 2, "backs off instead of hammering: \(attempts) attempts")
        #expect(clock.now() < outageEnd.addingTimeInterval(90), "delivered soon after Telegram came back")
        #expect(try store.pending().isEmpty)
    }

    @Test func permanentFailureIsRecordedAndDoesNotBlockTheQueue() async throws {
        let clock = ManualClock()
        let store = try SQLiteAlertStore(db: try tempDB())
        let outbox = Outbox(store: store, clock: clock)
        outbox.enqueue(OutgoingMessage(chatID: 1, kind: .firing, html: "a", silent: false))
        outbox.enqueue(OutgoingMessage(chatID: 1, kind: .firing, html: "b", silent: false))
        var sent: [String] = []
        await outbox.deliverDue { m in
            if m.html == "a" { return .permanent("403 Forbidden: bot was blocked by the user") }
            sent.append(m.html); return .delivered(messageID: 1)
        }
        #expect(sent == ["b"])
        #expect(try store.failures().map(\.lastError) == ["403 Forbidden: bot was blocked by the user"])
    }
}
