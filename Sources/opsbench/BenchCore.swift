import Foundation
import OpsbotCore
import SystemOps
import TestSupport
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbench core`: the real `opsbot run` binary against the loopback Bot API — idle
/// memory, idle CPU while long-polling, and the time from an update being served to its
/// reply arriving, over 1,000 `/ping` commands.
enum BenchCore {
    static func run() async throws {
        let root = TestApp.repositoryRoot
        let binary = root + "/.build/release/opsbot"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("core: build the release binary first (swift build -c release --product opsbot)")
            return
        }
        let token = "123456789:" + "AABenchTokenNotRealxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbench-core-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
        telegram:
          api_url: \(fake.baseURL)
          poll_timeout: 25
        admins:
          chats: [-100]
          users: [7]
        state_dir: \(dir)/state
        commands_dir: \(root)/Commands
        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["OPSBOT_TOKEN"] = token
        env.removeValue(forKey: "DATABASE_URL")
        let pid = try ProcessRunner.spawnDetached([binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/opsbot.log",
                                                  environment: env)
        defer { kill(pid, SIGTERM) }
        guard await fake.waitFor(method: "setMyCommands", count: 1, timeout: 15) else {
            print("core: opsbot did not start polling; log: \(dir)/opsbot.log")
            return
        }
        // Idle: let start-up settle, then watch a long poll in progress.
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let rss = status(pid, "VmRSS")
        let (t0, c0) = (Date(), cpuTicks(pid))
        try await Task.sleep(nanoseconds: 10_000_000_000)
        let cpu = Double(cpuTicks(pid) - c0) / Double(sysconf(Int32(_SC_CLK_TCK))) / Date().timeIntervalSince(t0) * 100
        let rollup = smapsRollup(pid)
        print(String(format: "core: idle RSS %.1f MB (private dirty %.1f MB, anon %.1f MB; target < 15 MB RSS)",
                     rss / 1024, (rollup["Private_Dirty"] ?? 0) / 1024, (rollup["Anonymous"] ?? 0) / 1024))
        print(String(format: "core: idle CPU %.2f %% over 10 s of long polling (target ~0)", cpu))

        // Latency: one /ping at a time; served = the getUpdates response that carried it,
        // arrived = the sendMessage the fake received.
        var latencies: [Double] = []
        let n = 1000
        for i in 0..<n {
            let before = fake.calls("sendMessage").count
            _ = fake.enqueueMessage(chatID: -100, userID: 7, text: "/ping")
            let deadline = Date().addingTimeInterval(5)
            while fake.calls("sendMessage").count <= before && Date() < deadline { usleep(200) }
            let calls = fake.calls
            guard let send = calls.last(where: { $0.method == "sendMessage" }),
                  let served = calls.last(where: { $0.method == "getUpdates" && $0.at <= send.at }) else {
                print("core: reply \(i) did not arrive")
                return
            }
            latencies.append(send.at.timeIntervalSince(served.at) * 1000)
        }
        latencies.sort()
        let median = latencies[n / 2], p99 = latencies[Int(Double(n) * 0.99)]
        print(String(format: "core: /ping served→reply over %d commands: median %.2f ms, p99 %.2f ms, max %.2f ms (target median < 2 ms)",
                     n, median, p99, latencies.last!))
        print(String(format: "core: RSS after %d commands %.1f MB", n, status(pid, "VmRSS") / 1024))
    }

    static func status(_ pid: pid_t, _ key: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    static func smapsRollup(_ pid: pid_t) -> [String: Double] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return [:] }
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, parts[0].hasSuffix(":") { out[String(parts[0].dropLast())] = Double(parts[1]) }
        }
        return out
    }

    static func cpuTicks(_ pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(0) … utime(11) stime(12)
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}
