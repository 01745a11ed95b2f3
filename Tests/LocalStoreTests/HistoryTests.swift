import Foundation
import Testing
import TestKit
@testable import LocalStore

/// Issue 21 item 1: minute points for 48 h, hourly min/avg/max for 30 days, pruned as it goes,
/// kept across a restart — on the manual clock.
@Suite struct HistoryTests {
    func dir() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-history-\(UUID().uuidString)").path }

    @Test func hourlyPointsKeepMinAverageAndMax() throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 3600)))
        let store = try Store(directory: dir())
        let start = clock.now()
        // One hour of 60 points: 0, 1, …, 59; then one point in the next hour.
        for i in 0..<60 {
            store.history.record([("disk:/var", Double(i))], at: clock.now())
            clock.advance(by: 60)
        }
        store.history.record([("disk:/var", 100)], at: clock.now())
        let hours = store.history.hourPoints("disk:/var", from: start, to: clock.now())
        #expect(hours.count == 2)
        #expect(hours[0].low == 0 && hours[0].high == 59 && abs(hours[0].value - 29.5) < 1e-9)
        #expect(hours[0].time == start.addingTimeInterval(1800), "an hour's point sits in its middle")
        #expect(hours[1].value == 100 && hours[1].low == 100)
        let minutes = store.history.minutePoints("disk:/var", from: start, to: clock.now())
        #expect(minutes.count == 61 && minutes[10].value == 10 && minutes[10].time == start.addingTimeInterval(600))
    }

    @Test func aSecondValueInOneMinuteReplacesTheMinuteButCountsInTheHour() throws {
        let clock = ManualClock()
        let store = try Store(directory: dir())
        store.history.record([("memory:worker", 100)], at: clock.now())
        clock.advance(by: 10)
        store.history.record([("memory:worker", 200)], at: clock.now())
        let m = store.history.minutePoints("memory:worker", from: clock.now().addingTimeInterval(-120), to: clock.now())
        #expect(m.map(\.value) == [200])
        let h = try #require(store.history.hourPoints("memory:worker", from: clock.now().addingTimeInterval(-7200), to: clock.now()).last)
        #expect(h.value == 150 && h.low == 100 && h.high == 200)
    }

    @Test func pruningAsTheHoursTurn() throws {
        let clock = ManualClock()
        let store = try Store(directory: dir())
        let start = clock.now()
        store.history.event("restart", target: "worker", at: start)
        // 31 days, a point every 10 minutes (the pruning runs when the hour changes).
        for _ in 0..<(31 * 24 * 6) {
            store.history.record([("disk:/", 50), ("memory:worker", 300)], at: clock.now())
            clock.advance(by: 600)
        }
        let now = clock.now()
        let minutes = store.history.minutePoints("disk:/", from: start, to: now)
        let oldestMinute = try #require(minutes.first).time
        #expect(now.timeIntervalSince(oldestMinute) <= History.minuteRetention + 3600, "minute points older than 48 h are gone")
        #expect(minutes.count >= 47 * 6 && minutes.count <= 49 * 6)
        let hours = store.history.hourPoints("disk:/", from: start, to: now)
        #expect(now.timeIntervalSince(try #require(hours.first).time) <= History.hourRetention + 7200, "hourly points older than 30 days are gone")
        #expect(hours.count >= 30 * 24 - 1 && hours.count <= 30 * 24 + 2, "\(hours.count)")
        #expect(store.history.events(kinds: ["restart"], from: start, to: now).isEmpty, "events older than 30 days are gone")
        // `points` picks the resolution from the period.
        #expect(store.history.points("disk:/", from: now.addingTimeInterval(-86400), to: now, now: now).allSatisfy { $0.low == nil })
        #expect(store.history.points("disk:/", from: now.addingTimeInterval(-7 * 86400), to: now, now: now).allSatisfy { $0.low != nil })
    }

    @Test func historySurvivesARestart() throws {
        let d = dir()
        let clock = ManualClock()
        do {
            let store = try Store(directory: d)
            for i in 0..<5 { store.history.record([("disk:/", Double(i))], at: clock.now()); clock.advance(by: 60) }
            store.history.event("restart", target: "worker", label: "restart", at: clock.now())
        }
        let again = try Store(directory: d)
        #expect(again.history.minutePoints("disk:/", from: clock.now().addingTimeInterval(-3600), to: clock.now()).map(\.value) == [0, 1, 2, 3, 4])
        #expect(again.history.events(kinds: ["restart"], from: clock.now().addingTimeInterval(-60), to: clock.now()).first?.target == "worker")
        #expect(again.history.seriesNames(prefix: "disk:", since: clock.now().addingTimeInterval(-86400)) == ["disk:/"])
    }
}
