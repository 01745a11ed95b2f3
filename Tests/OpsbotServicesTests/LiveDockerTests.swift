import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices
@testable import OpsbotAlertmanager

/// The docker backend against a live `dockerd` started by the test support (TestDocker): compose
/// services are simulated with the `com.docker.compose.*` labels, all from one busybox image.
@Suite(.serialized, .exclusive, .enabled(if: TestDocker.enabled))
struct LiveDockerTests {
    static let worker = ["sh", "-c", "echo 'Bot is starting polling...'; while :; do sleep 1; done", "poller"]

    static func compose(_ service: String) -> [String: String] {
        ["com.docker.compose.service": service, "com.docker.compose.project": "app"]
    }

    static func app(_ d: TestDocker, _ services: String, extra: String = "") throws -> AppContext {
        try ServicesTest.app("""
        services:
        \(services)
        service_options:
          docker_socket: \(d.socket)
        \(extra)
        """)
    }

    @Test func engineStarts() async throws {
        let d = try await TestDocker.shared()
        print("live dockerd: started in \(d.startMilliseconds) ms, busybox image imported in \(d.imageMilliseconds) ms (\(d.directory))")
        #expect(try d.api("GET", "/_ping").status == 200)
    }

    /// Issue 13's destructive bug, live: web, worker and scheduler from one image; Confirm on
    /// /conflicts must stop only the copy of the worker's poller started outside compose.
    @Test func sameImageIsNotSameService() async throws {
        let d = try await TestDocker.shared()
        try d.removeAll()
        try d.run(name: "app-worker-1", cmd: Self.worker, labels: Self.compose("worker"))
        try d.run(name: "app-web-1", cmd: ["sh", "-c", "while :; do sleep 1; done", "web"], labels: Self.compose("web"))
        try d.run(name: "app-scheduler-1", cmd: ["sh", "-c", "while :; do sleep 1; done", "scheduler"], labels: Self.compose("scheduler"))

        let plain = try Self.app(d, "  worker: {backend: docker, compose_service: worker, bot: true}")
        let m0 = try plain.servicesFeature.manager()
        #expect(await m0.backend("worker")!.status().instances == 1)
        #expect(ServicesTest.plan(try await ServicesTest.run(plain, "/conflicts")) == nil)

        let copy = try d.run(name: "debug-copy", cmd: Self.worker)   // `docker run` by hand: no compose labels
        let app = try Self.app(d, "  worker: {backend: docker, compose_service: worker, match: 'poller$', bot: true, stop_timeout: 1s}")
        let m = try app.servicesFeature.manager()
        #expect(await m.backend("worker")!.status().instances == 2)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("keep: container app-worker-1") && preview.contains("extra: container debug-copy"), "\(preview)")
        #expect(!preview.contains("app-web-1") && !preview.contains("app-scheduler-1"))
        let result = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(result.contains("stopped") && result.contains("1 instance(s) of worker now running"), "\(result)")
        for name in ["app-worker-1", "app-web-1", "app-scheduler-1"] {
            #expect((try d.inspect(name)["State"] as? [String: Any])?["Running"] as? Bool == true, "\(name) must still run")
        }
        #expect((try d.inspect(copy)["State"] as? [String: Any])?["Running"] as? Bool == false)
    }

