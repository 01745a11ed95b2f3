import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotApp
@testable import OpsbotServices
@testable import OpsbotAlertmanager

@Suite(.exclusive) struct HerokuBackendTests {
    static func setup(_ fake: FakeHeroku, extra: String = "", token: String? = PlatformTest.herokuToken,
                      clock: any OpsClock = SystemClock()) throws -> (AppContext, ServiceManager) {
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url, extra: extra),
                                       environment: token.map { ["HEROKU_API_KEY": $0] } ?? [:], clock: clock)
        return (app, try app.servicesFeature.manager())
    }

    /// Every request the fake saw matches a link of Heroku's schema, and none carried the token in a URL.
    static func expectSchemaConformance(_ fake: FakeHeroku) {
        for r in fake.requests.current where !r.path.hasPrefix("/stream/") {
            #expect(PlatformSchemas.herokuProblem(method: r.method, path: r.path, body: r.body) == nil, "\(r.method) \(r.path)")
            #expect(!r.path.contains(PlatformTest.herokuToken))
        }
        for r in fake.requests.current where r.path.hasPrefix("/stream/") {
            #expect(r.headers["authorization"] == nil, "the API token must not go to the log stream host")
        }
    }

    @Test func dynoStatesAndFormationBecomeOneStatus() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake)
        let b = try #require(m.backend("worker"))
        let cases: [([(String, String)], Int, ServiceStatus.State, String)] = [
            ([("worker.1", "up")], 1, .running, "1/1 up"),
            ([("worker.1", "up"), ("worker.2", "up")], 2, .running, "2/2 up"),
            ([("worker.1", "starting")], 1, .starting, "0/1 up"),
            ([("worker.1", "crashed")], 1, .failed, "0/1 up"),
            ([("worker.1", "idle")], 1, .stopped, "0/1 up"),
            ([("worker.1", "down")], 1, .stopped, "0/1 up"),
            ([], 0, .stopped, "scaled to 0"),
        ]
        for (dynos, q, state, detail) in cases {
            fake.setDynos(dynos)
            fake.state.withLock { $0.quantity["worker"] = q }
            let st = await b.status()
            #expect(st.state == state, "\(dynos) q=\(q): \(st)")
            #expect(st.detail.contains(detail), "\(st.detail)")
            #expect(st.configured == q)
            #expect(st.release == "v42")
            #expect(st.instancesUnknown == nil)
        }
        // Scaled to 0 is a problem with its fix, not "fine": seed 000's heroku ps:scale worker=1.
        let report = await StatusCollector.collect(m, parts: .services)
        let down = try #require(report.checks.first { $0.check == "service_down" })
        #expect(down.status == .critical)
        #expect(down.summary.contains("/scale worker 1"))
        Self.expectSchemaConformance(fake)
    }

    @Test func twoDynosOfAPollingWorkerAreCritical() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake)
        fake.setDynos([("worker.1", "up"), ("worker.2", "up")])
        fake.state.withLock { $0.quantity["worker"] = 2 }
        let report = await StatusCollector.collect(m, parts: .services)
        let inst = try #require(report.checks.first { $0.check == "instances" })
        #expect(inst.status == .critical)
        #expect(inst.remediation == "/scale worker 1")
    }

    @Test func logSessionThatEndsIsReadAndFiltered() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake)
        let now = Date()
        fake.state.withLock {
            $0.logBody = (0..<30).map { i in "\(FakeHeroku.logStamp(now.addingTimeInterval(Double(i - 30)))) app[worker.1]: \(i % 10 == 0 ? "ERROR - boom \(i)" : "INFO - tick \(i)")\n" }.joined()
        }
        let b = try #require(m.backend("worker"))
        let r = try await b.logs(lines: 50, filter: LineFilter(level: .error))
        #expect(r.lines.map(\.text).count == 3)
        // logplex stamps (microseconds) are read, so a window applies: the last 15 s hold one error.
        let recent = try await b.logs(lines: 50, filter: LineFilter(level: .error, since: now.addingTimeInterval(-15)))
        #expect(recent.lines.count == 1)
        #expect(r.lines.last?.text.contains("ERROR - boom 20") == true)
        #expect(r.lines.first?.time != nil)
        #expect(r.notes.isEmpty)
        let session = try #require(fake.requests.current.first { $0.path.hasSuffix("/log-sessions") })
        let body = try #require(try JSONSerialization.jsonObject(with: session.body) as? [String: Any])
        #expect(body["type"] as? String == "worker")
        #expect(body["tail"] as? Bool == false)
        Self.expectSchemaConformance(fake)
    }

    @Test func logStreamThatNeverEndsIsCutAfterTheWindow() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake)
        fake.state.withLock {
            $0.logForever = true
            $0.logBody = "\(FakeHeroku.iso(Date())) app[worker.1]: INFO - Bot is starting polling...\n"
        }
        let b = try #require(m.backend("worker"))
        let t0 = Date()
        let r = try await b.logs(lines: 50, filter: LineFilter())
        let took = Date().timeIntervalSince(t0)
        #expect(took < 4, "log_window is 1 s; took \(took)")
        #expect(r.lines.first?.text.contains("Bot is starting polling") == true)
        #expect(r.notes.contains { $0.contains("kept the log stream open") })
    }

    @Test func anUnreachableLogStreamIsNamedWithoutItsSignedURL() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (app, _) = try Self.setup(fake)
        fake.state.withLock { $0.logURL = "http://127.0.0.1:1/sessions/0123-secret-session?srv=99" }
        let text = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 20"))
        #expect(text.contains("Heroku log stream (127.0.0.1): connection refused"), "\(text)")
        #expect(!text.contains("secret-session"))
    }

    @Test func rateLimitIsWaitedForThenGivenUpClearly() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let clock = ManualClock()
        let (_, m) = try Self.setup(fake, clock: clock)
        fake.setDynos([("worker.1", "up")])
        let b = try #require(m.backend("worker") as? HerokuBackend)
        let limited = (status: 429, headers: ["RateLimit-Remaining": "0", "Retry-After": "1"], body: #"{"id":"rate_limit","message":"Your account reached the API rate limit"}"#)
        fake.state.withLock { $0.faults = [limited] }
        let listing = Task { try await b.dynos() }
        await clock.sleepers(atLeast: 1)
        #expect(clock.requestedSleeps == [.seconds(1)])   // exactly Retry-After
        clock.advance(by: .seconds(1))
        let list = try await listing.value
        #expect(list.0.count == 1)
        #expect(list.1.note?.en.contains("waited 1 s for the rate limit") == true)
        // Persistently limited: a clear message, no hot loop, no token.
        fake.state.withLock { $0.faults = Array(repeating: limited, count: 10) }
        let failing = Task { try await b.dynos() }
        await clock.advanceWhenAsleep(by: .seconds(1))
        await clock.advanceWhenAsleep(by: .seconds(1))
        do {
            _ = try await failing.value
            Issue.record("expected a rate-limit error")
        } catch {
            #expect("\(error)".contains("Heroku rate limit (429, RateLimit-Remaining: 0)"))
        }
        #expect(fake.requests.current.count <= 6)
    }

    @Test func unauthorizedAndForbiddenNameTheTokenAndPermission() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (app, m) = try Self.setup(fake)
        let b = try #require(m.backend("worker"))
        fake.state.withLock { $0.faults = Array(repeating: (401, [:], #"{"id":"unauthorized","message":"Invalid credentials provided."}"#), count: 3) }
        let st = await b.status()
        #expect(st.state == .unknown)
        #expect(st.instancesUnknown?.contains("401 Unauthorized: the token in HEROKU_API_KEY is missing, expired or revoked") == true)
        fake.state.withLock { $0.forbidden = ["config-vars"] }
        do { _ = try await b.environment(); Issue.record("expected 403") } catch {
            #expect("\(error)".contains("403 Forbidden"))
            #expect("\(error)".contains("HEROKU_API_KEY lacks the permission to read config vars"))
            #expect(!"\(error)".contains(PlatformTest.herokuToken))
        }
        // /conflicts says unknown, not ✅ 0.
        fake.state.withLock { $0.forbidden = ["dynos"] }
        let text = ServicesTest.text(try await ServicesTest.run(app, "/conflicts"))
        #expect(text.contains("instances: unknown (Heroku answered 403 Forbidden"))
        #expect(!text.contains("0 instance"))
    }

    @Test func aSlowPlatformIsCutByItsTimeout() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let yaml = PlatformTest.herokuYAML(fake.url).replacingOccurrences(of: "timeout: 5s", with: "timeout: 1s")
            .replacingOccurrences(of: "log_window: 1s", with: "log_window: 500ms")
        let app = try ServicesTest.app(yaml, environment: ["HEROKU_API_KEY": PlatformTest.herokuToken])
        fake.state.withLock { $0.delay = 3 }
        let t0 = Date()
        let st = try await #require(try app.servicesFeature.manager().backend("worker")).status()
        #expect(Date().timeIntervalSince(t0) < 2.5)
        #expect(st.state == .unknown)
        #expect(st.error?.contains("no answer within 1 s") == true, "\(st)")
        // Issue 19 item 12: what timed out and after how long — not libcurl's sentence, not the URL.
        #expect(st.error?.contains("Heroku API: no answer within 1 s (GET /apps/habitbot/dynos)") == true, "\(st)")
        #expect(st.error.map { !$0.contains("Operation timed out") && !$0.contains("milliseconds") && !$0.contains("http://") } == true, "\(st)")
    }

    @Test func tokenVariableIsWithheldFromChildProcesses() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        _ = try Self.setup(fake)
        let r = try await ProcessRunner.run(["/usr/bin/env"], timeout: 5, environment: ["HEROKU_API_KEY": PlatformTest.herokuToken, "KEEP_ME": "1"])
        #expect(r.stdout.contains("KEEP_ME=1"))
        #expect(!r.stdout.contains("HEROKU_API_KEY"))
        #expect(!r.stdout.contains(PlatformTest.herokuToken))
    }

    @Test func missingTokenIsNamed() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let (_, m) = try Self.setup(fake, token: nil)
        let st = try await #require(m.backend("worker")).status()
        #expect(st.state == .unknown)
        #expect(st.error?.contains("no token: set HEROKU_API_KEY") == true)
        #expect(fake.requests.current.isEmpty)
    }

    @Test func restartIsVerifiedByNewDynoTimestamps() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let clock = ManualClock()
        let (app, _) = try Self.setup(fake, clock: clock)
        fake.setDynos([("worker.1", "up"), ("worker.2", "up")])
        fake.state.withLock { $0.quantity["worker"] = 2 }
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        #expect(HTML.toPlainText(plan.preview).contains("DELETE /apps/habitbot/formations/worker"))
        #expect(!fake.requests.current.contains { $0.method == "DELETE" })
        let done = HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan.run(NoProgress()) }.html)
        #expect(done.hasPrefix("✅ worker healthy after"), "\(done)")
        #expect(fake.requests.current.filter { $0.method == "DELETE" }.count == 1)
        // Dynos that crash after the restart fail verification with the reason.
        fake.state.withLock { $0.restartState = "crashed" }
        let plan2 = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let failed = HTML.toPlainText(await clock.drive(by: .seconds(1)) { await plan2.run(NoProgress()) }.html)
        #expect(failed.contains("🔴 worker still failing"), "\(failed)")
        Self.expectSchemaConformance(fake)
    }

    @Test func scaleAndEnvThroughTheAPI() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let extra = "    env:\n      rules:\n        - {name: TELEGRAM_BOT_TOKEN, format: regex, pattern: '^[0-9]+:[A-Za-z0-9_-]{30,}$'}\n        - {name: ENCRYPTION_SECRET, format: bytes, length: 32}\n"
        let (app, _) = try Self.setup(fake, extra: extra)
        fake.state.withLock {
            $0.quantity["worker"] = 0
            $0.config = ["TELEGRAM_BOT_TOKEN": "123456789:AAF" + String(repeating: "q", count: 32), "ENCRYPTION_SECRET": "short-secret-value"]
        }
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/scale worker 1")))
        #expect(HTML.toPlainText(plan.preview).contains("heroku ps:scale worker=1"))
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.contains("worker: formation quantity 0 → 1"), "\(done)")
        #expect(fake.state.current.quantity["worker"] == 1)
        let env = ServicesTest.text(try await ServicesTest.run(app, "/env worker"))
        #expect(env.contains("Heroku config vars"))
        #expect(env.contains("✅ TELEGRAM_BOT_TOKEN"))
        #expect(env.contains("🔴 ENCRYPTION_SECRET"))
        #expect(!env.contains("short-secret-value"))
        Self.expectSchemaConformance(fake)
    }

    @Test func badConfigIsRefusedWithItsKey() throws {
        for (yaml, needle) in [
            ("services:\n  w: {backend: heroku}\n", "heroku"),
            ("services:\n  w: {backend: heroku, heroku: {app: Bad_Name}}\n", "app"),
            ("services:\n  w: {backend: command, status_command: [x], heroku: {app: habitbot}}\n", "only read with backend: heroku"),
            ("services:\n  w: {backend: railway, railway: {project_id: p, environment_id: e}}\n", "service_id"),
            ("services:\n  w: {backend: railway, railway: {project_id: p, environment_id: e, service_id: s, token_kind: team}}\n", "project or account"),
            ("services:\n  w: {backend: heroku, heroku: {app: habitbot, proces_type: worker}}\n", "services.w.heroku.proces_type"),
        ] {
            let config = try OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/")
            #expect(throws: (any Error).self, "\(yaml)") { try ServicesSettings.load(config) }
            let errors = ServicesFeature.validate(config)
            #expect(errors.contains { "\($0)".contains(needle) }, "\(errors)")
        }
    }
}
