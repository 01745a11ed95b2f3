import Foundation
import OpsbotSupport

/// A real OpenSSH server for tests: generated sshd_config on a free loopback port, a
/// generated host key (pinned in opsbot's config), a generated client key, and an
/// authorized_keys line that forces `opsbot remote --config <dir>/remote.yaml`:
///
///     restrict,command="<built opsbot> remote --config <dir>/remote.yaml" ssh-ed25519 AAAA…
///
/// As root the key logs in as root, which sshd allows only with `PermitRootLogin
/// forced-commands-only` (set here); otherwise as the current user (sshd runs unprivileged
/// then). `StrictModes no` because the key files live under /tmp. The shared instance is
/// started once per test process and stopped at exit; instances of a test process that
/// crashed are reaped by the next one. Without sshd the tests skip loudly — under `CI=true`
/// they fail.
public final class TestSSHD: @unchecked Sendable {
    public let directory: String
    public let port: Int
    public let user: String
    /// The host's public key line (`ssh-ed25519 AAAA…`): what opsbot's `host_key` pins.
    public let hostKey: String
    public let clientKey: String
    public let remoteConfig: String
    public let pid: pid_t

    public static let sshdPath = "/usr/sbin/sshd"

    public static var enabled: Bool {
        SkipBanner.available(FileManager.default.isExecutableFile(atPath: sshdPath) && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh"),
                             engine: "sshd", "OpenSSH (sshd, ssh) not found: SKIPPING the remote-host tests.",
                             "Install openssh-server and openssh-client to run them. With CI=true they fail.")
    }

    /// The `hosts:` entry for opsbot's config pointing at this server.
    public func hostYAML(_ name: String, extra: [String] = []) -> String {
        (["  \(name):", "    address: 127.0.0.1", "    port: \(port)", "    user: \(user)", "    identity_file: \(clientKey)",
          "    host_key: \"\(hostKey)\""] + extra.map { "    " + $0 }).joined(separator: "\n")
    }

    init(directory: String, port: Int, user: String, hostKey: String, clientKey: String, remoteConfig: String, pid: pid_t) {
        self.directory = directory; self.port = port; self.user = user; self.hostKey = hostKey
        self.clientKey = clientKey; self.remoteConfig = remoteConfig; self.pid = pid
    }

    private static let once = StartOnce<TestSSHD>()
    nonisolated(unsafe) private static var running: [TestSSHD] = []
    private static let lock = NSLock()

    /// The shared server, started on first use with `remoteConfig(dir)` as the remote host's config.
    public static func shared(opsbot: String, remoteConfig: (String) -> String) throws -> TestSSHD {
        try once.get { try start(opsbot: opsbot, remoteConfig: remoteConfig) }
    }

    /// Another server of its own (benchmarks use two, as two hosts). With `jumpTo`, it is a
    /// bastion instead: its key may only open a forwarding to 127.0.0.1:`jumpTo` (`ssh -W`).
    public static func start(opsbot: String, jumpTo: Int? = nil, remoteConfig: (String) -> String) throws -> TestSSHD {
        lock.lock()
        defer { lock.unlock() }
        return try startLocked(opsbot: opsbot, jumpTo: jumpTo, remoteConfig: remoteConfig)
    }

