import Foundation
import OpsbotSupport
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as an argv — never through a shell — with a timeout and an output cap,
/// through swift-subprocess (pidfd-based exit monitoring, async pipes: no thread per child).
///
/// The child gets its own process group, so a timeout stops everything it started: SIGTERM to
/// the group, SIGKILL 200 ms later. The timeout counts from the start to the child's exit, not
/// to the end of its output: a child that closes stdout and stderr and then hangs is stopped
/// too. Cancelling the calling task stops the child the same way and throws `CancellationError`.
public enum ProcessRunner {
    /// The only variables a child inherits from opsbot. opsbot's own environment holds its
    /// secrets (OPSBOT_TOKEN, DATABASE_URL…), so children never get it wholesale.
    public static let inheritedVariables = ["PATH", "LANG", "LC_ALL", "HOME", "TZ", "USER", "LOGNAME", "TMPDIR"]

    /// Variables that hold opsbot's own credentials (platform API tokens): never passed to a
    /// child process, whatever environment it is given.
    public static let withheldVariables = Locked<Set<String>>([])

    /// How long a child has between SIGTERM and SIGKILL once its time is up.
    static let termGrace: Duration = .milliseconds(200)

    /// The environment every child runs with: `inheritedVariables` from opsbot's environment
    /// plus `extra` (a command's own `env:`), never anything else.
    public static func childEnvironment(_ extra: [String: String] = [:],
                                        from parent: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var env: [String: String] = [:]
        for name in inheritedVariables { if let v = parent[name] { env[name] = v } }
        if env["PATH"] == nil { env["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        return env.merging(extra) { $1 }
    }

    /// Where `program` would be found on the children's PATH (a path with a slash: itself when
    /// it is executable), nil when it is not installed.
    public static func findExecutable(_ program: String, path: String? = nil) -> String? {
        let fm = FileManager.default
        if program.contains("/") { return fm.isExecutableFile(atPath: program) ? program : nil }
        let dirs = (path ?? childEnvironment()["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/\(program)" }.first { fm.isExecutableFile(atPath: $0) }
    }

    /// What a child is started with: `environment` (nil: `childEnvironment()`) minus the
    /// withheld variables.
    static func finalEnvironment(_ environment: [String: String]?) -> [String: String] {
        var env = environment ?? childEnvironment()
        for name in withheldVariables.current { env[name] = nil }
        return env
    }

    /// Runs `argv` to its end or for `timeout` seconds, keeping at most `maxOutput` bytes of
    /// each of stdout and stderr (the head; the rest is read and dropped so the child never
    /// blocks on a full pipe). `environment` nil: `childEnvironment()` (PATH, LANG, HOME, TZ… only).
    public static func run(_ argv: [String], timeout: Double = 30, maxOutput: Int = 1 << 20,
                           environment: [String: String]? = nil, workingDirectory: String? = nil,
                           stdin: Data? = nil) async throws -> ProcessResult {
        let configuration = try configuration(argv, environment: environment, workingDirectory: workingDirectory)
        let out = CappedOutput(limit: maxOutput), err = CappedOutput(limit: maxOutput)
        let input = stdin ?? Data()
        let limit = Duration.seconds(max(0, timeout))
        let clock = ContinuousClock()
        let start = clock.now

        // The run and the timer race in a group: the loser is cancelled, and the group still
        // waits for the run, so the child is always reaped before this returns. Cancelling the
        // run makes swift-subprocess play `teardownSequence` on the child's process group; the
        // first SIGTERM is sent here directly, at once (see `ChildGroup`).
        let child = ChildGroup()
        let (ending, timedOut) = await withTaskCancellationHandler {
            await withTaskGroup(of: Ending.self) { group -> (Ending, Bool) in
                group.addTask {
                    do {
                        let r = try await Subprocess.run(configuration, input: .data(input), output: .sequence, error: .sequence) { execution in
                            child.started(execution.processIdentifier.value)
                            async let o: Void = out.drain(execution.standardOutput)
                            async let e: Void = err.drain(execution.standardError)
                            _ = await (o, e)
                        }
                        child.reaped()
                        return .exited(r.terminationStatus)
                    } catch {
                        child.reaped()
                        return .failed(error)
                    }
                }
                group.addTask {
                    do { try await clock.sleep(for: limit) } catch { return .cancelled }
                    child.expire()
                    return .deadline
                }
                let first = await group.next()!
                group.cancelAll()
                guard case .deadline = first else { return (first, child.expired) }
                return (await group.next()!, true)
            }
        } onCancel: {
            child.terminate()
        }
        let duration = (clock.now - start).seconds

        var exitCode: Int32 = -1
        var signal: Int32?
        switch ending {
        case .exited(.exited(let code)): exitCode = code
        case .exited(.signaled(let sig)): signal = sig
        case .failed(let error):
            if Task.isCancelled { throw CancellationError() }
            if !timedOut { throw ProcessError("cannot run \(argv[0]): \(error)") }
        case .deadline, .cancelled: break
        }
        if Task.isCancelled && !timedOut { throw CancellationError() }
        return ProcessResult(exitCode: exitCode, signal: signal, stdout: out.text, stderr: err.text,
                             timedOut: timedOut, truncated: out.truncated || err.truncated, duration: duration)
    }

    private enum Ending: Sendable {
        case exited(TerminationStatus)
        case failed(any Error)
        case deadline
        case cancelled
    }

    /// The swift-subprocess configuration for `argv`: no shell, the minimal environment, its
    /// own process group, SIGTERM then SIGKILL to the whole group when it must stop.
    static func configuration(_ argv: [String], environment: [String: String]?, workingDirectory: String?) throws -> Configuration {
        guard let program = argv.first, !program.isEmpty else { throw ProcessError("empty argv") }
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: termGrace)]
        var env: [Environment.Key: String] = [:]
        for (k, v) in finalEnvironment(environment) {
            guard let key = Environment.Key(rawValue: k) else { throw ProcessError("invalid environment variable name \(k)") }
            env[key] = v
        }
        // argv[0] stays as given (`sleep`, not the resolved `/usr/bin/sleep`), as with posix_spawnp.
        return Configuration(executable: program.contains("/") ? .path(FilePath(program)) : .name(program),
                             arguments: Arguments(executablePathOverride: program, remainingValues: Array(argv.dropFirst())),
                             environment: .custom(env),
                             workingDirectory: workingDirectory.map { FilePath($0) },
                             platformOptions: options)
    }
}

/// The running child's process group, for the SIGTERM sent the moment its time is up or the
/// caller is cancelled. swift-subprocess's own teardown follows a few task hops later; a caller
/// that answers and exits right after a cancellation (`opsbot remote` at its deadline) must not
/// leave the child running in between.
final class ChildGroup: Sendable {
    private struct State { var pid: pid_t?; var expired = false }
    private let state = Locked(State())

