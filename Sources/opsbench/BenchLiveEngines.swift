import Foundation
import OpsbotCore
import TestSupport
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbench live`: the live engines of the test support (root only) — time to start and stop a
/// throwaway dockerd and a systemd in its own namespaces, and `/status` over 10 containers and
/// over 10 units (median of 20). Skipped with the test support's banner when they cannot run.
enum BenchLiveEngines {
    static func run() async throws {
        if TestDocker.enabled { try await docker() } else { print("live: dockerd skipped (see the banner above)") }
        if TestSystemd.enabled { try await systemd() } else { print("live: systemd skipped (see the banner above)") }
    }

    static func docker() async throws {
        let d = try await TestDocker.shared()
        var services = ""
        for i in 1...10 {
            try d.run(name: "bench-svc\(i)-1", cmd: ["sh", "-c", "while :; do sleep 1; done"],
                      labels: ["com.docker.compose.service": "svc\(i)", "com.docker.compose.project": "bench"])
            services += "  svc\(i): {backend: docker, compose_service: svc\(i), compose_project: bench}\n"
        }
        let app = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\nservices:\n\(services)service_options:\n  docker_socket: \(d.socket)\n").0
        let (med, lo, hi) = try await statusTimes(app, expect: "All good")
        // dockerd 20.10 answers `stats?one-shot=true` on its stats collector's 1 s tick whenever the
        // collector is already busy (back-to-back calls, or the other 9 of 10 concurrent ones): a
        // lone call after a pause takes ~20 ms, 10 containers take ~1 s either way. Both shown.
        let (idle, _, _) = try await statusTimes(app, expect: "All good", count: 5, pause: 3)
        let stop = d.stopNow()
        print("live: dockerd start \(d.startMilliseconds) ms (until /_ping answers; busybox image import \(d.imageMilliseconds) ms more), stop \(stop) ms (force-remove 10 containers, SIGTERM, unmount, rmdir cgroups)")
        print(String(format: "live: /status with 10 containers: %.0f ms median of 20 back to back (min %.0f, max %.0f); %.0f ms median of 5 after 3 s idle",
                     med * 1000, lo * 1000, hi * 1000, idle * 1000))
    }

    static func systemd() async throws {
        let s = try await TestSystemd.shared()
        var services = ""
        for i in 1...10 {
            try s.install("bench\(i).service", "[Service]\nMemoryAccounting=yes\nExecStart=/opt/opsbot-test/poller.sh bench\(i)\n")
            try s.systemctl("start", "bench\(i).service")
            services += "  svc\(i): {backend: systemd, unit: bench\(i).service}\n"
        }
        let app = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\nservices:\n\(services)service_options:\n  systemctl: [\(s.systemctl)]\n  journalctl: [\(s.journalctl)]\n").0
        let (med, lo, hi) = try await statusTimes(app, expect: "All good")
        let stop = s.stopNow()
        print("live: systemd boot \(s.startMilliseconds) ms (overlay, namespaces, PID 1 until is-system-running), stop \(stop) ms (SIGKILL init, unmount, rmdir cgroups)")
        print(String(format: "live: /status with 10 systemd units: %.0f ms median of 20 (min %.0f, max %.0f)", med * 1000, lo * 1000, hi * 1000))
    }

    static func statusTimes(_ app: AppContext, expect: String, count: Int = 20, pause: Double = 0) async throws -> (Double, Double, Double) {
        guard let status = app.catalog.entry("status") else { throw BenchServices.BenchError(description: "no /status in the catalog") }
        var times: [Double] = []
        var last = ""
        for _ in 0..<count {
            if pause > 0 { try await Task.sleep(nanoseconds: UInt64(pause * 1e9)) }
            let t = Date()
            let o = await status.module.handle(ModuleContext(app: app, request: CommandRequest(command: status.command, arguments: [:], chatID: 1, userID: 1), progress: NoProgress()))
            times.append(Date().timeIntervalSince(t))
            if case .reply(let r) = o { last = r.html }
        }
        guard last.contains(expect) else { throw BenchServices.BenchError(description: "/status: \(last)") }
        return (BenchServices.median(times), times.min()!, times.max()!)
    }
}
