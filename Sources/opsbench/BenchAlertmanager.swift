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

/// `opsbench alertmanager`: the real `opsbot run` binary with the HTTP listener on and a real
/// Alertmanager polled every 15 s (20 alerts firing) — idle RSS and CPU over 45 s, the same
/// without listener and Alertmanager for comparison, and webhook → chat message latency.
enum BenchAlertmanager {
    static func run() async throws {
        let root = TestApp.repositoryRoot
        let binary = root + "/.build/release/opsbot"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("alertmanager: build the release binary first (swift build -c release --product opsbot)")
            return
        }
        guard TestAlertmanager.binary != nil else {
            print("alertmanager: prometheus-alertmanager not installed (scripts/deps.sh test): skipped")
            return
        }
        let am = try TestAlertmanager.start()
        defer { am.stop() }
        for i in 0..<20 {
            try await am.fire(["alertname": "Bench\(i % 4)", "instance": "host\(i):9100", "severity": i % 2 == 0 ? "critical" : "warning"],
                              annotations: ["summary": "bench alert \(i)"])
        }
        let off = try await measure(binary: binary, root: root, am: nil)
        let on = try await measure(binary: binary, root: root, am: am)
        print(String(format: "alertmanager: listener off, no Alertmanager: idle RSS %.1f MB, CPU %.2f %% over %.0f s", off.rss / 1024, off.cpu, window))
        print(String(format: "alertmanager: listener on + Alertmanager poll every 15 s (20 alerts): idle RSS %.1f MB, CPU %.2f %% over %.0f s",
                     on.rss / 1024, on.cpu, window))
        if let ms = on.webhookMS { print(String(format: "alertmanager: webhook → alert message at the Bot API: %.0f ms (poll: 15s)", ms)) }
    }

    static let window = 45.0

    static func measure(binary: String, root: String, am: TestAlertmanager?) async throws -> (rss: Double, cpu: Double, webhookMS: Double?) {
        let token = "123456789:" + "AABenchTokenNotRealxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbench-am-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let port = freePort()
        var yaml = """
        telegram:
          api_url: \(fake.baseURL)
          poll_timeout: 25
        admins:
          chats: [-100]
          users: [7]
        state_dir: \(dir)/state
        commands_dir: \(root)/Commands

        """
        if let am {
            try "bench-token\n".write(toFile: dir + "/hook", atomically: true, encoding: .utf8)
            yaml += """
            listen: 127.0.0.1:\(port)
            alertmanager:
              url: \(am.url)
              poll: 15s
              webhook_token_file: \(dir)/hook

            """
        }
        try yaml.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["OPSBOT_TOKEN"] = token
        env.removeValue(forKey: "DATABASE_URL")
        let pid = try ProcessRunner.spawnDetached([binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/opsbot.log", environment: env)
        defer { kill(pid, SIGTERM) }
        guard await fake.waitFor(method: "setMyCommands", count: 1, timeout: 15) else {
            print("alertmanager: opsbot did not start polling; log: \(dir)/opsbot.log")
            return (0, 0, nil)
        }
        try await Task.sleep(nanoseconds: 5_000_000_000)   // start-up, first poll, the first alert messages
        let (t0, c0) = (Date(), BenchCore.cpuTicks(pid))
        try await Task.sleep(nanoseconds: UInt64(window * 1e9))
        let cpu = Double(BenchCore.cpuTicks(pid) - c0) / Double(sysconf(Int32(_SC_CLK_TCK))) / Date().timeIntervalSince(t0) * 100
        let rss = BenchCore.status(pid, "VmRSS")
        var webhookMS: Double?
        if let am {
            let before = fake.calls("sendMessage").count
            try await am.fire(["alertname": "BenchWebhook", "instance": "x"])
            let started = Date()
            _ = try RawHTTP.request(host: "127.0.0.1", port: port, method: "POST", path: "/alertmanager",
                                    headers: ["Authorization": "Bearer bench-token"], body: Data("{}".utf8))
            while fake.calls("sendMessage").count <= before && Date().timeIntervalSince(started) < 5 { usleep(1000) }
            if fake.calls("sendMessage").count > before { webhookMS = Date().timeIntervalSince(started) * 1000 }
        }
        return (rss, cpu, webhookMS)
    }

    static func freePort() -> Int {
        let l = HTTPListener(host: "127.0.0.1", port: 0) { _ in .init(status: 404, body: "") }
        try? l.start()
        defer { l.stop() }
        return Int(l.port)
    }
}
