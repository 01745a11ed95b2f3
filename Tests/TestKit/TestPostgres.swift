import Foundation
import OpsbotSupport

/// A throwaway PostgreSQL cluster for tests: started once per test process (initdb + pg_ctl
/// in a temp dir, `fsync=off`), stopped at exit. Each test asks for its own database, so
/// tests can run in parallel.
///
/// initdb refuses to run as root, so as root the cluster runs as the `postgres` user
/// (`runuser`) in a directory chowned to it. Without PostgreSQL binaries the tests that need
/// it are skipped with a loud message — except under `CI=true`, where they fail instead.
public final class TestPostgres: @unchecked Sendable {
    public let directory: String
    public let socketDirectory: String
    public let port: Int
    public let binDirectory: String

    /// Connection string for the cluster's `postgres` database as superuser `postgres`.
    public var adminURL: String { url(database: "postgres") }

    /// key=value form over the unix socket.
    public func url(database: String) -> String {
        "host=\(socketDirectory) port=\(port) user=postgres dbname=\(database)"
    }

    /// URI form over TCP (for tests of DATABASE_URL parsing).
    public func uri(database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// True when PostgreSQL binaries exist, or when CI demands the tests run (and fail).
    public static var enabled: Bool {
        SkipBanner.available(binDir() != nil, engine: "postgresql",
                             "PostgreSQL binaries (initdb, pg_ctl) not found: SKIPPING the database tests.",
                             "Install postgresql (e.g. apt-get install postgresql) to run them. With CI=true they fail.")
    }

    private static let once = StartOnce<TestPostgres>()

    /// The shared cluster, started on first use.
    public static func shared() throws -> TestPostgres {
        try once.get { try TestPostgres.start() }
    }

    /// The shared cluster, started off Swift's cooperative pool: initdb takes seconds, and a
    /// blocked pool thread would stall every other test in the process.
    public static func sharedAsync() async throws -> TestPostgres {
        try await runBlocking { try TestPostgres.shared() }
    }

    /// `createDatabase` off the cooperative pool (it runs psql).
    public func createDatabaseAsync(sql: String? = nil) async throws -> String {
        try await runBlocking { [self] in try self.createDatabase(sql: sql) }
    }

    /// `psql` off the cooperative pool.
    @discardableResult
    public func psqlAsync(database: String, command: String? = nil, input: String? = nil) async throws -> String {
        try await runBlocking { [self] in try self.psql(database: database, command: command, input: input) }
    }

    /// A fresh, empty database (`t_<random>`), optionally loaded with `sql`. Returns its URL.
    public func createDatabase(sql: String? = nil) throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql(database: "postgres", command: "CREATE DATABASE \(name)")
        if let sql { try psql(database: name, input: sql) }
        return url(database: name)
    }

    /// Runs SQL through psql (ON_ERROR_STOP), returns its unaligned output.
    @discardableResult
    public func psql(database: String, command: String? = nil, input: String? = nil) throws -> String {
        var args = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", String(port), "-U", "postgres", "-d", database]
        if let command { args += ["-c", command] }
        let r = try TestPostgres.run(binDirectory + "/psql", args, input: input)
        guard r.status == 0 else { throw TestAppError(message: "psql failed: \(r.stderr)") }
        return r.stdout
    }

    // MARK: - Start / stop

    static func binDir() -> String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let r = try? run("/usr/bin/env", ["pg_config", "--bindir"]), r.status == 0 {
            candidates.append(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if let versions = try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) { candidates.append("/usr/lib/postgresql/\(v)/bin") }
        }
        for p in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") { candidates.append(String(p)) }
        return candidates.first { fm.isExecutableFile(atPath: $0 + "/initdb") && fm.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }

    private init(directory: String, socketDirectory: String, port: Int, binDirectory: String) {
        self.directory = directory
        self.socketDirectory = socketDirectory
        self.port = port
        self.binDirectory = binDirectory
    }

    nonisolated(unsafe) private static var stopCommand: (String, [String], String)?

    private static func start() throws -> TestPostgres {
        guard let bin = binDir() else {
            throw TestAppError(message: "PostgreSQL binaries (initdb, pg_ctl) not found in pg_config --bindir, /usr/lib/postgresql/*/bin or PATH (CI=true requires them)")
        }
        reapStaleClusters(bin: bin)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-pg-\(UUID().uuidString.prefix(8))").path
        let data = dir + "/data", sock = dir + "/sock"
        try FileManager.default.createDirectory(atPath: sock, withIntermediateDirectories: true)
        let asRoot = geteuid() == 0
        if asRoot {
            let r = try run("/bin/chown", ["-R", "postgres:", dir])
            guard r.status == 0 else { throw TestAppError(message: "chown postgres \(dir) failed: \(r.stderr)") }
        }
        func pg(_ tool: String, _ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            if asRoot { return try run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + tool] + args) }
            return try run(bin + "/" + tool, args)
        }
        var r = try pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
        guard r.status == 0 else { throw TestAppError(message: "initdb failed: \(r.stderr)") }
        let port = freePort()
        let opts = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c port=\(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(sock) -c max_connections=200"
        r = try pg("pg_ctl", ["-D", data, "-l", dir + "/log", "-w", "-t", "60", "-o", opts, "start"])
        guard r.status == 0 else {
            let log = (try? String(contentsOfFile: dir + "/log", encoding: .utf8)) ?? ""
            throw TestAppError(message: "pg_ctl start failed: \(r.stderr) \(log.suffix(1000))")
        }
        try? String(getpid()).write(toFile: dir + "/owner.pid", atomically: true, encoding: .utf8)
        let stopArgs = ["-D", data, "-m", "immediate", "stop"]
        stopCommand = asRoot ? ("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/pg_ctl"] + stopArgs, dir) : (bin + "/pg_ctl", stopArgs, dir)
        atexit {
            guard let (exe, args, dir) = TestPostgres.stopCommand else { return }
            _ = try? TestPostgres.run(exe, args)
            try? FileManager.default.removeItem(atPath: dir)
        }
        return TestPostgres(directory: dir, socketDirectory: sock, port: port, binDirectory: bin)
    }

    /// Clusters left behind by test processes that crashed (atexit never ran): stop and delete them.
    private static func reapStaleClusters(bin: String) {
        let tmp = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("opsbot-pg-") {
            let dir = tmp + "/" + name
            guard let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8), let owner = pid_t(text),
                  kill(owner, 0) != 0 && errno == ESRCH else { continue }
            let args = ["-D", dir + "/data", "-m", "immediate", "stop"]
            _ = geteuid() == 0 ? try? run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/pg_ctl"] + args) : try? run(bin + "/pg_ctl", args)
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// A TCP port nothing listens on right now (bind to 0, read it back).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Runs a program to completion with posix_spawn + waitpid. Foundation's Process is not
    /// used: it notices exit through a descriptor the child inherits, which the daemonized
    /// postmaster keeps open, so `pg_ctl start` would never seem to finish.
    static func run(_ exe: String, _ args: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-run-\(UUID().uuidString)").path
        let outPath = tmp + ".out", errPath = tmp + ".err", inPath = tmp + ".in"
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
        defer { for p in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
        guard rc == 0 else { throw TestAppError(message: "cannot run \(exe): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let so = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let se = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (code, so, se)
    }
}
