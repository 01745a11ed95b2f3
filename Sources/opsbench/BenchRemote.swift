import Foundation
import OpsbotCore
import SystemOps
import TestSupport
#if canImport(Glibc)
import Glibc
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener
#endif

/// `opsbench remote`: `/status` across 5 services on 2 SSH hosts — two real sshd instances on
/// loopback, each forcing `opsbot remote` (the release binary next to opsbench) and serving
/// process-backend services. Measured cold (no master connection: each host logs in first)
/// and warm (the master connections reused).
enum BenchRemote {
    static func run() async throws {
        guard TestSSHD.enabled, FileManager.default.isExecutableFile(atPath: TestSSHD.sshdPath) else {
            print("remote: SKIPPED — sshd not installed (apt-get install openssh-server openssh-client)")
            return
        }
        let opsbot = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opsbot").path
        var sleepers: [pid_t] = []
        defer { for p in sleepers { kill(p, SIGKILL) } }
        func host(_ services: [String]) throws -> TestSSHD {
            try TestSSHD.start(opsbot: opsbot) { dir in
                var y = "services:\n"
                for s in services {
                    let tag = "\(dir)/\(s)"
                    if let p = try? ProcessRunner.spawnDetached(["/bin/bash", "-c", "exec -a \(tag) sleep 3600"], logFile: nil) { sleepers.append(p) }
                    y += "  \(s):\n    backend: process\n    match: '\(NSRegularExpression.escapedPattern(for: tag))'\n"
                }
                return y
            }
        }
        let a = try host(["web", "worker", "scheduler"])
        let b = try host(["api", "mailer"])
        let state = "/tmp/opsbench-remote-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let yaml = """
        admins:
          chats: [1]
          users: [1]
        state_dir: \(state)
        hosts:
        \(a.hostYAML("hosta"))
        \(b.hostYAML("hostb"))
        services:
          web: {host: hosta}
          worker: {host: hosta}
          scheduler: {host: hosta}
          api: {host: hostb}
          mailer: {host: hostb}
        """
        let app = try TestApp.make(configYAML: yaml).0
        let m = try app.servicesFeature.manager()
        let ssh = m.ssh!
        func status() async -> (Double, Int) {
            let t = Date()
            let r = await StatusCollector.collect(m, parts: .services)
            let bad = r.services.filter { $0.status.state != .running }
            if !bad.isEmpty { print("remote: not running: " + bad.map { "\($0.config.displayName): \($0.status.error ?? $0.status.detail)" }.joined(separator: "; ")) }
            return (Date().timeIntervalSince(t), 5 - bad.count)
        }
        var cold: [Double] = [], warm: [Double] = []
        for _ in 0..<5 {
            await ssh.closeMaster("hosta"); await ssh.closeMaster("hostb")
            let (t, ok) = await status()
            precondition(ok == 5, "only \(ok) of 5 remote services running")
            cold.append(t)
            for _ in 0..<4 {
                let (w, ok2) = await status()
                precondition(ok2 == 5)
                warm.append(w)
            }
        }
        // One request at a time over the reused connection: the cost of one remote call.
        var single: [Double] = []
        for _ in 0..<10 {
            let t = Date()
            guard case .success = await ssh.call("hosta", RemoteRequest(op: .status, service: "web")) else { preconditionFailure("status failed") }
            single.append(Date().timeIntervalSince(t))
        }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
        await ssh.closeMaster("hosta"); await ssh.closeMaster("hostb")
        a.stop(); b.stop()
        print(String(format: "remote: /status, 5 services on 2 SSH hosts: first call (new connections) %.0f ms median of %d (min %.0f, max %.0f); reused connection %.0f ms median of %d (min %.0f, max %.0f)",
                     BenchServices.median(cold) * 1000, cold.count, cold.min()! * 1000, cold.max()! * 1000,
                     BenchServices.median(warm) * 1000, warm.count, warm.min()! * 1000, warm.max()! * 1000))
        print(String(format: "remote: one status request over the reused connection: %.0f ms median of 10 (min %.0f) — load average %@ on %d cores",
                     BenchServices.median(single) * 1000, single.min()! * 1000, String(load), ProcessInfo.processInfo.activeProcessorCount))
    }
}