    @Test func statusRunningExitedRestartingHealthy() async throws {
        let d = try await TestDocker.shared()
        try d.removeAll()
        try d.run(name: "app-web-1", cmd: ["sh", "-c", "touch /tmp/ok; while :; do sleep 1; done"], labels: Self.compose("web"),
                  healthcheck: ["test -f /tmp/ok"], healthInterval: 0.5)
        try d.run(name: "app-sick-1", cmd: ["sh", "-c", "while :; do sleep 1; done"], labels: Self.compose("sick"),
                  healthcheck: ["test -f /tmp/never"], healthInterval: 0.5)
        try d.run(name: "app-job-1", cmd: ["sh", "-c", "echo starting; echo 'fatal: boom' >&2; exit 3"], labels: Self.compose("job"))
        try d.run(name: "app-loop-1", cmd: ["sh", "-c", "echo crash; exit 1"], labels: Self.compose("loop"), restart: "always")
        let app = try Self.app(d, """
          web: {backend: docker, compose_service: web}
          sick: {backend: docker, compose_service: sick}
          job: {backend: docker, compose_service: job}
          loop: {backend: docker, compose_service: loop, restart_loop: 3}
        """)
        let m = try app.servicesFeature.manager()
        let healthy = await pollUntil(20) { await m.backend("web")!.status().health == "healthy" }
        #expect(healthy)
        let web = await m.backend("web")!.status()
        #expect(web.state == .running && web.pids.count == 1 && web.startedAt != nil && web.memoryBytes != nil)
        let sickOK = await pollUntil(20) { await m.backend("sick")!.status().health == "unhealthy" }
        #expect(sickOK)
        #expect(await m.backend("sick")!.status().state == .failed)
        let job = await m.backend("job")!.status()
        #expect(job.state == .failed && job.detail.contains("Exited (3)"), "\(job)")
        // A crash loop: between runs the engine reports `restarting` while RestartCount climbs.
        let looping = await pollUntil(30) {
            let s = await m.backend("loop")!.status()
            return s.detail.contains("restart loop") && (s.restartCounter ?? 0) >= 3
        }
        #expect(looping)
        let checks = await app.checks.named("services")!.run(app)
        let loop = checks.first { $0.check == "restart_loop" && $0.target == "loop" }
        #expect(loop?.status == .critical && loop?.summary.contains("restart loop") == true, "\(String(describing: loop))")
        let status = ServicesTest.text(try await ServicesTest.run(app, "/status"))
        #expect(status.contains("healthy") && status.contains("unhealthy") && status.contains("restart loop"), "\(status)")
    }

    @Test func logsMultiplexedAndTTY() async throws {
        let d = try await TestDocker.shared()
        try d.removeAll()
        let script = "echo 'INFO - update handled'; echo 'ERROR - Conflict: terminated by other getUpdates request' >&2; echo 'INFO - done'; while :; do sleep 1; done"
        try d.run(name: "app-web-1", cmd: ["sh", "-c", script], labels: Self.compose("web"))
        try d.run(name: "app-tty-1", cmd: ["sh", "-c", script], labels: Self.compose("tty"), tty: true)
        let app = try Self.app(d, """
          web: {backend: docker, compose_service: web}
          tty: {backend: docker, compose_service: tty}
        """)
        let logged = await pollUntil(10) { ServicesTest.text((try? await ServicesTest.run(app, "/logs tty 50")) ?? .reply(.text(""))).contains("INFO - done") }
        #expect(logged)
        for svc in ["web", "tty"] {
            let all = ServicesTest.text(try await ServicesTest.run(app, "/logs \(svc) 50"))
            #expect(all.contains("INFO - update handled") && all.contains("ERROR - Conflict") && !all.contains("\r"), "\(svc): \(all)")
            let errs = ServicesTest.text(try await ServicesTest.run(app, "/logs \(svc) 50 error"))
            #expect(errs.contains("ERROR - Conflict") && !errs.contains("update handled"), "\(svc): \(errs)")
        }
    }

    /// `sh` as PID 1 ignores SIGTERM: the engine waits `stop_timeout`, then SIGKILLs it; the reply says so.
    @Test func restartKillsSIGTERMIgnoringPID1() async throws {
        let d = try await TestDocker.shared()
        try d.removeAll()
        let stubborn = try d.run(name: "app-worker-1", cmd: Self.worker, labels: Self.compose("worker"))
        try d.run(name: "app-web-1", cmd: Self.worker, labels: Self.compose("web"), initProcess: true)
        let app = try Self.app(d, """
          worker: {backend: docker, compose_service: worker, stop_timeout: 2s, restart_wait: 20s, restart_settle: 1s, startup_marker: 'Bot is starting polling'}
          web: {backend: docker, compose_service: web, stop_timeout: 2s, restart_wait: 20s, restart_settle: 1s}
        """)
        let before = (try d.inspect(stubborn)["State"] as? [String: Any])?["Pid"] as? Int
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        #expect(HTML.toPlainText(plan.preview).contains("stop_timeout 2 s"))
        let t = Date()
        let r = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(r.contains("✅ worker healthy") && r.contains("did not stop on SIGTERM within 2 s") && r.contains("SIGKILL, exit code 137"), "\(r)")
        #expect(Date().timeIntervalSince(t) < 15)
        let after = (try d.inspect(stubborn)["State"] as? [String: Any])?["Pid"] as? Int
        #expect(before != nil && after != nil && before != after)

        let plan2 = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart web")))
        let r2 = HTML.toPlainText(await plan2.run(NoProgress()).html)
        #expect(r2.contains("✅ web healthy") && !r2.contains("SIGKILL"), "\(r2)")
    }

