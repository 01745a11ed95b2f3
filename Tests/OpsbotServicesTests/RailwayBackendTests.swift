import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices
@testable import OpsbotDatabase
@testable import OpsbotAlertmanager

@Suite struct RailwayBackendTests {
    static func setup(_ fake: FakeRailway, extra: String = "", token: String? = PlatformTest.railwayToken,
                      clock: any OpsClock = SystemClock()) throws -> (AppContext, ServiceManager) {
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url, extra: extra),
                                       environment: token.map { ["RAILWAY_TOKEN": $0] } ?? [:], clock: clock)
        return (app, try app.servicesFeature.manager())
    }

    @Test func deploymentStatesBecomeOneStatus() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake)
        let b = try #require(m.backend("worker"))
        let cases: [(String, [(String, String)], ServiceStatus.State)] = [
            ("SUCCESS", [("i1", "RUNNING")], .running),
            ("CRASHED", [("i1", "CRASHED")], .failed),
            ("FAILED", [], .failed),
            ("DEPLOYING", [], .starting),
            ("BUILDING", [], .starting),
            ("SLEEPING", [], .stopped),
            ("REMOVED", [], .stopped),
        ]
        for (status, replicas, state) in cases {
            fake.state.withLock { $0.status = status; $0.replicas = replicas }
            let st = await b.status()
            #expect(st.state == state, "\(status): \(st)")
            #expect(st.detail.contains("deployment \(status)"), "\(st.detail)")
            #expect(st.configured == 1)
            #expect(st.release == "deployment dep-0001")
        }
        fake.state.withLock { $0.status = "CRASHED"; $0.replicas = [("i1", "CRASHED")] }
        let report = await StatusCollector.collect(m, parts: .services)
        let down = try #require(report.checks.first { $0.check == "service_down" })
        #expect(down.status == .critical)
        #expect(down.summary.contains("deployment CRASHED"))
    }

    @Test func errorsInAnHTTP200AreErrors() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let clock = ManualClock()
        let (_, m) = try Self.setup(fake, clock: clock)
        let b = try #require(m.backend("worker"))
        fake.state.withLock { $0.errors["opsbotServiceStatus"] = ["Problem processing request"] }
        let st = await b.status()
        #expect(st.state == .unknown)
        #expect(st.error?.contains("Railway: Problem processing request") == true)
        #expect(st.instancesUnknown != nil)
        // Not Authorized in a 200 names the variable; the token never shows.
        fake.state.withLock { $0.errors["opsbotVariables"] = ["Not Authorized"] }
        do { _ = try await b.environment(); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("Railway refused the token in RAILWAY_TOKEN (Not Authorized): it needs to read variables"))
            #expect(!"\(error)".contains(PlatformTest.railwayToken))
        }
        // A rate limit reported in errors is waited for and retried.
        fake.state.withLock { $0.errors["opsbotServiceStatus"] = ["Rate limit exceeded"] }
        let status = Task { await b.status() }
        await clock.sleepers(atLeast: 1)
        #expect(clock.requestedSleeps == [.seconds(2)])   // no Retry-After: 2 s, the first backoff step
        clock.advance(by: .seconds(2))
        let ok = await status.value
        #expect(ok.state == .running)
        #expect(ok.detail.contains("waited 2 s for the rate limit"))
    }

    @Test func missingProjectTokenIsNamed() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake, token: nil)
        let st = try await #require(m.backend("worker")).status()
        #expect(st.error?.contains("no token: set RAILWAY_TOKEN") == true)
    }

    @Test func logsOfTheLatestDeploymentAreFiltered() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let (app, _) = try Self.setup(fake)
        fake.state.withLock {
            $0.logs = (0..<40).map { i in ("2026-11-23T10:00:\(String(format: "%02d", i)).000Z", i % 8 == 0 ? "ERROR:aiogram: Conflict \(i)" : "INFO: update \(i)") }
        }
        let reply = try #require(ServicesTest.reply(try await ServicesTest.run(app, "/logs worker 50 error")))
        let text = HTML.toPlainText(reply.html)
        #expect(text.contains("worker: last 5 lines"))
        #expect(text.contains("ERROR:aiogram: Conflict 32"))
        #expect(!text.contains("INFO: update"))
        #expect(text.contains("deployment dep-0001 (SUCCESS)"))
    }

    @Test func restartIsVerifiedAndAFailedRestartSaysSo() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let clock = ManualClock()
        let (app, _) = try Self.setup(fake, clock: clock)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        #expect(HTML.toPlainText(plan.preview).contains("deploymentRestart"))
        let done = HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan.run(NoProgress()) }.html)
        #expect(done.hasPrefix("✅ worker healthy after"), "\(done)")
        // The platform refuses: the reason, not a success.
        fake.state.withLock { $0.restartReturns = false }
        let plan2 = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let refused = HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan2.run(NoProgress()) }.html)
        #expect(refused.contains("🔴 worker: restart failed: Railway did not restart deployment"), "\(refused)")
        // Accepted, but the deployment crashes.
        fake.state.withLock { $0.restartReturns = true; $0.restartedStatus = "CRASHED" }
        let plan3 = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let crashed = HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan3.run(NoProgress()) }.html)
        #expect(crashed.contains("🔴 worker still failing"), "\(crashed)")
        // An error in the 200 answer of the mutation.
        fake.state.withLock { $0.errors["opsbotDeploymentRestart"] = ["Deployment cannot be restarted"] }
        let plan4 = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let errored = HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan4.run(NoProgress()) }.html)
        #expect(errored.contains("restart failed: Railway: Deployment cannot be restarted"), "\(errored)")
    }

    @Test func redeployAndScale() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let (app, _) = try Self.setup(fake)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/redeploy worker")))
        #expect(HTML.toPlainText(plan.preview).contains("deploymentRedeploy"))
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.hasPrefix("✅ worker healthy after"), "\(done)")
        #expect(fake.state.current.deploymentID != "dep-0001-aaaa")
        fake.state.withLock { $0.numReplicas = 2 }
        let scale = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/scale worker 1")))
        #expect(HTML.toPlainText(scale.preview).contains("numReplicas = 1"))
        let scaled = HTML.toPlainText(await scale.run(NoProgress()).html)
        #expect(scaled.contains("numReplicas 2 → 1"), "\(scaled)")
        #expect(scaled.contains("/redeploy worker"))
        #expect(fake.state.current.numReplicas == 1)
        // A token that may not change settings: what the setting is and how to change it by hand.
        fake.state.withLock { $0.errors["opsbotScale"] = ["Not Authorized"] }
        let refused = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/scale worker 1")))
        let said = HTML.toPlainText(await refused.run(NoProgress()).html)
        #expect(said.contains("it needs to update the service settings"), "\(said)")
        #expect(said.contains("the replica setting is 1; change it in the Dashboard (Service → Settings → Scaling)"), "\(said)")
    }

    /// Every document the backend sends validates against Railway's published schema.
    @Test func everyGraphQLDocumentValidatesAgainstRailwaysSchema() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let (app, m) = try Self.setup(fake)
        let b = try #require(m.backend("worker") as? RailwayBackend)
        _ = await b.status()
        _ = try await b.logs(lines: 5, filter: LineFilter())
        _ = try await b.environment()
        _ = try await b.scale(to: 1)
        try await b.restart()
        try await b.redeploy()
        _ = app
        var docs = RailwayQueries.all
        for (i, d) in fake.documents.enumerated() { docs["sent-\(i)"] = d }
        #expect(Set(fake.documents).isSubset(of: Set(RailwayQueries.all.values)))
        switch try await PlatformSchemas.validateGraphQL(docs) {
        case .valid:
            // The validator itself rejects a wrong document (the check can fail).
            let bad = try await PlatformSchemas.validateGraphQL(["bad": "query { serviceInstance(serviceId: \"x\") { replicas } }"])
            guard case .invalid(let why) = bad else { Issue.record("a document with an unknown field validated"); return }
            #expect(why.contains("Cannot query field 'replicas'"))
            #expect(why.contains("environmentId"))
        case .invalid(let why): Issue.record("GraphQL documents do not validate against Railway's schema:\n\(why)")
        case .unavailable(let why):
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("graphql-core is required under CI: \(why)") }
            else { print("⚠️ SKIPPED GraphQL validation: \(why) — run scripts/deps.sh test") }
        }
    }

    @Test func herokuLinksRejectWhatTheSchemaDoesNotHave() {
        #expect(PlatformSchemas.herokuProblem(method: "PATCH", path: "/apps/habitbot/formation/worker", body: Data(#"{"quantity":1}"#.utf8)) == nil)
        #expect(PlatformSchemas.herokuProblem(method: "PATCH", path: "/apps/habitbot/formation/worker", body: Data(#"{"replicas":1}"#.utf8)) != nil)
        #expect(PlatformSchemas.herokuProblem(method: "PATCH", path: "/apps/habitbot/formation/worker", body: Data(#"{"quantity":"1"}"#.utf8)) != nil)
        #expect(PlatformSchemas.herokuProblem(method: "POST", path: "/apps/habitbot/restart", body: Data()) != nil)
    }
}

@Suite struct PlatformDateTests {
    @Test func timestampsOfBothPlatformsParse() throws {
        let expected = Date(timeIntervalSince1970: 1_795_514_400.123)
        for s in ["2026-11-24T10:00:00.123Z", "2026-11-24T10:00:00.123456+00:00", "2026-11-24T10:00:00.123456789Z", "2026-11-24T12:00:00.123+02:00"] {
            let d = try #require(PlatformDate.parse(s), "\(s)")
            #expect(abs(d.timeIntervalSince(expected)) < 0.002, "\(s) → \(d)")
        }
        #expect(PlatformDate.parse("2026-11-24T10:00:00Z") != nil)
        #expect(PlatformDate.parse("app[worker.1]:") == nil)
        #expect(PlatformDate.parse(nil) == nil)
    }
}
