import Foundation
import OpsbotSupport

/// What the checks measure, kept for charts and trends: one point per series per minute for
/// 48 h, and per hour (min, average, max) for 30 days — the hourly row is updated with every
/// point, so downsampling needs no batch job, and pruning runs as the hour turns.
///
/// Series are named `kind:target` (`disk:/var`, `memory:worker`, `payments:pending`); events
/// (restarts, deploys) mark the charts.
public final class History: Sendable {
    public static let minuteRetention: TimeInterval = 48 * 3600
    public static let hourRetention: TimeInterval = 30 * 86400
    public static let eventRetention: TimeInterval = 30 * 86400

    let db: SQLiteDatabase
    private let ids = Locked<[String: Int64]>([:])
    private let lastPruneHour = Locked<Int64>(-1)

    public struct Point: Sendable, Hashable {
        public var time: Date
        public var value: Double
        /// The hour's extremes (nil for minute points).
        public var low: Double?
        public var high: Double?
    }

    public struct Event: Sendable, Hashable {
        public var time: Date
        public var kind: String
        public var target: String
        public var label: String
    }

    init(db: SQLiteDatabase) throws {
        self.db = db
        try db.execute("""
            CREATE TABLE IF NOT EXISTS history_series (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS history_minute (
                series INTEGER NOT NULL, minute INTEGER NOT NULL, value REAL NOT NULL,
                PRIMARY KEY (series, minute)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS history_hour (
                series INTEGER NOT NULL, hour INTEGER NOT NULL, low REAL NOT NULL, high REAL NOT NULL,
                sum REAL NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (series, hour)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS history_event (
                at REAL NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, label TEXT NOT NULL DEFAULT '');
            CREATE INDEX IF NOT EXISTS history_event_at ON history_event(at);
            """)
    }

    /// Records one round of values at `time` (a later value in the same minute replaces the
    /// minute's; every value counts in the hour's min/avg/max). Non-finite values are skipped.
    public func record(_ values: [(series: String, value: Double)], at time: Date) {
        let minute = Int64((time.timeIntervalSince1970 / 60).rounded(.down))
        let hour = minute / 60
        do {
            // One statement per table for the whole round (a round is 10–50 values); a series
            // given twice in one round has its later value in the minute, both in the hour.
            var rows: [(id: Int64, value: Double)] = []
            for (name, v) in values where v.isFinite { rows.append((try seriesID(name), v)) }
            guard !rows.isEmpty else { return }
            var seen = Set<Int64>()
            let batches: [[(id: Int64, value: Double)]] = rows.reduce(into: [[]]) { b, r in
                if !seen.insert(r.id).inserted { b.append([]); seen = [r.id] }
                b[b.count - 1].append(r)
            }
            try db.transaction {
                for batch in batches {
                    let tuples = { (n: Int) in Array(repeating: n == 3 ? "(?,?,?)" : "(?,?,?,?,?,1)", count: batch.count).joined(separator: ",") }
                    try db.execute("INSERT INTO history_minute(series, minute, value) VALUES \(tuples(3)) ON CONFLICT(series, minute) DO UPDATE SET value = excluded.value",
                                   batch.flatMap { [SQLValue.int($0.id), .int(minute), .real($0.value)] })
                    try db.execute("""
                        INSERT INTO history_hour(series, hour, low, high, sum, n) VALUES \(tuples(5))
                        ON CONFLICT(series, hour) DO UPDATE SET low = min(low, excluded.low), high = max(high, excluded.high),
                            sum = sum + excluded.sum, n = n + 1
                        """, batch.flatMap { [SQLValue.int($0.id), .int(hour), .real($0.value), .real($0.value), .real($0.value)] })
                }
            }
            if lastPruneHour.withLock({ p in defer { p = hour }; return p != hour }) { prune(now: time) }
        } catch {
            Log.warning("history: could not record \(values.count) value(s): \(error)")
        }
    }

    /// Marks a chart: a restart, a deploy.
    public func event(_ kind: String, target: String, label: String = "", at time: Date) {
        do {
            try db.execute("INSERT INTO history_event(at, kind, target, label) VALUES(?,?,?,?)",
                           [.real(time.timeIntervalSince1970), .text(kind), .text(target), .text(label)])
        } catch {
            Log.warning("history: could not record a \(kind) event: \(error)")
        }
    }

