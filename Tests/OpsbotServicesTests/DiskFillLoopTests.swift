import Foundation
import Testing
import Alerting
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotApp
@testable import OpsbotAlerts
@testable import OpsbotServices

/// Issue 21 item 6, seed 003's story on a real filesystem: a small ext4 image, loop-mounted; an
/// nginx error log grows steadily (one write per simulated minute on the manual clock) →
/// `disk_fill` fires with "full in ~N min" hours before the mount is full → `/truncate_log`
/// empties the log → the alert resolves.
@Suite(.serialized, .exclusive) struct DiskFillLoopTests {
    struct Mounted {
        let dir: String, mount: String
        func unmount() {
            _ = DiskFillLoopTests.sh(["/bin/umount", "-l", mount])
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    static func sh(_ argv: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// A `mb` MB ext4 image without root reserve, mounted with `-o loop`; nil when this machine cannot.
    static func mountLoop(mb: Int) -> Mounted? {
        let dir = ServicesTest.dir()
        let img = "\(dir)/disk.img", mnt = "\(dir)/mnt"
        try? FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: img, contents: nil),
              let h = FileHandle(forWritingAtPath: img) else { return nil }
        try? h.truncate(atOffset: UInt64(mb) << 20)
        try? h.close()
        guard sh(["/sbin/mkfs.ext4", "-q", "-F", "-m", "0", img]) == 0, sh(["/bin/mount", "-o", "loop", img, mnt]) == 0 else { return nil }
        return Mounted(dir: dir, mount: mnt)
    }

    @Test func steadilyGrowingLogFiresDiskFillBeforeTheDiskIsFull() async throws {
        guard getuid() == 0, let m = Self.mountLoop(mb: 64) else {
            Issue.record("needs root and a loop device (mount -o loop) for the seed 003 story")
            return
        }
        defer { m.unmount() }
        let log = "\(m.mount)/nginx/error.log"
        try FileManager.default.createDirectory(atPath: "\(m.mount)/nginx", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let clock = ManualClock()
        let app = try ServicesTest.app("""
            alerts:
              chat_id: 1
            disk:
              roots: [\(m.mount)]
              log_dirs: [\(m.mount)/nginx]
              log_growth:
                files: [\(log)]
            """, clock: clock)
        let svc = try app.alertsFeature.service()
        let disk = try #require(app.checks.named("disk"))
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? writer.close() }
        // 120 KB a minute (7 MB/h): the 64 MB mount fills in about 8 h.
        let chunk = Data(repeating: 0x45, count: 120 * 1024)
        func round() async -> CheckResult? {
            let results = await disk.run(app)
            svc.submit("disk", results)
            svc.evaluateRound()
            return results.first { $0.check == "disk_fill" && $0.target == m.mount }
        }
        let start = clock.now()
        var warnedAt: Date?, criticalAt: Date?, fullAt: Date?
        var warnSummary = ""
        for _ in 0..<(12 * 60) {
            do { try writer.write(contentsOf: chunk); try writer.synchronize() } catch {
                fullAt = clock.now()   // ENOSPC: the disk is full
                break
            }
            _ = await round()
            let firing = svc.engine.active.first { $0.rule == "disk_fill" && $0.target == m.mount && $0.isFiring }
            if let firing, warnedAt == nil { warnedAt = clock.now(); warnSummary = firing.summary }
            if firing?.severity == .critical, criticalAt == nil { criticalAt = clock.now() }
            clock.advance(by: 60)
        }
        let full = try #require(fullAt, "the mount filled up")
        let warned = try #require(warnedAt, "disk_fill fired")
        let warning = full.timeIntervalSince(warned) / 60
        print("seed 003 story: disk_fill warned \(Int(warning)) min before the disk was full (critical \(criticalAt.map { Int(full.timeIntervalSince($0) / 60) } ?? -1) min before); filled after \(Int(full.timeIntervalSince(start) / 60)) min; \"\(warnSummary)\"")
        #expect(warning >= 180, "a warning hours ahead (fill_warn 4h): \(warning) min")
        #expect(warnSummary.contains("full in ~") && warnSummary.contains("at the last hour's rate"), "\(warnSummary)")
        let crit = try #require(criticalAt, "critical within fill_critical")
        #expect(full.timeIntervalSince(crit) >= 30 * 60, "critical still ahead of full: \(full.timeIntervalSince(crit) / 60) min")

        // /disk says where each mount is heading.
        let report = ServicesTest.text(try await ServicesTest.run(app, "/disk"))
        #expect(report.contains("\(m.mount): 📈 full now") || report.contains("\(m.mount): 📈 full in"), "\(report)")

        // /truncate_log (the catalog's disk_cleanup module, pointed at this log) → resolved.
        let cmd = """
        name: truncate_log
        description: test
        module: disk_cleanup
        confirm: true
        arguments: [{name: file, type: string, required: false}]
        settings:
          files: {nginx_error: \(log)}
        """
        let loaded = CatalogLoader.load(sources: [("Commands/truncate_log.yaml", cmd)], registry: app.wiring.modules, config: app.config)
        let entry = try #require(loaded.catalog.entry("truncate_log"))
        let req = CommandRequest(command: entry.command, arguments: ["file": .string("nginx_error")], chatID: 1, userID: 1)
        let plan = try #require(ServicesTest.plan(await entry.module.handle(ModuleContext(app: app, request: req, progress: NoProgress()))))
        #expect(HTML.toPlainText(await plan.run(NoProgress()).html).contains("emptied \(log)"))
        var resolvedAfter: Int?
        for i in 1...10 {
            clock.advance(by: 60)
            let r = await round()
            if svc.engine.active.first(where: { $0.rule == "disk_fill" && $0.target == m.mount && $0.isFiring }) == nil {
                resolvedAfter = i
                #expect(r?.status == .ok && r?.summary.contains("not filling") == true, "\(String(describing: r))")
                break
            }
        }
        #expect(resolvedAfter != nil && resolvedAfter! <= 3, "resolved within a few minutes of the truncate: \(String(describing: resolvedAfter))")
    }

    /// Hysteresis: a one-minute burst on a quiet disk does not fire; the fit needs its window.
    @Test func briefBurstDoesNotPage() async throws {
        let clock = ManualClock()
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n", clock: clock)
        let h = app.store.history
        let u = MountUsage(mountPoint: "/data", device: "/dev/x", fsType: "ext4", totalBytes: 1 << 30, freeBytes: 1 << 29, totalInodes: 1000, freeInodes: 900)
        for i in 0..<60 {
            h.record([("disk:/data", i == 58 ? 80 : 50)], at: clock.now())   // one spike of +30 points
            clock.advance(by: 60)
        }
        let r = StatusCollector.diskFillChecks([u], DiskConfig(), history: h, now: clock.now(), previous: [:])
        #expect(r.first?.status == .ok, "\(r)")
        // Too little history: measuring, never a guess.
        let (fresh, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n", clock: clock)
        for _ in 0..<5 { fresh.store.history.record([("disk:/data", 99)], at: clock.now()); clock.advance(by: 60) }
        let early = StatusCollector.diskFillChecks([u], DiskConfig(), history: fresh.store.history, now: clock.now(), previous: [:])
        #expect(early.first?.status == .ok && early.first?.summary.contains("measuring") == true)
        // A level holds until the projection is 1.5 × its threshold away.
        let (steady, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n", clock: clock)
        for i in 0..<60 { steady.store.history.record([("disk:/data", 50 + Double(i) * 10 / 60)], at: clock.now()); clock.advance(by: 60) }
        // ~60 % now, +10 %/h: full in ~4 h → about the warning threshold; 5 h: ok unless it was warning.
        var cfg = DiskConfig()
        cfg.fillWarn = 4.5 * 3600
        #expect(StatusCollector.diskFillChecks([u], cfg, history: steady.store.history, now: clock.now(), previous: [:]).first?.status == .warning)
        cfg.fillWarn = 3.5 * 3600
        #expect(StatusCollector.diskFillChecks([u], cfg, history: steady.store.history, now: clock.now(), previous: [:]).first?.status == .ok)
        #expect(StatusCollector.diskFillChecks([u], cfg, history: steady.store.history, now: clock.now(), previous: ["/data": .warning]).first?.status == .warning)
    }
}
