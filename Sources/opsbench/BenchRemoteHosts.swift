import Foundation
import OpsbotCore
import SystemOps
import TestSupport
#if canImport(Glibc)
import Glibc
import OpsbotApp
import OpsbotServices
#endif

/// `opsbench remote-hosts`: `/status` with 10 services on each of 3 SSH hosts (three real sshd
/// on loopback, `opsbot remote` forced, process backend), master connections warm. Compares
/// one request per service — what `/status` did before issue 19, and still does for a host
/// whose opsbot remote predates `statuses` — with what `/status` does now: one `statuses`
/// request per host, the hosts at once.
enum BenchRemoteHosts {
    static func run() async throws {
        guard TestSSHD.enabled, FileManager.default.isExecutableFile(atPath: TestSSHD.sshdPath) else {
            print("remote-hosts: SKIPPED — sshd not installed (apt-get install openssh-server openssh-client)")
            return
        }
        let opsbot = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opsbot").path
        var sleepers: [pid_t] = []
        defer { for p in sleepers { kill(p, SIGKILL) } }
        let names = (1...10).map { "svc\($0)" }
        var servers: [TestSSHD] = []
        defer { for s in servers { s.stop() } }
        for _ in 0..<3 {
            servers.append(try TestSSHD.start(opsbot: opsbot) { dir in
                var y = "services:\n"
                for s in names {
                    let tag = "\(dir)/\(s)"
                    if let p = try? ProcessRunner.spawnDetached(["/bin/bash", "-c", "exec -a \(tag) sleep 3600"], logFile: nil) { sleepers.append(p) }
                    y += "  \(s):\n    backend: process\n    match: '\(NSRegularExpression.escapedPattern(for: tag))'\n"
                }
                return y
            })
        }
        let state = "/tmp/opsbench-rhosts-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: state) }
        var yaml = "admins:\n  chats: [1]\n  users: [1]\nstate_dir: \(state)\nhosts:\n"
        for (h, s) in servers.enumerated() { yaml += s.hostYAML("host\(h)") + "\n" }
        yaml += "services:\n"
        for h in 0..<3 { for s in names { yaml += "  h\(h)\(s): {host: host\(h), remote_service: \(s)}\n" } }
        let app = try TestApp.make(configYAML: yaml).0
        let m = try app.servicesFeature.manager()
        let services = m.settings.services
        func sessions() -> Int { servers.map { $0.log.components(separatedBy: "Starting session:").count - 1 }.reduce(0, +) }

        func perService() async -> (Double, Int) {
            let t = Date()
            let states = await withTaskGroup(of: ServiceStatus.State.self) { g in
                for s in services { if let b = m.backend(s.name) { g.addTask { await b.status().state } } }
                var out: [ServiceStatus.State] = []
                for await s in g { out.append(s) }
                return out
            }
            return (Date().timeIntervalSince(t), states.filter { $0 == .running }.count)
        }
        func perHost() async -> (Double, Int) {
            let t = Date()
            let r = await StatusCollector.collect(m, parts: .services, deadline: Date().addingTimeInterval(30))
            return (Date().timeIntervalSince(t), r.services.filter { $0.status.state == .running }.count)
        }
        // Warm up: one login per host.
        _ = await perHost()
        var before: [Double] = [], after: [Double] = []
        var sessionsBefore = 0, sessionsAfter = 0
        for _ in 0..<10 {
            var s0 = sessions()
            let (b, okB) = await perService()
            sessionsBefore = sessions() - s0
            precondition(okB == 30, "only \(okB) of 30 running (per service)")
            before.append(b)
            s0 = sessions()
            let (a, okA) = await perHost()
            sessionsAfter = sessions() - s0
            precondition(okA == 30, "only \(okA) of 30 running (per host)")
            after.append(a)
        }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
        for h in 0..<3 { await m.ssh?.closeMaster("host\(h)") }
        func line(_ a: [Double]) -> String {
            String(format: "%.0f ms median of %d (min %.0f, max %.0f)", BenchServices.median(a) * 1000, a.count, a.min()! * 1000, a.max()! * 1000)
        }
        print("remote-hosts: /status, 10 services on each of 3 SSH hosts, warm connections: one request per service (before): \(line(before)), \(sessionsBefore) SSH sessions; one request per host (now): \(line(after)), \(sessionsAfter) SSH sessions — load average \(load) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    }
}
