import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who a process is, beyond its command line: the user it runs as, its working directory and
/// where it sits (systemd unit, container) — what tells a service's own copy from a stranger's
/// process that happens to match the same regex.
public struct ProcessIdentity: Sendable, Hashable {
    /// Effective uid (`/proc/PID/status`).
    public var uid: UInt32?
    /// `/proc/PID/cwd`; nil when unreadable (another user's process without privileges).
    public var cwd: String?
    /// The systemd service unit whose cgroup holds it (`worker.service`), nil for a session or none.
    public var unit: String?
    /// The container id (docker, podman, containerd), nil on the host.
    public var container: String?

    public init(uid: UInt32? = nil, cwd: String? = nil, unit: String? = nil, container: String? = nil) {
        self.uid = uid; self.cwd = cwd; self.unit = unit; self.container = container
    }

    /// `uid 65534 (nobody)`.
    public var userDescription: String {
        guard let uid else { return "an unknown user" }
        return ProcInfo.userName(uid).map { "\($0) (uid \(uid))" } ?? "uid \(uid)"
    }
}

extension ProcInfo {
    public static func identity(_ pid: Int32) -> ProcessIdentity {
        let place = placement(cgroups: cgroups(pid))
        return ProcessIdentity(uid: uid(pid), cwd: cwd(pid), unit: place.unit, container: place.container)
    }

    /// The effective uid from the `Uid:` line of `/proc/PID/status`.
    public static func uid(_ pid: Int32) -> UInt32? {
        guard let raw = readFile("\(root)/\(pid)/status", max: 16384) else { return nil }
        for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Uid:") {
            let f = line.dropFirst(4).split(whereSeparator: { $0 == "\t" || $0 == " " })
            return f.count > 1 ? UInt32(f[1]) : f.first.flatMap { UInt32($0) }
        }
        return nil
    }

    public static func cwd(_ pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/\(pid)/cwd")
    }

    /// Unit and container from cgroup paths: `…/system.slice/worker.service`,
    /// `…/docker-<64 hex>.scope`, `/docker/<64 hex>`, `libpod-<id>`, `cri-containerd-<id>`.
    public static func placement(cgroups: [String]) -> (unit: String?, container: String?) {
        var unit: String?
        var container: String?
        for path in cgroups {
            let parts = path.split(separator: "/").map(String.init)
            for (i, p) in parts.enumerated() {
                for prefix in ["docker-", "libpod-", "cri-containerd-", "crio-"] where p.hasPrefix(prefix) && p.hasSuffix(".scope") {
                    container = String(p.dropFirst(prefix.count).dropLast(6))
                }
                if (p == "docker" || p == "libpod" || p == "containerd") && i + 1 < parts.count, parts[i + 1].count >= 12,
                   parts[i + 1].allSatisfy(\.isHexDigit) {
                    container = parts[i + 1]
                }
                if p.hasSuffix(".service") && container == nil { unit = p }
            }
        }
        return (container == nil ? unit : nil, container)
    }

    /// The account name of a uid (`getpwuid_r`), nil when it has none.
    public static func userName(_ uid: UInt32) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buf = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buf, buf.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    /// A user name or a numeric uid, as the config gives it.
    public static func uid(forUser user: String) -> UInt32? {
        if let n = UInt32(user) { return n }
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buf = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(user, &pwd, &buf, buf.count, &result) == 0, result != nil else { return nil }
        return pwd.pw_uid
    }
}

extension ProcessSnapshot {
    /// A made-up snapshot (tests of what decides on snapshots).
    public init(pid: Int32, ppid: Int32, argv: [String]) {
        self.init(pid: pid, ppid: ppid, state: "S", argv: argv, rssBytes: 0, startTime: nil)
    }
}
