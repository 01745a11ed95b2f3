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

/// `opsbench services`:
/// 1. `/logs worker 50` on a 2 GB log file (a 2 GB hole with 16 MB of real log lines at its
///    end: the reader must only touch the tail) — wall time next to `tail -n 50` on the same
///    file, and peak memory measured in a child process (maxrss of a child that only loads the
///    app vs one that also answers /logs).
/// 2. `/status` with 10 services where one health endpoint hangs (timeout 2 s) — reply time.
enum BenchServices {
    static func run() async throws {
        if let file = ProcessInfo.processInfo.environment["OPSBENCH_LOGS_CHILD"] {
            try await child(file: file, read: ProcessInfo.processInfo.environment["OPSBENCH_LOGS_READ"] == "1")
            return
        }
        let dir = "/tmp/opsbench-services-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/worker.log"
        try makeLog(file)

        // 1a. /logs worker 50 through the module, median of 15
        let app = try makeApp(file: file)
        var ours: [Double] = []
        for _ in 0..<15 {
            let t = Date()
            _ = try await logs(app)
            ours.append(Date().timeIntervalSince(t))
        }
        // 1b. tail -n 50, median of 15 (includes its process start, as an admin's ssh would)
        var tails: [Double] = []
        for _ in 0..<15 {
            let t = Date()
            let r = try await ProcessRunner.run(["tail", "-n", "50", file], timeout: 30)
            tails.append(Date().timeIntervalSince(t))
            precondition(r.succeeded)
        }
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print(String(format: "services: /logs worker 50 on a %.2f GB file: %.2f ms median (tail -n 50: %.2f ms) — ratio %.2f× (target ≤ 2×)",
                     Double(size) / 1e9, median(ours) * 1000, median(tails) * 1000, median(ours) / median(tails)))

        // 1c. peak memory in child processes
        let base = try await childRSS(file: file, read: false)
        let with = try await childRSS(file: file, read: true)
        print(String(format: "services: /logs peak RSS: %.1f MB in a child answering /logs vs %.1f MB for one that only loads the app: +%.1f MB (target < 20 MB)",
                     Double(with) / 1024, Double(base) / 1024, Double(with - base) / 1024))

        // 2. /status with 10 services, one hung health endpoint
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/healthz", .ok())
        server.route("/hang", .never)
        var yaml = "admins:\n  chats: [1]\n  users: [1]\ndisk:\n  roots: []\nservices:\n"
        for i in 0..<10 {
            yaml += """
              svc\(i):
                backend: process
                match: 'opsbench-no-such-process-\(i)'
                health: [{url: "\(server.url(i == 7 ? "/hang" : "/healthz"))", timeout: 2s}]

            """
        }
        let (sapp, _) = try TestApp.make(configYAML: yaml)
        guard let status = sapp.catalog.entry("status") else { throw BenchError(description: "no /status in the catalog") }
        var times: [Double] = []
        for _ in 0..<3 {
            let t = Date()
            let req = CommandRequest(command: status.command, arguments: [:], chatID: 1, userID: 1)
            _ = await status.module.handle(ModuleContext(app: sapp, request: req, progress: NoProgress()))
            times.append(Date().timeIntervalSince(t))
        }
        print(String(format: "services: /status with 10 services, one endpoint hanging (2 s timeout): %.0f ms median of 3 (target < 2100 ms)", median(times) * 1000))
    }

    struct BenchError: Error, CustomStringConvertible { var description: String }

    static func median(_ a: [Double]) -> Double { a.sorted()[a.count / 2] }

    /// A 2 GB file: a hole, then 16 MB of realistic log lines (clearly sparse: real lines only at the end).
    static func makeLog(_ path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let fh = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? fh.close() }
        let tailBytes = 16 << 20
        try fh.truncate(atOffset: UInt64(2_000_000_000 - tailBytes))
        try fh.seekToEnd()
        var chunk = "\n"
        var n = 0
        while chunk.utf8.count < 1 << 20 {
            n += 1
            chunk += n % 17 == 0 ? "2026-11-23 10:00:00,123 - bot - ERROR - create_payment failed: provider timeout (user_id=\(n))\n"
                                 : "2026-11-23 10:00:00,123 - bot - INFO - update \(100000 + n) handled in \(n % 200) ms\n"
        }
        let data = Data(chunk.utf8)
        for _ in 0..<16 { try fh.write(contentsOf: data) }
    }

    static func makeApp(file: String) throws -> AppContext {
        let yaml = """
        admins:
          chats: [1]
          users: [1]
        services:
          worker:
            backend: process
            match: 'opsbench-no-such-process'
            log_file: \(file)
        """
        return try TestApp.make(configYAML: yaml).0
    }

    static func logs(_ app: AppContext) async throws -> CommandOutcome {
        guard let e = app.catalog.entry("logs") else { throw BenchError(description: "no /logs in the catalog") }
        let args = try ArgumentValidator.bind(["worker", "50"], to: e.command, services: app.config.serviceNames)
        return await e.module.handle(ModuleContext(app: app, request: CommandRequest(command: e.command, arguments: args, chatID: 1, userID: 1), progress: NoProgress()))
    }

    static func child(file: String, read: Bool) async throws {
        let app = try makeApp(file: file)
        if read {
            let o = try await logs(app)
            guard case .reply(let r) = o, r.html.contains("last 50 lines") else { throw BenchError(description: "unexpected /logs reply") }
        }
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        print("maxrss_kb=\(u.ru_maxrss)")
    }

    static func childRSS(file: String, read: Bool) async throws -> Int {
        var env = ProcessInfo.processInfo.environment
        env["OPSBENCH_LOGS_CHILD"] = file
        env["OPSBENCH_LOGS_READ"] = read ? "1" : "0"
        let r = try await ProcessRunner.run([CommandLine.arguments[0], "services"], timeout: 60, environment: env)
        guard let line = r.stdout.split(separator: "\n").first(where: { $0.hasPrefix("maxrss_kb=") }), let kb = Int(line.dropFirst(10)) else {
            throw BenchError(description: "child failed: \(r.summary) \(r.stderr.prefix(300))")
        }
        return kb
    }
}
