import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// Issue 19 items 1 and 2: a restart is verified through what the platform's API shows, the
/// "restart requested" state ends with the verification, and a restart Railway gives no sign of
/// is "not verifiable", never "failing".
@Suite struct PlatformRestartVerificationTests {
    static func heroku(_ fake: FakeHeroku, clock: ManualClock) throws -> (AppContext, ServiceManager) {
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url), environment: ["HEROKU_API_KEY": PlatformTest.herokuToken], clock: clock)
        return (app, try app.servicesFeature.manager())
    }

    static func railway(_ fake: FakeRailway, clock: ManualClock, extra: String = "") throws -> (AppContext, ServiceManager) {
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url, extra: extra), environment: ["RAILWAY_TOKEN": PlatformTest.railwayToken], clock: clock)
        return (app, try app.servicesFeature.manager())
    }

    static func restart(_ app: AppContext, _ clock: ManualClock, verb: String = "restart") async throws -> String {
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/\(verb) worker")))
        return HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan.run(NoProgress()) }.html)
    }

    @Test func aRestartHerokuNeverPerformedFailsAndStatusThenShowsWhatHerokuReports() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let clock = ManualClock()
        let (app, m) = try Self.heroku(fake, clock: clock)
        fake.setDynos([("worker.1", "up")])
        fake.state.withLock { $0.restartIgnored = true }
        let failed = try await Self.restart(app, clock)
        #expect(failed.contains("🔴 worker still failing after 8 s"), "\(failed)")
        #expect(failed.contains("Heroku still reports worker.1 unchanged"), "\(failed)")
        // The verification is over: the dyno has been up all along, and /status says so.
        let st = try await #require(m.backend("worker")).status()
        #expect(st.state == .running, "\(st)")
        #expect(!st.detail.contains("restart requested"), "\(st.detail)")
        let report = await StatusCollector.collect(m, parts: .services, clock: clock)
        let down = try #require(report.checks.first { $0.check == "service_down" })
        #expect(down.status == .ok, "\(down.summary)")
        #expect(!StatusModule.render(report).contains("starting"))
    }

    @Test func aRestartWatchNobodyVerifiesLapsesAfterRestartWait() async throws {
        // A restart nobody verifies (the backend called directly): the backend that performed
        // it must not report "restart requested" for ever.
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let clock = ManualClock()
        let (_, m) = try Self.heroku(fake, clock: clock)
        fake.setDynos([("worker.1", "up")])
        fake.state.withLock { $0.restartIgnored = true }
        let b = try #require(m.backend("worker"))
        try await b.restart()
        let during = await b.status()
        #expect(during.detail.contains("restart requested; Heroku still reports worker.1 unchanged"), "\(during.detail)")
        clock.advance(by: 11)   // restart_wait 8 s, and a margin
        let after = await b.status()
        #expect(after.state == .running, "\(after)")
        #expect(!after.detail.contains("restart requested"), "\(after.detail)")
    }

    @Test func aRestartRailwayShowsNoSignOfIsNotVerifiableNeverFailing() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let clock = ManualClock()
        let (app, m) = try Self.railway(fake, clock: clock)
        fake.state.withLock { $0.restartTrace = .nothing }
        let said = try await Self.restart(app, clock)
        #expect(said.contains("⚠️ worker: restart requested, not verifiable"), "\(said)")
        #expect(said.contains("deployment dep-0001 still SUCCESS"), "\(said)")
        #expect(!said.contains("failing"), "\(said)")
        #expect(!said.contains("🔴"), "\(said)")
        let st = try await #require(m.backend("worker")).status()
        #expect(st.state == .running, "\(st)")
        #expect(!st.detail.contains("restart requested"), "\(st.detail)")
    }

    @Test func aRestartRailwayShowsOnlyThroughATransitionOrANewRunIsVerified() async throws {
        for trace in [FakeRailway.RestartTrace.transition, .newExecution, .statusAndReplicas] {
            let fake = try FakeRailway()
            defer { fake.stop() }
            let clock = ManualClock()
            let (app, m) = try Self.railway(fake, clock: clock)
            fake.state.withLock { $0.restartTrace = trace }
            let said = try await Self.restart(app, clock)
            #expect(said.hasPrefix("✅ worker healthy after"), "\(trace): \(said)")
            let st = try await #require(m.backend("worker")).status()
            #expect(st.state == .running && !st.detail.contains("restart requested"), "\(trace): \(st)")
        }
    }

    @Test func aStartupLineLoggedSinceTheRequestVerifiesWhatRailwayDoesNotShow() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let clock = ManualClock()
        let (app, _) = try Self.railway(fake, clock: clock, extra: "    startup_marker: 'Bot is starting polling'\n")
        // Nothing changes in the API, but the restarted bot logs its start line.
        fake.state.withLock {
            $0.restartTrace = .nothing
            $0.logs = [(FakeHeroku.iso(clock.wallTime.addingTimeInterval(2)), "INFO - Bot is starting polling...")]
        }
        let said = try await Self.restart(app, clock)
        #expect(said.hasPrefix("✅ worker healthy after"), "\(said)")
    }

    @Test func aCrashAfterARestartIsStillAFailure() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let clock = ManualClock()
        let (app, _) = try Self.railway(fake, clock: clock)
        fake.state.withLock { $0.restartedStatus = "CRASHED" }
        let said = try await Self.restart(app, clock)
        #expect(said.contains("🔴 worker still failing"), "\(said)")
    }
}
