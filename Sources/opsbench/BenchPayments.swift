import Foundation
import OpsbotCore
import Postgres
import SystemOps
import TestKit
import TestSupport
import OpsbotApp
import OpsbotDatabase

/// `opsbench payments` (issue 20): `/payments pending` with 100 pending rows across YooKassa
/// and Crypto Pay (loopback fakes answering in 50 ms, then in 1 s), the provider check over all
/// 100 rows, and — with the release binary — idle memory and CPU with the provider checks
/// scheduled every 10 s.
enum BenchPayments {
    static func run() async throws {
        let pg = try TestPostgres.shared()
        let yk = try FakeYooKassa(), cp = try FakeCryptoPay()
        defer { yk.stop(); cp.stop() }
        var seed = DBFixture.demoSQL + "\nDELETE FROM payments WHERE status = 'pending';\n"
        for i in 1...50 {
            let id = String(format: "2d8f1c3a-000f-5000-9000-%012d", i)
            seed += "INSERT INTO payments (user_id, amount, currency, payment_type, provider, provider_payment_id, status, created_at) VALUES (1 + \(i) % 4, \(100 + i).00, 'RUB', 'balance_topup', 'yookassa', '\(id)', 'pending', now() - interval '\(20 + i) minutes');\n"
            yk.set(FakeYooKassa.payment(id: id, status: i % 3 == 0 ? "pending" : "succeeded", amount: "\(100 + i).00", capturedAt: Date().addingTimeInterval(-600)))
            seed += "INSERT INTO payments (user_id, amount, currency, payment_type, provider, provider_payment_id, status, created_at) VALUES (1 + \(i) % 4, \(i).00, 'USD', 'balance_topup', 'cryptobot', 'CB-9\(i)', 'pending', now() - interval '\(20 + i) minutes' - interval '30 seconds');\n"
            cp.set(FakeCryptoPay.invoice(id: 900_000 + i, status: i % 2 == 0 ? "paid" : "active", amount: "\(i).00", currency: "USD", fiat: true, payload: "CB-9\(i)"))
        }
        let url = try pg.createDatabase(sql: seed)
        let section = DBFixture.demoConfig(providers: DBFixture.providersYAML(yookassa: yk.url, cryptopay: cp.url, timeout: "5s"))
        let env = ["YOOKASSA_SHOP_ID": yk.state.current.shopID, "YOOKASSA_SECRET_KEY": yk.state.current.secretKey, "CRYPTOBOT_TOKEN": cp.state.current.token]
        let (app, _) = try TestApp.make(configYAML: DefaultConfig.yaml + "\n" + section, environment: ["DATABASE_URL": url], servicesEnvironment: env)
        let entry = app.catalog.entry("payments")!
        func pending() async -> String {
            let req = CommandRequest(command: entry.command, arguments: ["what": .string("pending"), "older_than": .string("1m")], chatID: 1, userID: 1)
            if case .reply(let r) = await entry.module.handle(ModuleContext(app: app, request: req, progress: NoProgress())) { return HTML.toPlainText(r.html) }
            return ""
        }
        let check = app.checks.named("payment_providers")!
        for delay in [0.05, 1.0] {
            yk.state.withLock { $0.delay = delay }
            cp.state.withLock { $0.delay = delay }
            _ = await pending()  // warm-up: connections, plan cache
            var times: [Double] = []
            var text = ""
            for _ in 0..<5 {
                let s = Date()
                text = await pending()
                times.append(Date().timeIntervalSince(s) * 1000)
            }
            times.sort()
            let paid = text.components(separatedBy: "paid at ").count - 1
            print(String(format: "payments: /payments pending, 100 pending rows (50 YooKassa + 50 Crypto Pay), page of 10, fakes answering in %.0f ms: median %.0f ms, max %.0f ms (%d rows shown paid at the provider)",
                         delay * 1000, times[2], times[4], paid))
            let s = Date()
            let results = await check.run(app)
            let lost = results.filter { $0.check == "payment_webhook_lost" && $0.status == .critical }.count
            print(String(format: "payments: provider check over all 100 rows (who-am-I ×2 + lookups) at %.0f ms per answer: %.0f ms, %d payment_webhook_lost",
                         delay * 1000, Date().timeIntervalSince(s) * 1000, lost))
        }
        print("payments: fake requests: YooKassa \(yk.requestCount), Crypto Pay \(cp.requestCount); violations: \(yk.violations.count + cp.violations.count)")
        try await idle(url: url, yk: yk, cp: cp, section: section, env: env, providers: true)
        // The same app and data without providers: what the provider checks add.
        try await idle(url: url, yk: yk, cp: cp, section: DBFixture.demoConfig(providers: nil), env: env, providers: false)
    }

