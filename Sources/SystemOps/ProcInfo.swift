import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process as /proc describes it.
public struct ProcessSnapshot: Sendable, Hashable {
    public var pid: Int32
    public var ppid: Int32
    /// R, S, D, Z, T…
    public var state: Character
    public var argv: [String]
    public var rssBytes: Int
    public var startTime: Date?

    public var commandLine: String { argv.joined(separator: " ") }
}

/// Reads processes from /proc (Linux): command lines, RSS, start times, environments.
public enum ProcInfo {
    public static let root = "/proc"

    public static func allPIDs() -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return names.compactMap { Int32($0) }.sorted()
    }

    /// A /proc file as text, read to its end. Foundation's `String(contentsOfFile:)` trusts the
    /// size the file reports — 0 for /proc — and returns its first page only (4 KB: 27 lines
    /// of /proc/net/tcp, the first mounts of a busy host's /proc/mounts).
    public static func readText(_ path: String, max: Int = 16 << 20) -> String? {
        readFile(path, max: max).map { String(decoding: $0, as: UTF8.self) }
    }

    static func readFile(_ path: String, max: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16384)
        while out.count < max {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    public static func argv(_ pid: Int32) -> [String]? {
        guard let raw = readFile("\(root)/\(pid)/cmdline", max: 65536) else { return nil }
        return raw.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
    }

    static let clockTicks: Double = Double(sysconf(Int32(_SC_CLK_TCK)))
    static let pageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Boot time from /proc/stat (`btime`), for turning start ticks into dates.
    public static func bootTime() -> Date? {
        guard let raw = readFile("\(root)/stat") else { return nil }
        for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") where line.hasPrefix("btime ") {
            if let v = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) { return Date(timeIntervalSince1970: v) }
        }
        return nil
    }

    /// Parses `/proc/PID/stat`; the command name may hold spaces and parentheses, so the
    /// fields are counted from the last `)`.
    public static func parseStat(_ text: String) -> (ppid: Int32, state: Character, startTicks: Double, rssPages: Int)? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] = state (field 3), ppid = field 4, starttime = field 22, rss = field 24
        guard fields.count > 21, let st = fields[0].first, let ppid = Int32(fields[1]),
              let start = Double(fields[19]), let rss = Int(fields[21]) else { return nil }
        return (ppid, st, start, rss)
    }

    public static func snapshot(_ pid: Int32, boot: Date? = bootTime()) -> ProcessSnapshot? {
        guard let raw = readFile("\(root)/\(pid)/stat"), let s = parseStat(String(decoding: raw, as: UTF8.self)) else { return nil }
        let start = boot.map { $0.addingTimeInterval(s.startTicks / clockTicks) }
        return ProcessSnapshot(pid: pid, ppid: s.ppid, state: s.state, argv: argv(pid) ?? [], rssBytes: s.rssPages * pageSize, startTime: start)
    }

    /// Live processes whose command line matches `pattern` (zombies and opsbot itself excluded).
    public static func find(matching pattern: NSRegularExpression) -> [ProcessSnapshot] {
        let me = getpid()
        let boot = bootTime()
        var out: [ProcessSnapshot] = []
        for pid in allPIDs() where pid != me {
            guard let args = argv(pid), !args.isEmpty else { continue }
            let line = args.joined(separator: " ")
            guard pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil else { continue }
            if let s = snapshot(pid, boot: boot), s.state != "Z" { out.append(s) }
        }
        return out
    }

    /// The cgroup paths of a process (`/proc/PID/cgroup`, one per hierarchy), as this process sees them.
    public static func cgroups(_ pid: Int32) -> [String] {
        guard let raw = readFile("\(root)/\(pid)/cgroup", max: 64 * 1024) else { return [] }
        return String(decoding: raw, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).last.map(String.init)
        }
    }

    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        if let s = snapshot(pid, boot: nil), s.state == "Z" { return false }
        return true
    }

    /// The pid written in a pidfile, when the file exists and holds a number.
    public static func readPidfile(_ path: String) -> Int32? {
        guard let raw = readFile(path, max: 64) else { return nil }
        return Int32(String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `/proc/PID/environ` as a dictionary (needs the same user or root).
    public static func environment(_ pid: Int32) -> [String: String]? {
        guard let raw = readFile("\(root)/\(pid)/environ") else { return nil }
        return parseEnviron(raw)
    }

    public static func parseEnviron(_ raw: [UInt8]) -> [String: String] {
        var env: [String: String] = [:]
        for part in raw.split(separator: 0) {
            let s = String(decoding: part, as: UTF8.self)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
        }
        return env
    }
}