    /// Drops minute points older than 48 h, hourly points and events older than 30 days.
    public func prune(now: Date) {
        let minute = Int64((now.timeIntervalSince1970 - Self.minuteRetention) / 60)
        let hour = Int64((now.timeIntervalSince1970 - Self.hourRetention) / 3600)
        do {
            try db.execute("DELETE FROM history_minute WHERE minute < ?", [.int(minute)])
            try db.execute("DELETE FROM history_hour WHERE hour < ?", [.int(hour)])
            try db.execute("DELETE FROM history_event WHERE at < ?", [.real(now.timeIntervalSince1970 - Self.eventRetention)])
        } catch {
            Log.warning("history: prune failed: \(error)")
        }
    }

    /// Points of `series` in `[from, to]`: minute points when `from` is within the last 48 h
    /// of `now`, else hourly averages with their min and max.
    public func points(_ series: String, from: Date, to: Date, now: Date) -> [Point] {
        now.timeIntervalSince(from) <= Self.minuteRetention + 60 ? minutePoints(series, from: from, to: to) : hourPoints(series, from: from, to: to)
    }

    public func minutePoints(_ series: String, from: Date, to: Date) -> [Point] {
        guard let id = try? existingID(series) else { return [] }
        let rows = (try? db.query("SELECT minute, value FROM history_minute WHERE series = ? AND minute >= ? AND minute <= ? ORDER BY minute",
                                  [.int(id), .int(Int64((from.timeIntervalSince1970 / 60).rounded(.down))), .int(Int64(to.timeIntervalSince1970 / 60))])) ?? []
        return rows.map { Point(time: Date(timeIntervalSince1970: Double($0[0].int ?? 0) * 60), value: $0[1].double ?? 0) }
    }

    /// Hourly points, each at the middle of its hour.
    public func hourPoints(_ series: String, from: Date, to: Date) -> [Point] {
        guard let id = try? existingID(series) else { return [] }
        let rows = (try? db.query("SELECT hour, low, high, sum, n FROM history_hour WHERE series = ? AND hour >= ? AND hour <= ? ORDER BY hour",
                                  [.int(id), .int(Int64((from.timeIntervalSince1970 / 3600).rounded(.down))), .int(Int64(to.timeIntervalSince1970 / 3600))])) ?? []
        return rows.map { r in
            let n = Double(max(1, r[4].int ?? 1))
            return Point(time: Date(timeIntervalSince1970: Double(r[0].int ?? 0) * 3600 + 1800), value: (r[3].double ?? 0) / n,
                         low: r[1].double, high: r[2].double)
        }
    }

    public func events(kinds: [String], target: String? = nil, from: Date, to: Date) -> [Event] {
        guard !kinds.isEmpty else { return [] }
        var sql = "SELECT at, kind, target, label FROM history_event WHERE at >= ? AND at <= ? AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ",")))"
        var params: [SQLValue] = [.real(from.timeIntervalSince1970), .real(to.timeIntervalSince1970)] + kinds.map { .text($0) }
        if let target { sql += " AND target = ?"; params.append(.text(target)) }
        let rows = (try? db.query(sql + " ORDER BY at", params)) ?? []
        return rows.map { Event(time: Date(timeIntervalSince1970: $0[0].double ?? 0), kind: $0[1].text ?? "", target: $0[2].text ?? "", label: $0[3].text ?? "") }
    }

    /// Series names starting with `prefix` that have a point since `since`, sorted.
    public func seriesNames(prefix: String, since: Date) -> [String] {
        let hour = Int64((since.timeIntervalSince1970 / 3600).rounded(.down))
        let rows = (try? db.query("""
            SELECT name FROM history_series s WHERE substr(name, 1, ?) = ? AND EXISTS (SELECT 1 FROM history_hour h WHERE h.series = s.id AND h.hour >= ?)
            ORDER BY name
            """, [.int(Int64(prefix.count)), .text(prefix), .int(hour)])) ?? []
        return rows.compactMap { $0[0].text }
    }

    private func seriesID(_ name: String) throws -> Int64 {
        if let id = ids.current[name] { return id }
        try db.execute("INSERT INTO history_series(name) VALUES(?) ON CONFLICT(name) DO NOTHING", [.text(name)])
        guard let id = try db.query("SELECT id FROM history_series WHERE name = ?", [.text(name)]).first?.first?.int else {
            throw StoreError("history: no id for series \(name)")
        }
        ids.withLock { $0[name] = id }
        return id
    }

    private func existingID(_ name: String) throws -> Int64? {
        if let id = ids.current[name] { return id }
        return try db.query("SELECT id FROM history_series WHERE name = ?", [.text(name)]).first?.first?.int
    }
}
