import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices
@testable import OpsbotAlertmanager

/// The process backend against real child processes: find, restart with verification,
/// several instances, stopping the extra one while keeping the supervised one.
@Suite(.serialized) struct ServicesProcessTests {
    let dir: String
    let tag: String

    init() throws {
        dir = ServicesTest.dir()
        tag = "osworker\(UUID().uuidString.prefix(6))"
        // The worker: logs its startup line, then idles; its argv carries `tag` for `match`.
        try ServicesTest.write("\(dir)/\(tag).sh", """
        echo "$(date '+%Y-%m-%d %H:%M:%S') - INFO - Bot is starting polling..." >> \(dir)/worker.log
        while true; do sleep 1; done
        """)
        try ServicesTest.write("\(dir)/broken.sh", """
        echo "$(date '+%Y-%m-%d %H:%M:%S') - ERROR - ImportError: cannot import name 'x'" >> \(dir)/broken.log
        exit 1
        """)
    }

    var yaml: String { """
    services:
      worker:
        backend: process
        match: '\(tag)\\.sh'
        pidfile: \(dir)/worker.pid
        log_file: \(dir)/worker.log
        start: [/bin/sh, \(dir)/\(tag).sh]
        stop_timeout: 2s
        startup_marker: 'Bot is starting polling'
        restart_wait: 10s
        bot: true
      broken:
        backend: process
        pidfile: \(dir)/broken.pid
        log_file: \(dir)/broken.log
        start: [/bin/sh, \(dir)/broken.sh]
        restart_wait: 2s
    """ }

    func killAll() {
        for p in ProcInfo.find(matching: try! NSRegularExpression(pattern: tag)) { kill(p.pid, SIGKILL) }
    }

    @Test func restartVerifiesThenConflictsStopTheExtraCopy() async throws {
        defer { killAll() }
        let app = try ServicesTest.app(yaml)
        let m = try app.servicesFeature.manager()
        #expect(await m.backend("worker")!.status().state == .stopped)

        let outcome = try await ServicesTest.run(app, "/restart worker")
        let plan = try #require(ServicesTest.plan(outcome))
        #expect(HTML.toPlainText(plan.preview).contains("/bin/sh \(dir)/\(tag).sh"))
        let progress = RecordingProgress()
        let result = await plan.run(progress)
        #expect(HTML.toPlainText(result.html).contains("worker healthy after"), "\(result.html)")
        #expect(HTML.toPlainText(result.html).contains("(pid — → "), "the new pid: \(result.html)")
        #expect(progress.updates.current.first == "⏳ restarting worker…")
        #expect(progress.updates.current.contains("⏳ worker active, waiting for health…"))

        let pid = try #require(ProcInfo.readPidfile("\(dir)/worker.pid"))
        var st = await m.backend("worker")!.status()
        #expect(st.state == .running && st.instances == 1 && st.pids == [pid])

        // Someone starts a second copy by hand: 409 risk.
        let stray = try ProcessRunner.spawnDetached(["/bin/sh", "\(dir)/\(tag).sh"], logFile: nil)
        Reaper.reap(stray)
        try await Task.sleep(nanoseconds: 200_000_000)
        st = await m.backend("worker")!.status()
        #expect(st.instances == 2)
        let checks = await ServicesCheckProvider(services: app.servicesFeature, name: "services", parts: .services).run(app)
        let inst = try #require(checks.first { $0.check == "instances" && $0.target == "worker" })
        #expect(inst.status == .critical && inst.value == 2 && inst.remediation == "/conflicts")

        let conflicts = try await ServicesTest.run(app, "/conflicts")
        let stop = try #require(ServicesTest.plan(conflicts))
        let preview = HTML.toPlainText(stop.preview)
        #expect(preview.contains("keep: pid \(pid)") && preview.contains("extra: pid \(stray)"))
        _ = await stop.run(NoProgress())
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(!ProcInfo.isAlive(stray))
        #expect(ProcInfo.isAlive(pid))
    }

    @Test func secondRestartIsRefusedAndFailureShowsLastErrors() async throws {
        defer { killAll() }
        let app = try ServicesTest.app(yaml)
        let m = try app.servicesFeature.manager()
        #expect(m.beginRestart("worker"))
        let refused = try await ServicesTest.run(app, "/restart worker")
        #expect(ServicesTest.text(refused).contains("already being restarted"))
        m.endRestart("worker")

        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart broken")))
        let r = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(r.contains("broken still failing after 2 s"), "\(r)")
        #expect(r.contains("ImportError: cannot import name"))
    }

    @Test func restartAllFollowsTheConfiguredOrder() async throws {
        let app = try ServicesTest.app(yaml + "\nservice_options:\n  restart_order: [broken, worker]\n")
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart all")))
        #expect(HTML.toPlainText(plan.preview).contains("broken → worker"))
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind(["nope"], to: app.catalog.entry("restart")!.command, services: app.config.serviceNames) }
    }
}