    private static func startLocked(opsbot: String, jumpTo: Int? = nil, remoteConfig: (String) -> String) throws -> TestSSHD {
        guard FileManager.default.isExecutableFile(atPath: sshdPath) else {
            throw TestAppError(message: "\(sshdPath) not found (apt-get install openssh-server openssh-client; CI=true requires it)")
        }
        guard FileManager.default.isExecutableFile(atPath: opsbot) else { throw TestAppError(message: "\(opsbot) not built (swift build first)") }
        reapStale()
        // Short: the directory also holds nothing socket-like, but paths end up in argv and logs.
        let dir = "/tmp/opsbot-sshd-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? String(getpid()).write(toFile: dir + "/owner.pid", atomically: true, encoding: .utf8)
        for key in ["host_key", "client_key"] {
            let r = try TestPostgres.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "opsbot-test", "-f", dir + "/" + key])
            guard r.status == 0 else { throw TestAppError(message: "ssh-keygen failed: \(r.stderr)") }
        }
        let hostKey = try String(contentsOfFile: dir + "/host_key.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let clientPub = try String(contentsOfFile: dir + "/client_key.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let remote = dir + "/remote.yaml"
        try remoteConfig(dir).write(toFile: remote, atomically: true, encoding: .utf8)
        let options = jumpTo.map { "restrict,port-forwarding,permitopen=\"127.0.0.1:\($0)\",command=\"/bin/false\"" }
            ?? "restrict,command=\"\(opsbot) remote --config \(remote)\""
        try "\(options) \(clientPub)\n".write(toFile: dir + "/authorized_keys", atomically: true, encoding: .utf8)
        let user = geteuid() == 0 ? "root" : (getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "nobody")
        let port = TestPostgres.freePort()
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(dir)/host_key
        PidFile \(dir)/sshd.pid
        AuthorizedKeysFile \(dir)/authorized_keys
        AllowUsers \(user)
        PermitRootLogin forced-commands-only
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        StrictModes no
        AllowTcpForwarding \(jumpTo == nil ? "no" : "local")
        AllowAgentForwarding no
        X11Forwarding no
        PermitTTY no
        MaxSessions 64
        MaxStartups 64
        LogLevel VERBOSE

        """.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
        if geteuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755]) }
        let pid = try spawn([sshdPath, "-D", "-e", "-f", dir + "/sshd_config"], log: dir + "/sshd.log")
        try? String(pid).write(toFile: dir + "/sshd.pid", atomically: true, encoding: .utf8)
        let deadline = Date().addingTimeInterval(15)
        while !canConnect(port) {
            if Date() > deadline || kill(pid, 0) != 0 {
                let log = (try? String(contentsOfFile: dir + "/sshd.log", encoding: .utf8)) ?? ""
                kill(pid, SIGKILL)
                throw TestAppError(message: "sshd did not start on port \(port): \(log.suffix(1500))")
            }
            usleep(50_000)
        }
        let sshd = TestSSHD(directory: dir, port: port, user: user, hostKey: hostKey, clientKey: dir + "/client_key", remoteConfig: remote, pid: pid)
        if running.isEmpty { atexit { TestSSHD.stopAll() } }
        running.append(sshd)
        return sshd
    }

    /// The sshd log (auth decisions at VERBOSE), for assertions and failure messages.
    public var log: String { (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? "" }

    /// Kills every connection this server is serving (its per-connection children), as a
    /// dropped network would; the listener stays up.
    public func dropConnections() {
        for child in TestSSHD.children(of: pid) { kill(child, SIGKILL) }
    }

    private let stopped = Locked(false)

    /// Stops the server and its connections once (a reaped pid is never signalled again).
    public func stop() {
        guard stopped.withLock({ s in defer { s = true }; return !s }) else { return }
        // Connections first: once the listener is gone its children are no longer findable by parent.
        dropConnections()
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<40 { if waitpid(pid, &status, WNOHANG) == pid || kill(pid, 0) != 0 { break }; usleep(50_000) }
        kill(pid, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func stopAll() {
        for s in running { s.stop() }
        running = []
    }

    static func children(of parent: pid_t) -> [pid_t] {
        var out: [pid_t] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let p = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, pid_t(fields[1]) == parent { out.append(p) }
        }
        return out
    }

    /// Servers left behind by test processes that crashed (atexit never ran).
    static func reapStale() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix("opsbot-sshd-") {
            let dir = "/tmp/" + name
            guard let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8), let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  kill(owner, 0) != 0 && errno == ESRCH else { continue }
            if let t = try? String(contentsOfFile: dir + "/sshd.pid", encoding: .utf8), let p = pid_t(t.trimmingCharacters(in: .whitespacesAndNewlines)), p > 1,
               let cmd = try? String(contentsOfFile: "/proc/\(p)/cmdline", encoding: .utf8), cmd.contains(dir) {
                for c in children(of: p) { kill(c, SIGKILL) }
                kill(p, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    static func spawn(_ argv: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard rc == 0 else { throw TestAppError(message: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }
}
