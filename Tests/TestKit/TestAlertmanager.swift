import Foundation
import OpsbotSupport

/// A real Alertmanager (Debian's `prometheus-alertmanager`) for tests, on a free loopback port
/// with clustering off (`--cluster.listen-address=` empty) and its own storage directory.
/// `shared()` starts one per test process, stopped at exit; `start()` gives a private one a
/// test may kill. Instances left by crashed test processes are reaped. Without the binary the
/// tests skip loudly — except under `CI=true`, where they fail.
public final class TestAlertmanager: @unchecked Sendable {
    public let directory: String
    public let port: Int
    public private(set) var pid: pid_t
    public var url: String { "http://127.0.0.1:\(port)" }

    public static var binary: String? {
        ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager", "/usr/local/bin/alertmanager"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static var enabled: Bool {
        SkipBanner.available(binary != nil, engine: "alertmanager",
                             "prometheus-alertmanager not found: SKIPPING the Alertmanager tests.",
                             "Install it (apt-get install prometheus-alertmanager, or scripts/deps.sh test). With CI=true they fail.")
    }

    private static let once = StartOnce<TestAlertmanager>()
    private static let live = Locked<[pid_t: String]>([:])

    public static func shared() throws -> TestAlertmanager {
        try once.get { try TestAlertmanager.start() }
    }

    public static func sharedAsync() async throws -> TestAlertmanager {
        try await runBlocking { try TestAlertmanager.shared() }
    }

    /// A private instance (stopped at exit unless the test stops it first).
    /// `receiverYAML`: the `opsbot` receiver's body (e.g. `webhook_configs`), default none.
    public static func start(receiverYAML: String = "") throws -> TestAlertmanager {
        guard let bin = binary else {
            throw TestAppError(message: "prometheus-alertmanager not found (CI=true requires it: apt-get install prometheus-alertmanager)")
        }
        reapStale()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-am-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        // One receiver, no real notifier: opsbot polls. group_wait 0 so alerts show at once.
        try """
        route:
          receiver: opsbot
          group_wait: 0s
          group_interval: 1s
          repeat_interval: 24h
        receivers:
          - name: opsbot
        \(receiverYAML)
        """.write(toFile: dir + "/am.yml", atomically: true, encoding: .utf8)
        try String(getpid()).write(toFile: dir + "/owner.pid", atomically: true, encoding: .utf8)
        var lastError = ""
        for _ in 0..<3 {   // a free port can be taken between the probe and the bind
            let port = TestPostgres.freePort()
            let pid = try spawn(bin, arguments(dir, port), log: dir + "/log")
            try String(pid).write(toFile: dir + "/am.pid", atomically: true, encoding: .utf8)
            let am = TestAlertmanager(directory: dir, port: port, pid: pid)
            if am.waitReady(timeout: 20) {
                live.withLock { $0[pid] = dir }
                registerAtExit
                return am
            }
            am.stop(removeDirectory: false)
            lastError = (try? String(contentsOfFile: dir + "/log", encoding: .utf8)).map { String($0.suffix(800)) } ?? ""
        }
        try? FileManager.default.removeItem(atPath: dir)
        throw TestAppError(message: "Alertmanager did not become ready: \(lastError)")
    }

    static func arguments(_ dir: String, _ port: Int) -> [String] {
        ["--config.file=\(dir)/am.yml", "--storage.path=\(dir)/data",
         "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn"]
    }

    /// Kills it (SIGKILL) and starts it again on the same port and storage: what a crash and a
    /// systemd restart do. Its alerts are gone (Alertmanager keeps them in memory only).
    public func restart() throws {
        guard let bin = Self.binary else { throw TestAppError(message: "prometheus-alertmanager not found") }
        stop(removeDirectory: false)
        pid = try Self.spawn(bin, Self.arguments(directory, port), log: directory + "/log")
        try String(pid).write(toFile: directory + "/am.pid", atomically: true, encoding: .utf8)
        Self.live.withLock { $0[pid] = directory }
        guard waitReady(timeout: 20) else { throw TestAppError(message: "Alertmanager did not come back after a restart") }
    }

    private init(directory: String, port: Int, pid: pid_t) {
        self.directory = directory
        self.port = port
        self.pid = pid
    }

    /// Kills it (SIGKILL: as abrupt as a crash) and reaps the process.
    public func stop(removeDirectory: Bool = true) {
        kill(pid, SIGKILL)
        var st: Int32 = 0
        while waitpid(pid, &st, 0) < 0 && errno == EINTR {}
        Self.live.withLock { $0[pid] = nil }
        if removeDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    func waitReady(timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            // Ours, not another test's Alertmanager that got the same free port first (then
            // this one fails to bind and exits, and its "ready" would be the other's).
            if (try? request("GET", "/-/ready")).map({ $0.status == 200 }) ?? false, ownsPort() { return true }
            var st: Int32 = 0
            if waitpid(pid, &st, WNOHANG) == pid { return false }
            usleep(100_000)
        }
        return false
    }

