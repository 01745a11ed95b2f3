import Foundation
import Testing
import SystemOps

/// Issue 18 item 3 without systemd: a started app leads a session and a process group of its
/// own, so a signal to opsbot's group or the end of its session does not reach it.
struct DetachedProcessTests {
    /// Fields 5 and 6 of /proc/PID/stat (after the parenthesised name): process group, session.
    static func groupAndSession(_ pid: Int32) -> (Int32, Int32)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let f = stat[stat.index(after: close)...].split(separator: " ")
        guard f.count > 3, let pgrp = Int32(f[2]), let sid = Int32(f[3]) else { return nil }
        return (pgrp, sid)
    }

    @Test func spawnedAppLeadsItsOwnSessionAndGroup() throws {
        let pid = try ProcessRunner.spawnDetached(["/bin/sleep", "30"], logFile: nil, environment: ["PATH": "/usr/bin:/bin"])
        defer { kill(pid, SIGKILL); var st: Int32 = 0; waitpid(pid, &st, 0) }
        let ids = try #require(Self.groupAndSession(pid))
        #expect(ids.0 == pid && ids.1 == pid, "pgrp/sid \(ids) for pid \(pid)")
        #expect(ids.1 != getsid(0) && ids.0 != getpgrp())
    }
}