    func started(_ pid: pid_t) { state.withLock { $0.pid = pid } }
    /// After the reap the pid may be reused: forget it.
    func reaped() { state.withLock { $0.pid = nil } }
    func terminate() {
        state.withLock { s in if let p = s.pid, p > 0 { _ = kill(-p, SIGTERM) } }
    }
    /// The timeout passed: the run is a timed-out one even if the child dies before the
    /// timer's result is seen.
    func expire() {
        state.withLock { $0.expired = true }
        terminate()
    }
    var expired: Bool { state.current.expired }
}

/// One output stream of a child, kept up to `limit` bytes. Shared with the run task so what
/// was read before a timeout is still shown.
final class CappedOutput: Sendable {
    private struct State { var data = Data(); var truncated = false }
    private let state = Locked(State())
    let limit: Int

    init(limit: Int) { self.limit = max(0, limit) }

    /// Reads `stream` to its end, keeping the head. A read error (the child is gone and its
    /// pipe torn down) ends the stream like EOF: what was read is the answer.
    func drain(_ stream: SubprocessOutputSequence) async {
        do {
            for try await buffer in stream {
                buffer.withUnsafeBytes { bytes in
                    state.withLock { s in
                        let room = limit - s.data.count
                        if bytes.count > room { s.truncated = true }
                        if room > 0 { s.data.append(contentsOf: bytes.prefix(room)) }
                    }
                }
            }
        } catch {}
    }

    var text: String { String(decoding: state.current.data, as: UTF8.self) }
    var truncated: Bool { state.current.truncated }
}

extension Duration {
    /// This span in seconds, for `ProcessResult.duration` and the summaries.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