    @Test func diskFiguresAndConfirmedPrune() async throws {
        let d = try await TestDocker.shared()
        try d.removeAll()
        try d.run(name: "app-web-1", cmd: ["sh", "-c", "while :; do sleep 1; done"], labels: Self.compose("web"))
        let job = try d.run(name: "app-job-1", cmd: ["sh", "-c", "dd if=/dev/zero of=/tmp/blob bs=1024 count=512 2>/dev/null"], labels: Self.compose("job"))
        #expect(try d.wait(10) { ((try d.inspect(job)["State"] as? [String: Any])?["Running"] as? Bool) == false })
        let dir = ServicesTest.dir()
        let app = try Self.app(d, "  web: {backend: docker, compose_service: web}", extra: "disk:\n  roots: [\(dir)]\n  log_dirs: [\(dir)]")
        let disk = ServicesTest.text(try await ServicesTest.run(app, "/disk"))
        #expect(disk.contains("docker system df on \(d.socket)") && disk.contains("Containers") && disk.contains("/docker_prune"), "\(disk)")
        // The running container's root filesystem is an overlay mount of its own; it is not a disk.
        let procMounts = try #require(ProcInfo.readText("/proc/mounts"))
        #expect(procMounts.contains(" \(d.directory)/data/overlay2/") && procMounts.contains("/merged overlay "), "\(procMounts.split(separator: "\n").filter { $0.contains("overlay") })")
        #expect(!DiskUsage.mounts().contains { $0.mountPoint.hasPrefix(d.directory) }, "container root filesystems listed as disks")
        let table = disk.components(separatedBy: "Largest directories").first ?? disk
        #expect(!table.contains(String(d.directory.prefix(19))), "\(disk)")
        #expect(disk.contains("Containers         2      1  524 KB    524 KB"), "\(disk)")
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/docker_prune")))
        #expect(HTML.toPlainText(plan.preview).contains("POST /containers/prune"))
        let r = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(r.contains("containers: 1 removed, 524.3 kB freed") || r.contains("containers: 1 removed, 524 kB freed") || r.contains("containers: 1 removed"), "\(r)")
        #expect(!r.contains("containers: 1 removed, 0 B freed"), "\(r)")
        #expect(try d.api("GET", "/containers/\(job)/json").status == 404)
        #expect(try d.api("GET", "/containers/app-web-1/json").status == 200)
    }

    /// `/status` over 10 containers, median of 20 (the figure the issue asks for).
    @Test func statusWithTenContainers() async throws {
        let d = try await TestDocker.shared()
        try d.removeAll()
        var services = ""
        for i in 1...10 {
            try d.run(name: "app-svc\(i)-1", cmd: ["sh", "-c", "while :; do sleep 1; done"], labels: Self.compose("svc\(i)"))
            services += "  svc\(i): {backend: docker, compose_service: svc\(i)}\n"
        }
        let app = try Self.app(d, services)
        var times: [Double] = []
        var last = ""
        for _ in 0..<20 {
            let t = Date()
            last = ServicesTest.text(try await ServicesTest.run(app, "/status"))
            times.append(Date().timeIntervalSince(t))
        }
        #expect(last.contains("All good"), "\(last)")
        let median = times.sorted()[10]
        print(String(format: "live dockerd: /status with 10 containers: median %.0f ms of 20 (min %.0f, max %.0f)", median * 1000, times.min()! * 1000, times.max()! * 1000))
        try d.removeAll()
    }
}

/// Polls `predicate` every 0.2 s until it holds or `seconds` pass.
func pollUntil(_ seconds: Double, _ predicate: () async throws -> Bool) async rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    repeat {
        if try await predicate() { return true }
        try? await Task.sleep(nanoseconds: 200_000_000)
    } while Date() < end
    return false
}
