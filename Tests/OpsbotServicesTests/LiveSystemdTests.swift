import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// The systemd backend against a live systemd (PID 1 of its own namespaces, TestSystemd), driven
/// through the same `systemctl` / `journalctl` argv prefixes an operator would configure.
@Suite(.serialized, .exclusive, .enabled(if: TestSystemd.enabled))
struct LiveSystemdTests {
    static func unit(_ description: String, _ service: String) -> String {
        "[Unit]\nDescription=\(description)\nStartLimitIntervalSec=0\n[Service]\nMemoryAccounting=yes\n\(service)\n"
    }

    static func app(_ s: TestSystemd, _ services: String) throws -> AppContext {
        try ServicesTest.app("""
        services:
        \(services)
        service_options:
          systemctl: [\(s.systemctl)]
          journalctl: [\(s.journalctl)]
        """)
    }

    @Test func bootsWithTheSafetyPoints() async throws {
        let s = try await TestSystemd.shared()
        print("live systemd: booted to running in \(s.startMilliseconds) ms (init is host PID \(s.leaderPID), \(s.directory))")
        let state = try s.exec(["systemctl", "is-system-running"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(state == "running" || state == "degraded")
        // /proc/sys is read-only inside: nothing there can change the host kernel.
        let w = try s.exec(["/bin/sh", "-c", "cat /proc/sys/fs/protected_fifos > /proc/sys/fs/protected_fifos"])
        #expect(w.status != 0 && w.stderr.contains("Read-only"), "\(w)")
        #expect(try s.property("systemd-sysctl.service", "LoadState") == "masked")
        #expect(TestSystemd.readSysctls() == s.sysctlsBefore, "host sysctls changed by the boot")
        // systemd's cgroups are below the namespace's own, never in the host's root cgroups.
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids/init.scope"))
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/systemd/system.slice"))
    }

    @Test func statusActiveFailedActivatingAndRestartLoop() async throws {
        let s = try await TestSystemd.shared()
        try s.install("st-worker.service", Self.unit("worker", "ExecStart=/opt/opsbot-test/poller.sh st-worker"))
        try s.install("st-broken.service", Self.unit("broken", "ExecStart=/bin/sh -c 'echo \"fatal: boom\" >&2; exit 3'"))
        try s.install("st-slow.service", Self.unit("slow", "Type=oneshot\nExecStart=/bin/sleep 60"))
        try s.install("st-loop.service", Self.unit("loop", "ExecStart=/bin/sh -c 'echo crash; exit 1'\nRestart=always\nRestartSec=300ms"))
        try s.systemctl("start", "st-worker.service")
        _ = try? s.systemctl("start", "st-broken.service")
        try s.systemctl("start", "--no-block", "st-slow.service", "st-loop.service")
        let app = try Self.app(s, """
          worker: {backend: systemd, unit: st-worker.service}
          broken: {backend: systemd, unit: st-broken.service}
          slow: {backend: systemd, unit: st-slow.service}
          loop: {backend: systemd, unit: st-loop.service, restart_loop: 3}
        """)
        let m = try app.servicesFeature.manager()
        let w = await m.backend("worker")!.status()
        let mainPID = try s.property("st-worker.service", "MainPID")
        #expect(w.state == .running && w.detail == "active (running)" && w.pids.map(String.init) == [mainPID], "\(w)")
        #expect((w.memoryBytes ?? 0) > 0 && w.startedAt != nil && w.restartCounter == 0, "MemoryCurrent is real in recipe A: \(w)")
        let failed = await pollUntil(10) { await m.backend("broken")!.status().state == .failed }
        #expect(failed)
        let broken = await m.backend("broken")!.status()
        #expect(broken.detail.hasPrefix("failed (failed) since 20"), "failed since when: \(broken.detail)")
        #expect(await m.backend("slow")!.status().state == .starting)
        let looping = await pollUntil(20) { (await m.backend("loop")!.status().restartCounter ?? 0) >= 3 }
        #expect(looping)
        let loopCheck = await pollUntil(10) {
            let checks = await app.checks.named("services")!.run(app)
            return checks.contains { $0.check == "restart_loop" && $0.target == "loop" && $0.status == .critical && $0.summary.contains("restart loop") }
        }
        #expect(loopCheck)
        let status = ServicesTest.text(try await ServicesTest.run(app, "/status"))
        #expect(status.contains("pid \(mainPID)") && status.contains("broken is failed"), "\(status)")
        _ = try? s.systemctl("stop", "st-loop.service", "st-slow.service", "st-worker.service")
    }

    /// `journalctl -u` includes systemd's own lines about the unit (`_PID` 1): they are marked.
    @Test func logsMarkSystemdsOwnLines() async throws {
        let s = try await TestSystemd.shared()
        try s.install("lg-worker.service", Self.unit("log worker", "ExecStart=/bin/sh -c 'echo \"INFO - update handled\"; echo \"ERROR - Conflict: terminated by other getUpdates request\"; exec /opt/opsbot-test/poller.sh lg-worker'"))
        try s.systemctl("start", "lg-worker.service")
        let app = try Self.app(s, "  worker: {backend: systemd, unit: lg-worker.service}")
        let seen = await pollUntil(10) { ServicesTest.text((try? await ServicesTest.run(app, "/logs worker 50")) ?? .reply(.text(""))).contains("heartbeat ok") }
        #expect(seen)
        let all = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 50"))
        #expect(all.contains("[systemd] Started lg-worker.service") && all.contains("Bot is starting polling"), "\(all)")
        #expect(!all.contains("Z Started lg-worker"), "systemd's line must be marked: \(all)")
        let errs = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 50 error 1h"))
        #expect(errs.contains("ERROR - Conflict") && !errs.contains("update handled") && !errs.contains("heartbeat"), "\(errs)")
        _ = try? s.systemctl("stop", "lg-worker.service")
    }

    @Test func restartVerifiedByNewMainPID() async throws {
        let s = try await TestSystemd.shared()
        try s.install("rs-worker.service", Self.unit("restart worker", "ExecStart=/opt/opsbot-test/poller.sh rs-worker"))
        try s.systemctl("start", "rs-worker.service")
        let health = try RoutedHTTPServer()
        defer { health.stop() }
        health.route("/healthz", .ok())
        let app = try Self.app(s, "  worker: {backend: systemd, unit: rs-worker.service, restart_wait: 20s, restart_settle: 1s, startup_marker: 'Bot is starting polling', health: ['\(health.url("/healthz"))']}")
        let before = try s.property("rs-worker.service", "MainPID")
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        #expect(HTML.toPlainText(plan.preview).contains("\(s.systemctl) restart rs-worker.service"))
        #expect(HTML.toPlainText(plan.preview).contains("running, /healthz 200, “Bot is starting polling” in the log"))
        let r = HTML.toPlainText(await plan.run(NoProgress()).html)
        let after = try s.property("rs-worker.service", "MainPID")
        #expect(before != after && r.contains("✅ worker healthy") && r.contains("(pid \(before) → \(after))"), "\(r)")
        #expect(health.seen.contains("GET /healthz"))
        _ = try? s.systemctl("stop", "rs-worker.service")
    }

    /// A copy of the poller started by hand outside the unit: /conflicts finds it and stops only it.
    @Test func conflictsFindACopyOutsideTheUnit() async throws {
        let s = try await TestSystemd.shared()
        try s.install("cf-worker.service", Self.unit("conflict worker", "ExecStart=/opt/opsbot-test/poller.sh cf-worker"))
        try s.systemctl("start", "cf-worker.service")
        // Signals at their defaults (the test process ignores SIGTERM, and a shell cannot trap an inherited ignore).
        let copy = try ProcessRunner.spawnDetached(["/bin/sh", s.root + "/opt/opsbot-test/poller.sh", "cf-worker"], logFile: nil)
        defer { kill(copy, SIGKILL); var st: Int32 = 0; waitpid(copy, &st, 0) }
        let app = try Self.app(s, "  worker: {backend: systemd, unit: cf-worker.service, match: 'poller\\.sh cf-worker', bot: true, stop_timeout: 2s}")
        let m = try app.servicesFeature.manager()
        #expect(await m.backend("worker")!.status().instances == 2)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("(cf-worker.service main PID)") && preview.contains("extra: pid \(copy) (not started by systemd)"), "\(preview)")
        let r = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(r.contains("pid \(copy) stopped") && r.contains("1 instance(s) of worker now running"), "\(r)")
        #expect(try s.property("cf-worker.service", "ActiveState") == "active")
        _ = try? s.systemctl("stop", "cf-worker.service")
    }

    /// `/status` over 10 units, median of 20 (the figure the issue asks for).
    @Test func statusWithTenUnits() async throws {
        let s = try await TestSystemd.shared()
        var services = ""
        for i in 1...10 {
            try s.install("ten\(i).service", Self.unit("ten \(i)", "ExecStart=/opt/opsbot-test/poller.sh ten\(i)"))
            services += "  svc\(i): {backend: systemd, unit: ten\(i).service}\n"
        }
        try s.systemctl("start", "ten1.service", "ten2.service", "ten3.service", "ten4.service", "ten5.service",
                        "ten6.service", "ten7.service", "ten8.service", "ten9.service", "ten10.service")
        let app = try Self.app(s, services)
        var times: [Double] = []
        var last = ""
        for _ in 0..<20 {
            let t = Date()
            last = ServicesTest.text(try await ServicesTest.run(app, "/status"))
            times.append(Date().timeIntervalSince(t))
        }
        #expect(last.contains("All good"), "\(last)")
        let median = times.sorted()[10]
        print(String(format: "live systemd: /status with 10 units: median %.0f ms of 20 (min %.0f, max %.0f)", median * 1000, times.min()! * 1000, times.max()! * 1000))
        _ = try? s.systemctl("stop", "ten*.service")
    }
}
