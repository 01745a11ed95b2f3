import Charts
import Foundation
import LocalStore
import OpsbotGraphs
import OpsbotServices
import OpsbotSupport

/// `opsbench graphs`: issue 21's figures — render time per chart kind (48 h of minute points,
/// median and p95 of 40 renders each, after a warm-up that loads Cairo), and the state file
/// after 30 simulated days of 10 services × 3 mounts recorded every minute.
enum BenchGraphs {
    static func run() async throws {
        try renders()
        try stateSize()
    }

    /// This process's RSS, PSS and private dirty (MB) from /proc/self/smaps_rollup.
    static func memory() -> (rss: Double, pss: Double, dirty: Double) {
        let text = (try? String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8)) ?? ""
        func kb(_ key: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(key + ":") }.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        }
        return (kb("Rss") / 1024, kb("Pss") / 1024, kb("Private_Dirty") / 1024)
    }

    /// What loading Cairo costs the process, and whether unloading gives it back.
    static func loadCost(_ spec: ChartSpec) throws {
        func show(_ m: (rss: Double, pss: Double, dirty: Double)) -> String { String(format: "RSS %.1f, PSS %.1f, private dirty %.1f MB", m.rss, m.pss, m.dirty) }
        let before = memory()
        _ = try ChartRenderer.png(spec)
        let loaded = memory()
        ChartRenderer.unload()
        let unloaded = memory()
        for _ in 0..<20 { _ = try ChartRenderer.png(spec); ChartRenderer.unload() }
        let cycled = memory()
        print("graphs: this process before the first chart: \(show(before)); after it (Cairo loaded): \(show(loaded)); unloaded: \(show(unloaded)); after 20 more load/draw/unload cycles: \(show(cycled))")
    }

    static func renders() throws {
        let dir = NSTemporaryDirectory() + "opsbench-graphs-\(UUID().uuidString)"
        let store = try Store(directory: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        // 48 h of minute points for each kind, plus restart events.
        var t = now.addingTimeInterval(-48 * 3600)
        var i = 0.0
        while t <= now {
            store.history.record([("disk:/var", 40 + 40 * i / 2880 + sin(i / 30) * 2), ("memory:worker", 300 + i / 10 + sin(i / 7) * 20),
                                  ("latency:web:/healthz", 40 + sin(i / 13) * 15), ("payments:pending", Double(Int(i) % 240 / 60)),
                                  ("alerts:firing", Double(Int(i) % 300 / 100))], at: t)
            if Int(i) % 400 == 0 { store.history.event("restart", target: "worker", label: "restart", at: t) }
            t = t.addingTimeInterval(60)
            i += 1
        }
        let b = ChartBuilder(history: store.history, services: nil, store: store, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let kinds: [(ChartBuilder.Kind, String?)] = [(.disk, "/var"), (.memory, "worker"), (.latency, "web"), (.restarts, nil), (.payments, nil), (.alerts, nil)]
        try loadCost(try b.build(.disk, target: "/var", period: 48 * 3600, now: now).spec)
        print("graphs: render time of a 48 h chart (1000×600 PNG, \(2881) minute points), 40 renders after a warm-up:")
        let firstLoad = memory()
        defer {
            let m = memory()
            print(String(format: "graphs: after %d renders with Cairo kept loaded: RSS %.1f, PSS %.1f, private dirty %.1f MB (%+.1f MB private dirty since the first of them)",
                         kinds.count * 41, m.rss, m.pss, m.dirty, m.dirty - firstLoad.dirty))
        }
        for (kind, target) in kinds {
            let chart = try b.build(kind, target: target, period: 48 * 3600, now: now)
            _ = try ChartRenderer.png(chart.spec)
            var ms: [Double] = []
            var bytes = 0
            for _ in 0..<40 {
                let c = ContinuousClock.now
                let png = try ChartRenderer.png(chart.spec)
                ms.append((ContinuousClock.now - c).seconds * 1000)
                bytes = png.count
            }
            ms.sort()
            // OPSBENCH_PNG_DIR=dir keeps one PNG per kind to look at.
            if let out = ProcessInfo.processInfo.environment["OPSBENCH_PNG_DIR"] {
                try ChartRenderer.png(chart.spec).write(to: URL(fileURLWithPath: "\(out)/\(kind.rawValue).png"))
                try Data((chart.caption + "\n").utf8).write(to: URL(fileURLWithPath: "\(out)/\(kind.rawValue).caption.html"))
            }
            // The builder too (SQLite reads), as /graph does it.
            let c = ContinuousClock.now
            for _ in 0..<10 { _ = try b.build(kind, target: target, period: 48 * 3600, now: now) }
            let build = (ContinuousClock.now - c).seconds * 100
            print(String(format: "  %-9@ median %5.1f ms  p95 %5.1f ms  (PNG %3d KB; reading the history %4.1f ms)",
                         kind.rawValue as NSString, ms[ms.count / 2], ms[Int(Double(ms.count) * 0.95)], bytes / 1024, build))
        }
    }

    /// 10 services (memory, latency), 3 mounts (disk, inodes), payments, alerts: 28 series,
    /// one point a minute for 30 days, pruned as it goes.
    static func stateSize() throws {
        let dir = NSTemporaryDirectory() + "opsbench-history-\(UUID().uuidString)"
        let store = try Store(directory: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var t = Date(timeIntervalSince1970: 1_800_000_000)
        let mounts = ["/", "/var", "/srv"], services = (1...10).map { "svc\($0)" }
        let started = ContinuousClock.now
        var rounds = 0
        let days = Int(ProcessInfo.processInfo.environment["OPSBENCH_HISTORY_DAYS"] ?? "") ?? 30
        for minute in 0..<(days * 24 * 60) {
            var values: [(series: String, value: Double)] = []
            let x = Double(minute)
            for m in mounts { values += [("disk:\(m)", 50 + sin(x / 500) * 20), ("inodes:\(m)", 10 + sin(x / 700))] }
            for s in services { values += [("memory:\(s)", 200 + sin(x / 90) * 50), ("latency:\(s):/health", 30 + sin(x / 11) * 10)] }
            values += [("payments:pending", Double(minute % 5)), ("alerts:firing", Double(minute % 3))]
            store.history.record(values, at: t)
            if minute % 720 == 0 { store.history.event("restart", target: services[minute / 720 % 10], at: t) }
            t = t.addingTimeInterval(60)
            rounds += 1
        }
        let took = (ContinuousClock.now - started).seconds
        let perSeries = try store.db.query("SELECT s.name, (SELECT count(*) FROM history_minute m WHERE m.series = s.id), (SELECT count(*) FROM history_hour h WHERE h.series = s.id) FROM history_series s ORDER BY s.id")
        if ProcessInfo.processInfo.environment["OPSBENCH_VERBOSE"] != nil {
            for r in perSeries { print("  \(r[0].text ?? "") minutes \(r[1].int ?? 0) hours \(r[2].int ?? 0)") }
        }
        try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let size = { (p: String) in ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.intValue ?? 0 }
        let main = size(dir + "/opsbot.sqlite3"), wal = size(dir + "/opsbot.sqlite3-wal")
        let rows = try store.db.query("SELECT (SELECT count(*) FROM history_minute), (SELECT count(*) FROM history_hour)").first ?? []
        print(String(format: "graphs: state file after \(days) simulated days, 10 services × 3 mounts (\(perSeries.count) series, a point a minute, a restart event every 12 h): %.1f MB (+ WAL %.1f MB after a checkpoint); %lld minute rows, %lld hourly rows; recording took %.1f µs per round",
                     Double(main) / 1_048_576, Double(wal) / 1_048_576, rows.first?.int ?? 0, rows.count > 1 ? rows[1].int ?? 0 : 0, took / Double(rounds) * 1e6))
    }
}
