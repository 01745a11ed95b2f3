import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotApp
@testable import OpsbotServices

/// Issue 19 item 19: health and heartbeat alerts of a service wait until it has been up
/// `startup_grace`, measured from the service's own start time — a reboot with a slow web does
/// not page; a service in a restart loop still alerts at once.
@Suite struct StartupGraceTests {
    /// A real process that just started, its health endpoint refusing connections: unknown while
    /// within `startup_grace`, critical after it (on the manual clock).
    @Test func aJustStartedServiceIsNotUnhealthyUntilItsGraceHasPassed() async throws {
        let marker = "3000.\(Int.random(in: 100_000...999_999))"
        let pid = try ProcessRunner.spawnDetached(["/bin/sleep", marker], logFile: nil)
        defer { kill(pid, SIGKILL); var st: Int32 = 0; waitpid(pid, &st, 0) }
        let clock = ManualClock(Date())
        let app = try ServicesTest.app("""
            services:
              web:
                backend: process
                match: 'sleep \(marker.replacingOccurrences(of: ".", with: "\\."))'
                health:
                  - http://127.0.0.1:1/healthz
                startup_grace: 30s
            """, clock: clock)
        #expect(try app.servicesFeature.manager().settings.service("web")?.startupGrace == 30)
        func health() async -> CheckResult? { await app.checks.named("health")!.run(app).first { $0.check == "health" } }
        let starting = try #require(await health())
        #expect(starting.status == .unknown && starting.summary.contains("start-up grace"), "\(starting)")
        clock.advance(by: 31)
        let after = try #require(await health())
        #expect(after.status == .critical, "up 31 s with a 30 s grace: \(after)")
    }

    @Test func graceIsMeasuredFromTheServiceAndSkippedInARestartLoop() throws {
        let now = Date()
        let cfg = try #require(try ServicesTest.app("""
            services:
              web:
                backend: process
                match: 'nothing-\(UUID().uuidString)'
            """).servicesFeature.manager().settings.service("web"))
        #expect(cfg.startupGrace == 60, "default 60 s")
        let fresh = ServiceStatus(state: .running, detail: "up", startedAt: now.addingTimeInterval(-10), instances: 1)
        #expect(StatusCollector.inStartupGrace(cfg, fresh, restartsLastHour: nil, now: now) == 10)
        #expect(StatusCollector.inStartupGrace(cfg, fresh, restartsLastHour: 5, now: now) == nil, "a restart loop alerts at once")
        var counted = fresh
        counted.restartCounter = 7
        #expect(StatusCollector.inStartupGrace(cfg, counted, restartsLastHour: nil, now: now) == nil)
        let old = ServiceStatus(state: .running, detail: "up", startedAt: now.addingTimeInterval(-120), instances: 1)
        #expect(StatusCollector.inStartupGrace(cfg, old, restartsLastHour: nil, now: now) == nil)
        let unknownStart = ServiceStatus(state: .running, detail: "up", instances: 1)
        #expect(StatusCollector.inStartupGrace(cfg, unknownStart, restartsLastHour: nil, now: now) == nil)
    }

    /// A heartbeat due every 30 s from a service that needs 45 s to start: not missing at 40 s.
    @Test func heartbeatWaitsForTheStartupGraceToo() throws {
        let now = Date()
        let cfg = try #require(try ServicesTest.app("""
            services:
              worker:
                backend: process
                match: 'nothing-\(UUID().uuidString)'
                heartbeat_marker: 'tick'
                heartbeat_max_age: 30s
            """).servicesFeature.manager().settings.service("worker"))
        let at40 = StatusCollector.evaluate(cfg, patterns: [], lines: [], now: now, startedAt: now.addingTimeInterval(-40))
        #expect(at40.first { $0.check == "heartbeat" }?.status == .ok)
        let at70 = StatusCollector.evaluate(cfg, patterns: [], lines: [], now: now, startedAt: now.addingTimeInterval(-70))
        #expect(at70.first { $0.check == "heartbeat" }?.status == .critical)
    }

    @Test func startupGraceIsAStrictDuration() throws {
        let bad = try OpsbotConfig.parse("""
            services:
              web:
                backend: process
                match: 'x'
                startup_grace: soon
            """, source: "t.yaml", baseDirectory: "/")
        let errors = ServicesFeature.validate(bad)
        #expect(errors.contains { $0.description.contains("startup_grace") }, "\(errors)")
    }
}
