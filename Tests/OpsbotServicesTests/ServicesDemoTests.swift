import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// The demo end to end: scripts/demo-app.sh starts the sample app, demo/config-services.yaml
/// describes it, and /status, /logs, /restart and /env work against the real processes.
@Suite(.exclusive) struct ServicesDemoTests {
    @Test func demoConfigAgainstTheSampleApp() async throws {
        let root = TestApp.repositoryRoot
        let dir = ServicesTest.dir()
        let port = 20000 + Int.random(in: 0..<20000)
        var yaml = try String(contentsOfFile: root + "/demo/config-services.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "8089", with: String(port))
        let env = ["DEMO_DIR": dir, "DEMO_WEB_PORT": String(port), "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": NSHomeDirectory()]
        let start = try await ProcessRunner.run([root + "/scripts/demo-app.sh", "start", dir], timeout: 10, environment: env)
        #expect(start.succeeded, "\(start.stderr)")
        defer {
            // `defer` cannot await: start the stop script and wait for it here.
            if let pid = try? ProcessRunner.spawnDetached([root + "/scripts/demo-app.sh", "stop", dir], logFile: nil, environment: env) {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
        }

        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n" + yaml, servicesEnvironment: env)
        let m = try app.servicesFeature.manager()
        // wait for the web server to listen and the worker to log its startup line
        for _ in 0..<50 {
            if (try? String(contentsOfFile: dir + "/worker.log", encoding: .utf8))?.contains("Bot is starting polling") == true,
               (await Probes.health(HealthEndpoint(url: "http://127.0.0.1:\(port)/healthz", timeout: 1))).ok { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let status = ServicesTest.text(try await ServicesTest.run(app, "/status"))
        #expect(status.contains("web healthz 200"), "\(status)")
        // Issue 8 item 11: the one screen — env rules are part of it, and it fits a phone.
        #expect(status.contains("env: "), "\(status)")
        #expect(status.split(separator: "\n").count <= 25, "\(status)")
        #expect(status.split(separator: "\n").contains { $0.hasPrefix("worker") && $0.contains("running") })
        let logs = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 20"))
        #expect(logs.contains("Bot is starting polling"))
        let env2 = ServicesTest.text(try await ServicesTest.run(app, "/env worker"))
        #expect(env2.contains("✅ PORT") && !env2.contains(dir))

        let oldPID = ProcInfo.readPidfile(dir + "/worker.pid")
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.contains("worker healthy after"), "\(done)")
        #expect(ProcInfo.readPidfile(dir + "/worker.pid") != oldPID)
    }
}
