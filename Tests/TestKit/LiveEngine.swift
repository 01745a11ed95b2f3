import Foundation
import OpsbotSupport

/// What the live engines (TestDocker, TestSystemd) share: whether they may run, the loud skip
/// banner, the state directories under /tmp and the reaping of those a crashed run left behind.
///
/// Live suites run by default when the process is root and the engine's binaries exist; under
/// `CI=true` they run regardless (and fail if the engine cannot start); otherwise they are skipped
/// with a banner. `OPSBOT_LIVE=0` turns them off explicitly (still with the banner).
public enum LiveEngine {
    /// Nil when the engine may run; otherwise why not.
    public static func unavailable(_ name: String, needs paths: [String]) -> String? {
        let env = ProcessInfo.processInfo.environment
        if env["CI"] == "true" { return nil }
        if env["OPSBOT_LIVE"] == "0" { return "OPSBOT_LIVE=0" }
        if geteuid() != 0 { return "not root (a live \(name) needs root: mounts, namespaces, cgroups)" }
        let missing = paths.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        if !missing.isEmpty { return "missing \(missing.joined(separator: ", ")) (scripts/deps.sh test installs docker.io and busybox-static as root)" }
        return nil
    }

    /// Prints the skip banner once per engine and process.
    public static func banner(_ name: String, _ why: String) {
        SkipBanner.show("live " + name, ["live \(name): SKIPPING its tests — \(why).",
                                         "Run as root with the packages installed to test against it. With CI=true they fail."])
    }

    /// A fresh state directory `/tmp/<prefix><random>` holding `owner.pid` (this process), short
    /// enough for unix socket paths (107 bytes).
    static func stateDirectory(prefix: String) throws -> String {
        let dir = "/tmp/\(prefix)\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try String(getpid()).write(toFile: dir + "/owner.pid", atomically: true, encoding: .utf8)
        return dir
    }

    /// State directories with `prefix` whose owning test process is gone (it crashed before its
    /// atexit teardown): each is handed to `teardown`.
    static func reap(prefix: String, teardown: (String) -> Void) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix(prefix) {
            let dir = "/tmp/" + name
            if let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8),
               let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                if kill(owner, 0) == 0 || errno != ESRCH { continue }
            } else {
                // No owner recorded: being created right now, or not ours; only an old one is reaped.
                let mtime = (try? FileManager.default.attributesOfItem(atPath: dir))?[.modificationDate] as? Date
                if mtime.map({ Date().timeIntervalSince($0) < 600 }) ?? true { continue }
            }
            teardown(dir)
        }
    }

    /// Runs a shell script (argv `sh -c script sh args…`) to completion; output captured.
    @discardableResult
    static func sh(_ script: String, _ args: [String] = [], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestPostgres.run("/bin/sh", ["-c", script, "sh"] + args, input: input)
    }

    static func checkedSh(_ what: String, _ script: String, _ args: [String] = [], input: String? = nil) throws -> String {
        let r = try sh(script, args, input: input)
        guard r.status == 0 else { throw TestAppError(message: "\(what) failed (exit \(r.status)): \(r.stderr.suffix(2000))") }
        return r.stdout
    }

    /// Milliseconds since `start`, for the figures the tests print.
    static func ms(since start: Date) -> Int { Int(Date().timeIntervalSince(start) * 1000) }
}