    /// This process holds the listening socket on `port` (`/proc/net/tcp` inode among its fds).
    func ownsPort() -> Bool {
        // The whole table: `String(contentsOfFile:)` returns a /proc file's first page only.
        guard let data = try? FileHandle(forReadingAtPath: "/proc/net/tcp")?.readToEnd() else { return true }
        let table = String(decoding: data, as: UTF8.self)
        let hexPort = String(format: "%04X", port)
        let inodes = table.split(separator: "\n").dropFirst().compactMap { line -> String? in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 9, f[1].hasSuffix(":" + hexPort), f[3] == "0A" else { return nil }
            return String(f[9])
        }
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        let links = Set(fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") })
        return inodes.contains { links.contains("socket:[\($0)]") }
    }

    // MARK: API helpers for tests

    /// Posts alerts (`labels`, optional `annotations`, optional `endsAt` to resolve) like Prometheus does.
    public func post(alerts: [[String: Any]]) async throws {
        let body = try JSONSerialization.data(withJSONObject: alerts)
        let r = try await runBlocking { try self.request("POST", "/api/v2/alerts", body: body) }
        guard r.status == 200 else { throw TestAppError(message: "POST /api/v2/alerts: \(r.status) \(String(decoding: r.body, as: UTF8.self))") }
    }

    public func fire(_ labels: [String: String], annotations: [String: String] = [:]) async throws {
        try await post(alerts: [["labels": labels, "annotations": annotations]])
    }

    public func resolve(_ labels: [String: String]) async throws {
        try await post(alerts: [["labels": labels, "endsAt": ISO8601DateFormatter().string(from: Date().addingTimeInterval(-1))]])
    }

    /// The silences as JSON objects.
    public func silences() async throws -> [[String: Any]] {
        let r = try await runBlocking { try self.request("GET", "/api/v2/silences") }
        return (try JSONSerialization.jsonObject(with: r.body) as? [[String: Any]]) ?? []
    }

    public func alerts() async throws -> [[String: Any]] {
        let r = try await runBlocking { try self.request("GET", "/api/v2/alerts") }
        return (try JSONSerialization.jsonObject(with: r.body) as? [[String: Any]]) ?? []
    }

    /// A blocking HTTP/1.0 request over a plain socket (no dependency on the code under test).
    public func request(_ method: String, _ path: String, body: Data? = nil) throws -> (status: Int, body: Data) {
        try RawHTTP.request(host: "127.0.0.1", port: port, method: method, path: path, body: body)
    }

    // MARK: process management

    private static let registerAtExit: Void = {
        atexit {
            for (pid, dir) in TestAlertmanager.live.current {
                kill(pid, SIGKILL)
                try? FileManager.default.removeItem(atPath: dir)
            }
        }
    }()

    /// Instances whose test process died without its atexit (a crash): kill and delete.
    static func reapStale() {
        let tmp = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("opsbot-am-") {
            let dir = tmp + "/" + name
            guard let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8), let owner = pid_t(text),
                  kill(owner, 0) != 0 && errno == ESRCH else { continue }
            if let p = (try? String(contentsOfFile: dir + "/am.pid", encoding: .utf8)).flatMap({ pid_t($0) }),
               let cmd = try? String(contentsOfFile: "/proc/\(p)/cmdline", encoding: .utf8), cmd.contains(dir) {
                kill(p, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// Starts a long-running child (output to `log`) without waiting for it.
    static func spawn(_ exe: String, _ args: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
        guard rc == 0 else { throw TestAppError(message: "cannot run \(exe): \(String(cString: strerror(rc)))") }
        return pid
    }
}

/// A tiny blocking HTTP client over a socket, for tests that must not go through the code
/// under test (the listener's tests, Alertmanager setup).
public enum RawHTTP {
    public static func request(host: String, port: Int, method: String, path: String, headers: [String: String] = [:],
                               body: Data? = nil, timeout: Double = 10) throws -> (status: Int, body: Data) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestAppError(message: "socket failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, host, &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw TestAppError(message: "connect \(host):\(port): \(String(cString: strerror(errno)))") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + Array(body ?? Data())
        var off = 0
        while off < out.count {
            let n = out[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            off += n
        }
        var resp = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            resp += chunk[0..<n]
        }
        guard let sep = (0..<max(0, resp.count - 3)).first(where: { resp[$0] == 13 && resp[$0 + 1] == 10 && resp[$0 + 2] == 13 && resp[$0 + 3] == 10 }) else {
            throw TestAppError(message: "no HTTP response from \(host):\(port)\(path)")
        }
        let statusLine = String(decoding: resp[0..<sep], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var bodyBytes = Array(resp[(sep + 4)...])
        let lower = String(decoding: resp[0..<sep], as: UTF8.self).lowercased()
        if lower.contains("transfer-encoding: chunked") { bodyBytes = dechunk(bodyBytes) }
        return (status, Data(bodyBytes))
    }

    static func dechunk(_ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](), i = 0
        while i < b.count {
            guard let crlf = (i..<max(i, b.count - 1)).first(where: { b[$0] == 13 && b[$0 + 1] == 10 }),
                  let size = Int(String(decoding: b[i..<crlf], as: UTF8.self).split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
            let start = crlf + 2
            out += b[start..<min(b.count, start + size)]
            i = start + size + 2
        }
        return out
    }
}
