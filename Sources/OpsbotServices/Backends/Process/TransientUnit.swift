import Foundation

/// How the process backend starts an app under systemd: in a transient unit of its own
/// (`systemd-run --unit=opsbot-app-<service>`), so the app is not in opsbot's cgroup and
/// `systemctl restart opsbot` does not take it down with opsbot. Without systemd the app is
/// started in a session and process group of its own (`ProcessRunner.spawnDetached`).
public enum TransientUnit {
    /// True when opsbot itself is a systemd unit's process: systemd sets `INVOCATION_ID` and
    /// `SYSTEMD_EXEC_PID` (the pid it started) for a unit, and `/run/systemd/system` exists only
    /// when systemd is PID 1. A process a unit merely descends from (a test run by a CI runner's
    /// service) inherits the variables but not the pid.
    public static func underSystemd(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     pid: Int32 = getpid(),
                                     systemdRunning: Bool = FileManager.default.fileExists(atPath: "/run/systemd/system")) -> Bool {
        !(environment["INVOCATION_ID"] ?? "").isEmpty && environment["SYSTEMD_EXEC_PID"] == String(pid) && systemdRunning
    }

    /// `opsbot-app-<service>.service`, the service name reduced to what a unit name may hold
    /// (a-z A-Z 0-9 _ - .; anything else becomes `_`), at most 200 characters.
    public static func name(for service: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        var s = String(service.map { allowed.contains($0) ? $0 : "_" }.prefix(200))
        if s.isEmpty || s.hasPrefix(".") { s = "_" + s }
        return "opsbot-app-" + s + ".service"
    }

    /// The `systemd-run` argv for `start`: the environment goes by name (`--setenv=NAME`, the
    /// value taken from systemd-run's own environment) so no value shows in a process list.
    public static func argv(prefix: [String], unit: String, start: [String], environment: [String: String],
                            workingDirectory: String?, logFile: String?) -> [String] {
        var argv = prefix + ["--unit=" + unit, "--collect", "--quiet", "--no-ask-password", "--property=Type=exec",
                             "--description=" + "opsbot-started " + (start.first ?? "app")]
        if let wd = workingDirectory { argv.append("--working-directory=" + wd) }
        let out = logFile.map { "append:" + $0 } ?? "null"
        argv += ["--property=StandardOutput=" + out, "--property=StandardError=" + out]
        for k in environment.keys.sorted() { argv.append("--setenv=" + k) }
        return argv + ["--"] + start
    }
}
