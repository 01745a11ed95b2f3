import Foundation
import HTTPClient
import SystemOps

/// TCP ports a process listens on (`/proc/net/tcp{,6}` LISTEN sockets matched to the
/// process's `/proc/PID/fd` socket inodes), and the health endpoint one of them answers on.
public enum PortScan {
    /// Listening ports of the unit's processes (its cgroup) and of `mainPID`.
    public static func listening(unit: String, mainPID: Int32) -> [Int] {
        var pids = Set([mainPID])
        for pid in ProcInfo.allPIDs() where ProcInfo.cgroups(pid).contains(where: { $0.hasSuffix("/" + unit) }) { pids.insert(pid) }
        return listening(pids: Array(pids))
    }

    public static func listening(pids: [Int32]) -> [Int] {
        let sockets = listeningSockets()
        var ports = Set<Int>()
        for pid in pids {
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
            for fd in fds {
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                      link.hasPrefix("socket:["), let inode = UInt64(link.dropFirst(8).dropLast()) else { continue }
                if let port = sockets[inode] { ports.insert(port) }
            }
        }
        return ports.sorted()
    }

    /// inode → port of every LISTEN socket (state 0A), the whole table (a busy host's is far
    /// past the first page, which is all `String(contentsOfFile:)` returns for /proc).
    static func listeningSockets() -> [UInt64: Int] {
        var out: [UInt64: Int] = [:]
        for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = ProcInfo.readText(file) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ")
                guard f.count > 9, f[3] == "0A", let colon = f[1].lastIndex(of: ":"),
                      let port = Int(f[1][f[1].index(after: colon)...], radix: 16), let inode = UInt64(f[9]) else { continue }
                out[inode] = port
            }
        }
        return out
    }

    static let healthPaths = ["/healthz", "/health", "/api/health", "/status", "/ping"]

    /// The first of the usual health paths that answers 200 on 127.0.0.1:`port`, as a URL.
    public static func healthEndpoint(port: Int, timeout: Double = 1) async -> String? {
        for path in healthPaths {
            let url = "http://127.0.0.1:\(port)\(path)"
            if let r = try? await HTTPClient.send(HTTPRequest(url: url, connectTimeout: timeout, timeout: timeout)), r.status == 200 {
                return url
            }
        }
        return nil
    }
}
