import Foundation
import Testing
@testable import OpsbotCore
import HTTPClient
@testable import OpsbotApp
import SystemOps
import TestHarness
@testable import OpsbotServices

/// What `/status` and the alerts say, in words an operator reads (issue 19 items 12, 14, 17;
/// issue 18 item 7's cut lines).
@Suite struct StatusWordsTests {
    @Test func statusLinesAreCutAtAWordBoundary() {
        let summary = "worker: state unknown (Heroku API: no answer within 15 s (GET /apps/habitbot/dynos)) while the formation says two dynos should run and the release v42 went out 3 min ago with a migration pending"
        #expect(summary.count > 160)
        var report = StatusReport()
        report.checks = [CheckResult(check: "service_down", target: "worker", status: .unknown, summary: summary)]
        let line = try! #require(StatusModule.render(report).split(separator: "\n").first { $0.contains("services:") })
        let shown = try! #require(line.range(of: "services: ").map { String(line[$0.upperBound...]) })
        let clipped = try! #require(shown.components(separatedBy: "…").first)
        #expect(shown.contains("…"), "\(shown)")
        #expect(clipped.count <= 160)
        // What is shown ends with a whole word of the summary.
        let words = Set(summary.split(separator: " ").map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",;:()")) })
        let lastShown = String(clipped.split(separator: " ").last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: ",;:()"))
        #expect(words.contains(lastShown), "cut inside a word: …\(lastShown)")
        #expect("short line".clipped(toWords: 160) == "short line")
        #expect(String(repeating: "x", count: 200).clipped(toWords: 20) == String(repeating: "x", count: 19) + "…")
    }

    @Test func libcurlTimeoutsBecomeWhatTimedOutAndAfterHowLong() {
        let cases: [(HTTPError, Double?, String)] = [
            (HTTPError(kind: .timeout, message: "GET https://api.heroku.com/apps/x/dynos: Operation timed out after 1000 milliseconds with 0 bytes received"), 1, "no answer within 1 s"),
            (HTTPError(kind: .timeout, message: "GET https://api.heroku.com/apps/x/dynos: Operation timed out after 15001 milliseconds with 0 bytes received"), nil, "no answer within 15 s"),
            (HTTPError(kind: .timeout, message: "GET http://10.0.0.9/healthz: Connection timed out after 3002 milliseconds"), 10, "no connection within 3 s"),
            (HTTPError(kind: .timeout, message: "GET http://10.0.0.9/x: Operation timed out after 5000 milliseconds with 512 out of 4096 bytes received"), 5, "the answer was still incomplete after 5 s"),
            (HTTPError(kind: .timeout, message: "GET http://slow.example/x: Resolving timed out after 2000 milliseconds"), 5, "the host name did not resolve within 2 s"),
            (HTTPError(kind: .dns, message: "GET http://nowhere.invalid/x: Could not resolve host: nowhere.invalid"), nil, "the host name does not resolve"),
            (HTTPError(kind: .other, message: "GET http://127.0.0.1:9/x: Recv failure: Connection reset by peer"), nil, "Recv failure: Connection reset by peer"),
        ]
        for (e, timeout, expected) in cases {
            let said = e.plainWords(timeout: timeout)
            #expect(said == expected, "\(e.message) → \(said)")
            #expect(!said.contains("http") && !said.contains("milliseconds"))
        }
    }

    @Test func anUnreachableTargetBotIsNamedWithoutItsURL() async throws {
        let token = "987654321:AAF" + String(repeating: "u", count: 32)
        let app = try ServicesTest.app("""
        services:
          worker: {backend: command, status_command: [/bin/true], bot: true}
        target_bot:
          token_env: BOT_TOKEN
          api_url: "http://127.0.0.1:1"
        """, environment: ["BOT_TOKEN": token])
        let report = await StatusCollector.collect(try app.servicesFeature.manager(), parts: .targetBot)
        let bot = try #require(report.checks.first { $0.check == "target_bot" })
        #expect(bot.summary.hasPrefix("target bot: getMe: Bot API: "), "\(bot.summary)")
        #expect(!bot.summary.contains("http") && !bot.summary.contains("127.0.0.1") && !bot.summary.contains("bot[REDACTED]"), "\(bot.summary)")
    }

    @Test func aMissingDockerSocketIsNamedWithoutLibcurlsURL() async throws {
        do {
            _ = try await DockerEngine(socket: "/tmp/no-such-docker-\(UUID().uuidString.prefix(6)).sock").call("GET", "/containers/json?all=1")
            Issue.record("expected an error")
        } catch {
            let said = "\(error)"
            #expect(said.contains("could not connect (nothing listening there, or unreachable) (GET /containers/json)"), "\(said)")
            #expect(!said.contains("http://") && !said.contains("?all=1"), "\(said)")
        }
    }

    @Test func herokuTimeoutAloneValidatesAndTheOtherDefaultFollowsIt() throws {
        func heroku(_ keys: String) throws -> HerokuServiceConfig {
            let yaml = "services:\n  w:\n    backend: heroku\n    heroku:\n      app: habitbot\n\(keys)"
            let settings = try ServicesSettings.load(try OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/"))
            return try #require(settings.service("w")?.heroku)
        }
        let short = try heroku("      timeout: 5s\n")
        #expect(short.timeout == 5 && short.logWindow == 2.5)
        let long = try heroku("      log_window: 20s\n")
        #expect(long.logWindow == 20 && long.timeout == 40)
        let plain = try heroku("")
        #expect(plain.timeout == 15 && plain.logWindow == 5)
        // Both set, and contradicting: the message names both values.
        let yaml = "services:\n  w:\n    backend: heroku\n    heroku:\n      app: habitbot\n      timeout: 5s\n      log_window: 8s\n"
        let errors = ServicesFeature.validate(try OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/"))
        #expect(errors.contains { "\($0)".contains("log_window (8 s) must be below timeout (5 s)") }, "\(errors)")
    }

    /// A backend in a crash loop, with a secret in its last error line.
    struct CrashLooping: ServiceBackend {
        let config: ServiceConfig
        func status() async -> ServiceStatus { ServiceStatus(state: .failed, detail: "activating (auto-restart)", restartCounter: 12) }
        func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
            let all = ["INFO - starting", "ERROR - psycopg.OperationalError: password authentication failed (dsn password=s3cr3t-db-pass)",
                       "INFO - retrying", "CRITICAL - giving up"]
            return LogsResult(lines: all.filter(filter.matchesContent).suffix(lines).map { LogLine($0) })
        }
        var restartDescription: String { "nothing" }
        func restart() async throws {}
    }

    @Test func theCrashLoopAlertCarriesTheLastErrorLinesMasked() async throws {
        let yaml = "services:\n  worker: {backend: command, status_command: [/bin/true]}\nservice_options:\n  mask_env: [DB_PASSWORD]\n"
        let settings = try ServicesSettings.load(try OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/"))
        let m = ServiceManager(settings: settings, environment: ["DB_PASSWORD": "s3cr3t-db-pass"],
                               backends: ["worker": CrashLooping(config: try #require(settings.service("worker")))])
        let report = await StatusCollector.collect(m, parts: .services)
        let loop = try #require(report.checks.first { $0.check == "restart_loop" })
        #expect(loop.status == .critical)
        #expect(loop.summary.contains("12 automatic restarts"), "\(loop.summary)")
        #expect(loop.evidence.contains { $0.contains("password authentication failed") }, "\(loop.evidence)")
        #expect(loop.evidence.contains { $0.contains("CRITICAL - giving up") }, "\(loop.evidence)")
        #expect(!loop.evidence.joined().contains("s3cr3t-db-pass"), "\(loop.evidence)")
        #expect(loop.evidence.count <= StatusCollector.crashLoopErrorLines)
    }
}