    /// The release binary idle with the provider checks scheduled every 10 s.
    static func idle(url: String, yk: FakeYooKassa, cp: FakeCryptoPay, section: String, env: [String: String], providers: Bool) async throws {
        let root = TestApp.repositoryRoot
        let binary = root + "/.build/release/opsbot"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("payments: idle figures need the release binary (swift build -c release --product opsbot)")
            return
        }
        yk.state.withLock { $0.delay = 0.05 }
        cp.state.withLock { $0.delay = 0.05 }
        let token = BenchScratch.token
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try BenchScratch.directory("payments")
        try """
        \(BenchScratch.baseConfig(api: fake.baseURL, dir: dir, root: root))
        alerts:
          checks: {\(providers ? "payment_providers: 10s, " : "")payments: 60s, database: 60s, schema: 60s}
        \(section.replacingOccurrences(of: "versions_dir: demo/", with: "versions_dir: \(root)/demo/"))
        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var e = ProcessInfo.processInfo.environment.merging(env) { $1 }
        e["OPSBOT_TOKEN"] = token
        e["DATABASE_URL"] = url
        let pid = try ProcessRunner.spawnDetached([binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/opsbot.log", environment: e)
        defer { kill(pid, SIGTERM) }
        guard await fake.waitFor(method: "setMyCommands", count: 1, timeout: 15) else {
            print("payments: opsbot did not start; log: \(dir)/opsbot.log")
            return
        }
        var released = false
        for _ in 0..<300 where !released {
            released = ((try? String(contentsOfFile: dir + "/opsbot.log", encoding: .utf8)) ?? "").contains("idle memory: released")
            if !released { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let before = yk.requestCount + cp.requestCount
        let (t0, c0) = (Date(), BenchCore.cpuTicks(pid))
        try await Task.sleep(nanoseconds: 30_000_000_000)
        let cpu = Double(BenchCore.cpuTicks(pid) - c0) / Double(sysconf(Int32(_SC_CLK_TCK))) / Date().timeIntervalSince(t0) * 100
        let rss = BenchCore.status(pid, "VmRSS"), r = BenchCore.smapsRollup(pid)
        let what = providers ? "with payment_providers every 10 s (100 pending rows, both providers at 50 ms)" : "baseline, no providers configured"
        print(String(format: "payments: idle %@: RSS %.1f MB, PSS %.1f MB, private dirty %.1f MB; CPU %.2f %% over 30 s (%d provider requests)%@",
                     what, rss / 1024, (r["Pss"] ?? 0) / 1024, (r["Private_Dirty"] ?? 0) / 1024, cpu, yk.requestCount + cp.requestCount - before,
                     released ? "" : " (no idle release logged)"))
        print("payments: idle RSS by mapping: " + BenchCore.residentByFile(pid).prefix(8).map { String(format: "%@ %.1f", $0.name, $0.kb / 1024) }
            .joined(separator: ", ") + " MB")
        print("payments: alerts sent while idle: \(fake.calls("sendMessage").filter { $0.text?.contains("payment_webhook_lost") == true }.count) with payment_webhook_lost")
    }
}
