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
    /// The opsbot binary measured: `OPSBENCH_OPSBOT` (an older build, for a before/after), else
    /// this tree's release build.
    static var binary: String {
        ProcessInfo.processInfo.environment["OPSBENCH_OPSBOT"] ?? TestApp.repositoryRoot + "/.build/release/opsbot"
    }

    static func run() async throws {
        let root = TestApp.repositoryRoot
        let binary = Self.binary
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
        if let w = on.webhook, !w.isEmpty {
            let sorted = w.sorted()
            func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))] }
            print(String(format: "alertmanager: webhook → sendMessage at the Bot API over %d webhooks (poll: 15s): median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms",
                         w.count, pct(0.5), pct(0.95), sorted.first!, sorted.last!))
        }
        if on.missed > 0 { print("alertmanager: \(on.missed) webhook(s) got no sendMessage within 5 s") }
    }

    static let webhooks = 100

    static let window = 45.0

    static func measure(binary: String, root: String, am: TestAlertmanager?) async throws -> (rss: Double, cpu: Double, webhook: [Double]?, missed: Int) {
        let token = BenchScratch.token
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try BenchScratch.directory("am")
        let port = freePort()
        var yaml = """
        \(BenchScratch.baseConfig(api: fake.baseURL, dir: dir, root: root))

        """
        if let am {
            try "bench-token\n".write(toFile: dir + "/hook", atomically: true, encoding: .utf8)
            yaml += """
            listen: 127.0.0.1:\(port)
            alertmanager:
              url: \(am.url)
              poll: 15s
              webhook_token_file: \(dir)/hook
            alerts:
              rate_limit: {per_minute: 100000, burst: 1000}

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
            return (0, 0, nil, 0)
        }
        try await Task.sleep(nanoseconds: 5_000_000_000)   // start-up, first poll, the first alert messages
        let (t0, c0) = (Date(), BenchCore.cpuTicks(pid))
        try await Task.sleep(nanoseconds: UInt64(window * 1e9))
        let cpu = Double(BenchCore.cpuTicks(pid) - c0) / Double(sysconf(Int32(_SC_CLK_TCK))) / Date().timeIntervalSince(t0) * 100
        let rss = BenchCore.status(pid, "VmRSS")
        // Webhook → chat: a new alert in Alertmanager, then its webhook; the time until opsbot's
        // sendMessage reaches the Bot API. Spaced 400 ms apart (the poll loop pauses 200 ms after a poll).
        var webhook: [Double]?
        var missed = 0
        if let am {
            var ms: [Double] = []
            for i in 0..<webhooks {
                let before = fake.callCount("sendMessage")
                try await am.fire(["alertname": "BenchWebhook\(i)", "instance": "x"])
                let started = Date()
                _ = try RawHTTP.request(host: "127.0.0.1", port: port, method: "POST", path: "/alertmanager",
                                        headers: ["Authorization": "Bearer bench-token"], body: Data("{}".utf8))
                while fake.callCount("sendMessage") <= before && Date().timeIntervalSince(started) < 5 { usleep(500) }
                if fake.callCount("sendMessage") > before { ms.append(Date().timeIntervalSince(started) * 1000) } else { missed += 1 }
                try await Task.sleep(nanoseconds: 400_000_000)
            }
            webhook = ms
        }
        return (rss, cpu, webhook, missed)
    }

    static func freePort() -> Int {
        let l = HTTPListener(host: "127.0.0.1", port: 0) { _ in .init(status: 404, body: "") }
        try? l.start()
        defer { l.stop() }
        return Int(l.port)
    }
}

/// `opsbench healthz`: the real `opsbot run` binary with the listener on; Telegram's getUpdates
/// fails (502) for `outage` seconds — long enough for `/healthz` to turn 503 (poll_timeout + 60 s)
/// and for the poller's backoff to grow — then answers again: how long until `/healthz` is 200.
enum BenchHealthz {
    /// The long poll in flight (≤ 25 s) ends first, then /healthz needs 25 + 60 s without a success.
    static let outage = 130.0

    static func run() async throws {
        let binary = BenchAlertmanager.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("healthz: build the release binary first (swift build -c release --product opsbot)")
            return
        }
        let token = BenchScratch.token
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try BenchScratch.directory("hz")
        let port = BenchAlertmanager.freePort()
        try """
        \(BenchScratch.baseConfig(api: fake.baseURL, dir: dir, root: TestApp.repositoryRoot))
        listen: 127.0.0.1:\(port)

        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["OPSBOT_TOKEN"] = token
        env.removeValue(forKey: "DATABASE_URL")
        let pid = try ProcessRunner.spawnDetached([binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/opsbot.log", environment: env)
        defer { kill(pid, SIGTERM) }
        guard await fake.waitFor(method: "setMyCommands", count: 1, timeout: 15) else {
            print("healthz: opsbot did not start polling; log: \(dir)/opsbot.log")
            return
        }
        func status() -> Int { (try? RawHTTP.request(host: "127.0.0.1", port: port, method: "GET", path: "/healthz", timeout: 2).status) ?? 0 }
        fake.failNext(method: "getUpdates", status: 502, description: "Bad Gateway", count: 1_000_000)
        // A long poll in flight ends with its timeout; the failures start after it.
        let down = Date()
        var unhealthyAt: Date?
        while Date().timeIntervalSince(down) < outage {
            if unhealthyAt == nil, status() == 503 { unhealthyAt = Date() }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        guard let unhealthyAt else {
            print(String(format: "healthz: /healthz never turned 503 during a %.0f s outage", outage))
            return
        }
        fake.clearFaults(method: "getUpdates")
        let back = Date()
        while status() != 200 && Date().timeIntervalSince(back) < 120 { usleep(20_000) }
        let took = Date().timeIntervalSince(back)
        print(String(format: "healthz: getUpdates failing %.0f s (503 after %.0f s); Telegram back → /healthz 200 in %.2f s", outage,
                     unhealthyAt.timeIntervalSince(down), took))
    }
}
