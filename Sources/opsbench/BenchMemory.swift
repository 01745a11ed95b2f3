import Foundation
import OpsbotCore
import SystemOps
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `opsbench memory`: what an idle `opsbot run` costs the machine, as `systemctl status` shows
/// it — the memory of its own cgroup (v1 `memory.usage_in_bytes` and `memory.stat`, v2
/// `memory.current`) — next to RSS, PSS and private dirty from `/proc/PID/smaps_rollup`.
///
/// Each run starts opsbot in a fresh memory cgroup from a fresh copy of the binary whose page
/// cache was dropped first, as after a boot: the binary's pages opsbot reads are then charged
/// to its cgroup, as they are to `opsbot.service` (otherwise they stay charged to whoever read
/// them first — the linker). Shared libraries (libc, libcurl, TLS) stay charged to the
/// processes that loaded them first, in every run alike.
///
/// `OPSBENCH_COMPARE=/path/to/other/opsbot` measures that binary too, runs alternating.
/// Needs root and a memory cgroup hierarchy.
enum BenchMemory {
    struct Figures {
        var cgroupKB = 0.0, cacheKB = 0.0, rssKB = 0.0, mappedFileKB = 0.0
        var vmRSS = 0.0, pss = 0.0, privateDirty = 0.0, anon = 0.0
    }

    static func cgroupRoot() -> (path: String, v2: Bool)? {
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.usage_in_bytes") { return ("/sys/fs/cgroup/memory", false) }
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") { return ("/sys/fs/cgroup", true) }
        return nil
    }

    static func run() async throws {
        guard geteuid() == 0, let root = cgroupRoot() else {
            print("memory: SKIPPED — needs root and a memory cgroup (/sys/fs/cgroup/memory or cgroup2)")
            return
        }
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opsbot").path
        var binaries = [("this build", own)]
        if let other = ProcessInfo.processInfo.environment["OPSBENCH_COMPARE"] { binaries.append(("OPSBENCH_COMPARE", other)) }
        let settle = Double(ProcessInfo.processInfo.environment["OPSBENCH_MEMORY_SETTLE"] ?? "") ?? 25
        var results: [String: [Figures]] = [:]
        for round in 0..<3 {
            for (label, path) in binaries {
                let f = try await measure(binary: path, root: root, settle: settle, tag: "\(round)")
                results[label, default: []].append(f)
                print(String(format: "memory: %@ run %d: cgroup %.1f MB (cache %.1f, rss %.1f, mapped_file %.1f); RSS %.1f MB, PSS %.1f MB, private dirty %.1f MB, anon %.1f MB",
                             label, round + 1, f.cgroupKB / 1024, f.cacheKB / 1024, f.rssKB / 1024, f.mappedFileKB / 1024,
                             f.vmRSS / 1024, f.pss / 1024, f.privateDirty / 1024, f.anon / 1024))
            }
        }
        for (label, path) in binaries {
            let r = results[label] ?? []
            func range(_ k: KeyPath<Figures, Double>) -> String {
                let v = r.map { $0[keyPath: k] / 1024 }
                return String(format: "%.1f–%.1f", v.min() ?? 0, v.max() ?? 0)
            }
            print("memory: \(label) (\(path)), idle \(Int(settle)) s after start, \(r.count) runs: cgroup \(range(\.cgroupKB)) MB (page cache \(range(\.cacheKB)), anon \(range(\.rssKB))); RSS \(range(\.vmRSS)) MB, PSS \(range(\.pss)) MB, private dirty \(range(\.privateDirty)) MB")
        }
    }

    static func measure(binary: String, root: (path: String, v2: Bool), settle: Double, tag: String) async throws -> Figures {
        let token = BenchScratch.token
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = "/tmp/opsbench-mem-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A fresh copy, its page cache dropped: opsbot's own faults bring it in (and are charged to its cgroup).
        let copy = dir + "/opsbot"
        try FileManager.default.copyItem(atPath: binary, toPath: copy)
        let fd = open(copy, O_RDONLY)
        if fd >= 0 { fsync(fd); _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED)); close(fd) }
        try """
        \(BenchScratch.baseConfig(api: fake.baseURL, dir: dir, root: TestApp.repositoryRoot))
        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let cgroup = root.path + "/opsbench-mem-\(getpid())-\(tag)-\(UUID().uuidString.prefix(4))"
        guard mkdir(cgroup, 0o755) == 0 else { throw TestAppError(message: "cannot create \(cgroup): \(String(cString: strerror(errno)))") }
        defer { for _ in 0..<50 where rmdir(cgroup) != 0 { usleep(100_000) } }
        var env = ProcessInfo.processInfo.environment
        env["OPSBOT_TOKEN"] = token
        env.removeValue(forKey: "DATABASE_URL")
        // Into the cgroup before exec: everything opsbot touches from its first page on is charged there.
        let pid = try ProcessRunner.spawnDetached(["/bin/sh", "-c", "echo $$ > \(cgroup)/cgroup.procs && exec \"$@\"", "sh", copy, "run", "--config", dir + "/opsbot.yaml"],
                                                  logFile: dir + "/opsbot.log", environment: env)
        defer {
            kill(pid, SIGTERM)
            for _ in 0..<50 where kill(pid, 0) == 0 { usleep(100_000) }
            kill(pid, SIGKILL)
        }
        guard await fake.waitFor(method: "setMyCommands", count: 1, timeout: 30) else {
            throw TestAppError(message: "opsbot did not start polling; log: \((try? String(contentsOfFile: dir + "/opsbot.log", encoding: .utf8)) ?? "")")
        }
        try await Task.sleep(nanoseconds: UInt64(settle * 1e9))
        var f = Figures()
        func stat(_ text: String) -> [String: Double] {
            var out: [String: Double] = [:]
            for line in text.split(separator: "\n") {
                let p = line.split(separator: " ")
                if p.count == 2 { out[String(p[0])] = Double(p[1]) }
            }
            return out
        }
        let ms = stat(BenchCore.readProc(cgroup + "/memory.stat"))
        if root.v2 {
            f.cgroupKB = (Double(BenchCore.readProc(cgroup + "/memory.current").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) / 1024
            f.cacheKB = (ms["file"] ?? 0) / 1024; f.rssKB = (ms["anon"] ?? 0) / 1024; f.mappedFileKB = (ms["file_mapped"] ?? 0) / 1024
        } else {
            f.cgroupKB = (Double(BenchCore.readProc(cgroup + "/memory.usage_in_bytes").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) / 1024
            f.cacheKB = (ms["cache"] ?? 0) / 1024; f.rssKB = (ms["rss"] ?? 0) / 1024; f.mappedFileKB = (ms["mapped_file"] ?? 0) / 1024
        }
        var rollup: [String: Double] = [:]
        for line in BenchCore.readProc("/proc/\(pid)/smaps_rollup").split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, parts[0].hasSuffix(":") { rollup[String(parts[0].dropLast())] = Double(parts[1]) }
        }
        f.vmRSS = rollup["Rss"] ?? 0; f.pss = rollup["Pss"] ?? 0; f.privateDirty = rollup["Private_Dirty"] ?? 0; f.anon = rollup["Anonymous"] ?? 0
        return f
    }
}
