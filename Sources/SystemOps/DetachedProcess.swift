import Foundation
import OpsbotSupport
import CShims
#if canImport(Glibc)
import Glibc
#endif

/// Detached starts stay hand-made: swift-subprocess always waits for its child, and the
/// process backend (re)starts long-lived services that must outlive the call, in a session of
/// their own with their output appended to a file.
extension ProcessRunner {
    /// Starts a long-lived process detached from opsbot (its own session, output to a file),
    /// returning its pid. Used by the process backend to (re)start services. The environment
    /// rules are `run`'s: `environment` nil is `childEnvironment()`, withheld variables never pass.
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
        // opsbot ignores SIGTERM/SIGINT/SIGHUP for its own handling; a child must not inherit that.
        posix_spawnattr_setflags(&attr, opsbot_spawn_setsid_flag() | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)

        guard let program = argv.first, !program.isEmpty else { throw ProcessError("empty argv") }
        let env = finalEnvironment(environment)
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
}
