import Foundation
import OpsbotCore
import SystemOps
import TestSupport
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbench core`: the real `opsbot run` binary against the loopback Bot API — idle
/// memory, idle CPU while long-polling, and the time from an update being served to its
/// reply arriving, over 1,000 `/ping` commands.
enum BenchCore {
    static func run() async throws {
        let root = TestApp.repositoryRoot
        let binary = root + "/.build/release/opsbot"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("core: build the release binary first (swift build -c release --product opsbot)")
            return
        }
        let token = BenchScratch.token
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try BenchScratch.directory("core")
        try """
        \(BenchScratch.baseConfig(api: fake.baseURL, dir: dir, root: root))
        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["OPSBOT_TOKEN"] = token
        env["OPSBOT_STAGE_TRACE"] = "1"  // one `stage-trace` log line per update: the breakdown below
        env.removeValue(forKey: "DATABASE_URL")
        let pid = try ProcessRunner.spawnDetached([binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/opsbot.log",
                                                  environment: env)
        defer { kill(pid, SIGTERM) }
        guard await fake.waitFor(method: "setMyCommands", count: 1, timeout: 15) else {
            print("core: opsbot did not start polling; log: \(dir)/opsbot.log")
            return
        }
        // Idle: start-up done and settled (opsbot's own cgroup figure: `opsbench memory`).
        try await Task.sleep(nanoseconds: 10_000_000_000)
        let rss = status(pid, "VmRSS")
        let (t0, c0) = (Date(), cpuTicks(pid))
        try await Task.sleep(nanoseconds: 10_000_000_000)
        let cpu = Double(cpuTicks(pid) - c0) / Double(sysconf(Int32(_SC_CLK_TCK))) / Date().timeIntervalSince(t0) * 100
        let rollup = smapsRollup(pid)
        print(String(format: "core: idle PSS %.1f MB, private dirty %.1f MB (anon %.1f MB); RSS %.1f MB (code and constants mapped from the binary and shared libraries)",
                     (rollup["Pss"] ?? 0) / 1024, (rollup["Private_Dirty"] ?? 0) / 1024, (rollup["Anonymous"] ?? 0) / 1024, rss / 1024))
        print("core: idle RSS by mapping: " + residentByFile(pid).prefix(8).map { String(format: "%@ %.1f", $0.name, $0.kb / 1024) }
            .joined(separator: ", ") + " MB")
        print(String(format: "core: idle CPU %.2f %% over 10 s of long polling (target ~0)", cpu))

        // Latency: one /ping at a time; served = the last byte of the getUpdates answer that
        // carried it leaving the fake, arrived = the last byte of the sendMessage reaching it
        // (the fake's own JSON work is outside the span).
        var latencies: [Double] = []
        let n = 1000
        for i in 0..<n {
            let before = fake.callCount("sendMessage")
            _ = fake.enqueueMessage(chatID: -100, userID: 7, text: "/ping")
            _ = fake.waitForCalls("sendMessage", moreThan: before, timeout: 5)
            let calls = fake.calls
            guard let send = calls.last(where: { $0.method == "sendMessage" }), let arrived = send.receivedAt,
                  let served = calls.last(where: { $0.method == "getUpdates" && $0.at <= send.at })?.answeredAt else {
                print("core: reply \(i) did not arrive")
                return
            }
            latencies.append(arrived.timeIntervalSince(served) * 1000)
        }
        // The last command's edit and audit finish after its reply: wait for its trace line.
        var traces: [StageLine] = []
        for _ in 0..<50 {
            traces = (try? String(contentsOfFile: dir + "/opsbot.log", encoding: .utf8))?.split(separator: "\n")
                .compactMap { line in line.range(of: "stage-trace ").map { StageLine(String(line[$0.upperBound...])) } } ?? []
            if traces.count >= n { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let unsorted = latencies
        latencies.sort()
        let median = latencies[n / 2], p99 = latencies[Int(Double(n) * 0.99)]
        print(String(format: "core: /ping served→reply over %d commands: median %.2f ms, p99 %.2f ms, max %.2f ms (target median ≤ 0.8 ms, p99 ≤ 2 ms); the first: %.2f ms",
                     n, median, p99, latencies.last!, unsorted[0]))
        printBreakdown(traces.suffix(n), latencies: unsorted)
        let after = smapsRollup(pid)
        print(String(format: "core: after %d commands: PSS %.1f MB, private dirty %.1f MB, RSS %.1f MB", n,
                     (after["Pss"] ?? 0) / 1024, (after["Private_Dirty"] ?? 0) / 1024, status(pid, "VmRSS") / 1024))
    }

    /// One `stage-trace` line: marks in order, monotonic nanoseconds.
    struct StageLine {
        var marks: [(name: String, ns: UInt64)]
        init(_ text: String) {
            // Names may contain spaces ("offset stored"): words without ":ns" belong to the next.
            var glued: [(String, UInt64)] = [], pending = ""
            for word in text.split(separator: " ") {
                if let eq = word.lastIndex(where: { $0 == ":" || $0 == "=" }), let ns = UInt64(word[word.index(after: eq)...]) {
                    glued.append((pending + word[..<eq], ns))
                    pending = ""
                } else {
                    pending += word + " "
                }
            }
            marks = glued
        }
    }

    /// Median time of each stage of the served→reply path (from the poll's response arriving
    /// to the reply's transfer starting), what lies outside opsbot (the fake serving and
    /// parsing, curl reading and writing, loopback), and the work after the reply left.
    static func printBreakdown(_ traces: ArraySlice<StageLine>, latencies: [Double]) {
        guard traces.count == latencies.count, !traces.isEmpty else {
            print("core: stage breakdown unavailable (\(traces.count) stage-trace lines for \(latencies.count) commands)")
            return
        }
        var stages: [(name: String, onPath: Bool)] = []
        var samples: [String: [Double]] = [:]
        var inside: [Double] = [], outside: [Double] = []
        for (trace, latency) in zip(traces, latencies) {
            let m = trace.marks
            guard let arrived = m.firstIndex(where: { $0.name == "http done" }),
                  let leaves = m[(arrived + 1)...].firstIndex(where: { $0.name == "http begin" }) else { continue }
            for i in (arrived + 1)..<m.count {
                let name = "\(m[i - 1].name) → \(m[i].name)"
                if samples[name] == nil { stages.append((name, i <= leaves)) }
                samples[name, default: []].append(Double(m[i].ns - m[i - 1].ns) / 1e6)
            }
            let own = Double(m[leaves].ns - m[arrived].ns) / 1e6
            inside.append(own)
            outside.append(latency - own)
        }
        guard !inside.isEmpty else {
            print("core: stage breakdown unavailable (no trace with the poll's arrival and the reply's transfer)")
            return
        }
        func med(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        func p99(_ v: [Double]) -> Double { v.sorted()[min(v.count - 1, Int(Double(v.count) * 0.99))] }
        func row(_ name: String, _ v: [Double]) {
            let padded = name + String(repeating: " ", count: max(1, 56 - name.count))
            print("core:   " + padded + String(format: "%7.3f / %7.3f", med(v), p99(v)))
        }
        print("core: where served→reply goes (median / p99 ms over \(inside.count) commands; stage-trace marks, CLOCK_MONOTONIC):")
        for (name, onPath) in stages where onPath {
            row(name, samples[name]!)
        }
        row("= inside opsbot (poll arrived → reply on the wire)", inside)
        row("outside opsbot (fake serving/parsing, curl, loopback)", outside)
        print("core: after the reply left (not in served→reply):")
        for (name, onPath) in stages where !onPath {
            row(name, samples[name]!)
        }
    }

    /// Resident kB per mapped file (anonymous memory as `[anon]`), largest first.
    static func residentByFile(_ pid: pid_t) -> [(name: String, kb: Double)] {
        let text = readProc("/proc/\(pid)/smaps")
        var byName: [String: Double] = [:], current = "[anon]"
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 5, parts[0].contains("-"), parts[0].first?.isHexDigit == true {
                current = parts.count >= 6 ? String(parts[5].split(separator: "/").last ?? parts[5]) : "[anon]"
            } else if parts.count >= 2, parts[0] == "Rss:" {
                byName[current, default: 0] += Double(parts[1]) ?? 0
            }
        }
        return byName.map { ($0.key, $0.value) }.sorted { $0.kb > $1.kb }
    }

    /// A /proc file read to its end (Foundation reads /proc files by their stat size, 0).
    static func readProc(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func status(_ pid: pid_t, _ key: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    static func smapsRollup(_ pid: pid_t) -> [String: Double] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return [:] }
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, parts[0].hasSuffix(":") { out[String(parts[0].dropLast())] = Double(parts[1]) }
        }
        return out
    }

    static func cpuTicks(_ pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(0) … utime(11) stime(12)
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}
