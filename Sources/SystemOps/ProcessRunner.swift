import Foundation
import OpsbotSupport
import CShims
#if canImport(Glibc)
import Glibc
#endif

/// The result of running one argv.
public struct ProcessResult: Sendable, Hashable {
    public var exitCode: Int32
    /// Set when the process was killed by a signal (including our timeout kill).
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
    /// Output beyond the cap was dropped (the head is kept).
    public var truncated: Bool
    public var duration: Double

    public var succeeded: Bool { exitCode == 0 && signal == nil && !timedOut }

    /// A one-line description: `exit 0 in 0.2 s`, `killed after 30 s timeout`.
    public var summary: String {
        if timedOut { return "killed after the \(String(format: "%.0f", duration)) s timeout" }
        if let signal { return "killed by signal \(signal)" }
        return "exit \(exitCode) in \(String(format: "%.1f", duration)) s"
    }
}

public struct ProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Runs a program as an argv — never through a shell — with a timeout and an output cap.
///
/// The child gets its own process group, so a timeout kills everything it started.
/// Blocking waits run on a thread of their own, never on Swift's cooperative pool.
public enum ProcessRunner {
    public static func run(_ argv: [String], timeout: Double = 30, maxOutput: Int = 1 << 20,
                           environment: [String: String]? = nil, workingDirectory: String? = nil,
                           stdin: Data? = nil) async throws -> ProcessResult {
        try await runBlocking(name: "opsbot.process") {
            try runSync(argv, timeout: timeout, maxOutput: maxOutput, environment: environment,
                        workingDirectory: workingDirectory, stdin: stdin)
        }
    }

    /// Starts a long-lived process detached from opsbot (its own session, output to a file),
    /// returning its pid. Used by the process backend to (re)start services.
    public static func spawnDetached(_ argv: [String], logFile: String?, environment: [String: String]? = nil,
                                     workingDirectory: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let out = logFile ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let wd = workingDirectory { opsbot_spawn_addchdir(&actions, wd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, opsbot_spawn_setsid_flag() | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        return try spawn(argv, actions: &actions, attr: &attr, environment: environment)
    }

    /// Variables that hold opsbot's own credentials (platform API tokens): never passed to a
    /// child process, whatever environment it is given.
    public static let withheldVariables = Locked<Set<String>>([])

    static func spawn(_ argv: [String], actions: inout posix_spawn_file_actions_t, attr: inout posix_spawnattr_t,
                      environment: [String: String]?) throws -> pid_t {
        guard let program = argv.first, !program.isEmpty else { throw ProcessError("empty argv") }
        var env = environment ?? ProcessInfo.processInfo.environment
        for name in ProcessRunner.withheldVariables.current { env[name] = nil }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, &actions, &attr, &cArgs, &cEnv)
        guard rc == 0 else {
            throw ProcessError("cannot start \(program): \(String(cString: strerror(rc)))")
        }
        return pid
    }

    public static func runSync(_ argv: [String], timeout: Double, maxOutput: Int, environment: [String: String]?,
                               workingDirectory: String?, stdin input: Data?) throws -> ProcessResult {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [0, 0]
        guard opsbot_pipe_cloexec(&outPipe) == 0, opsbot_pipe_cloexec(&errPipe) == 0, opsbot_pipe_cloexec(&inPipe) == 0 else {
            throw ProcessError("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        if let wd = workingDirectory { opsbot_spawn_addchdir(&actions, wd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)

        let start = Date()
        let pid: pid_t
        do {
            pid = try spawn(argv, actions: &actions, attr: &attr, environment: environment)
        } catch {
            for fd in outPipe + errPipe + inPipe { close(fd) }
            throw error
        }
        close(outPipe[1]); close(errPipe[1]); close(inPipe[0])
        if let input, !input.isEmpty {
            _ = input.withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
        }
        close(inPipe[1])

        var out = Data(), err = Data()
        var truncated = false
        var timedOut = false
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = start.addingTimeInterval(timeout)
        while open > 0 {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { timedOut = true; break }
            let rc = poll(&fds, 2, Int32(min(remaining, 1) * 1000) + 1)
            if rc < 0 { if errno == EINTR { continue } else { break } }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n <= 0 {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                    continue
                }
                if i == 0 {
                    if out.count < maxOutput { out.append(contentsOf: buffer[0..<min(n, maxOutput - out.count)]) } else { truncated = true }
                } else {
                    if err.count < maxOutput { err.append(contentsOf: buffer[0..<min(n, maxOutput - err.count)]) } else { truncated = true }
                }
            }
        }
        if timedOut {
            kill(-pid, SIGTERM)
            usleep(200_000)
            kill(-pid, SIGKILL)
        }
        for f in fds where f.fd >= 0 { close(f.fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return ProcessResult(exitCode: exited ? (status >> 8) & 0xff : -1, signal: exited ? nil : status & 0x7f,
                             stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                             timedOut: timedOut, truncated: truncated, duration: Date().timeIntervalSince(start))
    }
}
