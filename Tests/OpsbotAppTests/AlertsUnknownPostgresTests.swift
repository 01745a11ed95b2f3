import Foundation
import Testing
import Alerting
@testable import OpsbotCore
import TestHarness
@testable import OpsbotApp
@testable import OpsbotDatabase

/// Issue 8 item 2 against real PostgreSQL: the application database refuses connections for
/// 5 minutes. The payments alerts become unknown — no "resolved", no reminder with the count
/// from before the outage — and say so on their firing message; back, one line says they are
/// known again.
@Suite(.enabled(if: TestPostgres.enabled))
struct AlertsUnknownPostgresTests {
    @Test func databaseUnreachableMakesPaymentsAlertsUnknownNotResolved() async throws {
        let clock = ManualClock()
        let f = try await DBFixture.make(database: DBFixture.demoConfig + "\nalerts:\n  repeat: 1m\n", clock: clock)
        let svc = try f.app.alertsFeature.service()
        func round() async {
            svc.submit("payments", await PaymentsCheck(database: f.app.databaseFeature).run(f.app))
            svc.submit("database", await DatabaseCheck(database: f.app.databaseFeature).run(f.app))
            svc.evaluateRound()
            await svc.deliver(f.app)
            clock.advance(by: 30)
        }
        await round()
        let fired = f.transport.events.compactMap { if case .sent(_, _, let r) = $0 { HTML.toPlainText(r.html) } else { nil } }
        #expect(fired.contains { $0.contains("payments · duplicates") || $0.contains("payments:duplicates") }, "\(fired)")
        let before = f.transport.events.count

        _ = try await f.pg.psqlAsync(database: "postgres", command: "ALTER DATABASE \"\(f.dbName)\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(f.dbName)';")
        for _ in 0..<10 { await round() }   // 5 minutes
        let during = f.transport.events.dropFirst(before)
        let sentDuring = during.compactMap { if case .sent(_, _, let r) = $0 { HTML.toPlainText(r.html) } else { nil } }
        #expect(!sentDuring.contains { $0.contains("resolved") }, "no false resolved: \(sentDuring)")
        #expect(!sentDuring.contains { $0.contains("Still firing") && $0.contains("payments") }, "no stale reminders: \(sentDuring)")
        let edits = during.compactMap { if case .edited(_, let r) = $0 { HTML.toPlainText(r.html) } else { nil } }
        #expect(edits.contains { $0.contains("unknown since") }, "the firing message says unknown: \(edits)")
        let a = try #require(svc.engine.alert(fingerprint: "payments:duplicates"))
        #expect(a.isFiring && a.unknownSince != nil)

        _ = try await f.pg.psqlAsync(database: "postgres", command: "ALTER DATABASE \"\(f.dbName)\" ALLOW_CONNECTIONS true;")
        let mark = f.transport.events.count
        await round()
        let after = f.transport.events.dropFirst(mark).compactMap { e -> String? in
            switch e { case .sent(_, _, let r), .edited(_, let r): HTML.toPlainText(r.html); default: nil }
        }
        #expect(after.contains { $0.contains("known again") }, "\(after)")
        #expect(svc.engine.alert(fingerprint: "payments:duplicates")?.unknownSince == nil)
    }
}
