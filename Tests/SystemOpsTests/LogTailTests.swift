import Foundation
import Testing
import TestTraits
@testable import SystemOps

func tempDir() -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-sys-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

@Suite(.ownThreads) struct LogTailTests {
    @Test func lastLinesAcrossBlockBoundaries() throws {
        let path = tempDir() + "/a.log"
        let lines = (1...500).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        for bs in [7, 64, 4096] {
            let r = try LogTail.read(path: path, count: 50, blockSize: bs)
            #expect(r.lines == Array(lines.suffix(50)), "block size \(bs)")
        }
        // No trailing newline: the last line still counts.
        try lines.prefix(3).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try LogTail.read(path: path, count: 10, blockSize: 5).lines == Array(lines.prefix(3)))
    }

    @Test func costGrowsWithLinesNotFileSize() throws {
        let path = tempDir() + "/big.log"
        let body = (1...20000).map { "2026-11-23 10:00:00 INFO request \($0) handled" }.joined(separator: "\n") + "\n"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try LogTail.read(path: path, count: 10)
        #expect(r.lines.last == "2026-11-23 10:00:00 INFO request 20000 handled")
        #expect(r.scannedBytes <= 64 * 1024)
        #expect(r.fileSize > 500_000)
    }

    /// A 2 GB file that is mostly a hole (ftruncate) with real lines written at its end: reading
    /// its last 50 lines must touch only the tail.
    @Test func twoGigabyteSparseFileWithRealTail() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/huge.log"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let fh = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try fh.truncate(atOffset: 2_000_000_000)
        try fh.seekToEnd()
        let tail = (1...200).map { "2026-11-23 10:00:\(String(format: "%02d", $0 % 60)) ERROR worker line \($0)" }
        try fh.write(contentsOf: Data(("\n" + tail.joined(separator: "\n") + "\n").utf8))
        try fh.close()
        let started = Date()
        let r = try LogTail.read(path: path, count: 50)
        #expect(r.lines == Array(tail.suffix(50)))
        #expect(r.fileSize > 2_000_000_000)
        #expect(r.scannedBytes < 1_000_000)
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test func invalidUTF8AndBinaryJunkAreSanitized() throws {
        let path = tempDir() + "/junk.log"
        var data = Data("ok line\n".utf8)
        data.append(contentsOf: [0xFF, 0xFE, 0x41, 0x00, 0x01, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x42, 0x0A])
        data.append(Data("last\n".utf8))
        try data.write(to: URL(fileURLWithPath: path))
        let r = try LogTail.read(path: path, count: 5)
        #expect(r.lines.count == 3)
        #expect(r.lines[1].contains("\u{FFFD}"))
        #expect(!r.lines[1].contains("\u{1B}"))
        #expect(!r.lines[1].unicodeScalars.contains { $0.value < 0x20 && $0.value != 9 })
        #expect(r.lines[2] == "last")
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: LogTail.Failure.missing("/nonexistent/x.log")) { try LogTail.read(path: "/nonexistent/x.log", count: 5) }
    }

    @Test func filterAndSinceStopEarly() throws {
        let path = tempDir() + "/f.log"
        let now = Date()
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.timeZone = .current
        var lines: [String] = []
        for i in 0..<120 {
            let t = now.addingTimeInterval(Double(i - 120) * 60)  // one line a minute for 2 h
            let level = i % 10 == 0 ? "ERROR" : (i % 25 == 0 ? "CRITICAL" : "INFO")
            lines.append("\(f.string(from: t)) - \(level) - event \(i)")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let errs = try LogTail.read(path: path, count: 100, filter: LineFilter(level: .error))
        #expect(errs.lines.count == 14)   // ERROR at i%10==0 (12), CRITICAL at 25 and 75
        #expect(errs.lines.allSatisfy { $0.contains("ERROR") || $0.contains("CRITICAL") })
        let lastHour = try LogTail.read(path: path, count: 1000, blockSize: 512, filter: LineFilter(since: now.addingTimeInterval(-1800)))
        #expect(lastHour.lines.count == 29 || lastHour.lines.count == 30)
        #expect(lastHour.scannedBytes < 4096)
        let crit = try LogTail.read(path: path, count: 100, filter: LineFilter(level: .critical, since: now.addingTimeInterval(-3600)))
        #expect(crit.lines.map { $0.hasSuffix("event 75") } == [true])
    }

    @Test func truncationDuringReadIsNoticedAndReadAgain() throws {
        let path = tempDir() + "/rot.log"
        let lines = (1...2000).map { "old \($0)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try LogTail.read(path: path, count: 1500, blockSize: 1024) { scanned in
            if scanned >= 2048 {
                // logrotate copytruncate: the file is emptied and new lines start
                try? "new 1\nnew 2\n".write(toFile: path, atomically: false, encoding: .utf8)
            }
        }
        #expect(r.lines == ["new 1", "new 2"])
        #expect(r.note?.contains("truncated") == true)
    }

    @Test func renameRotationKeepsReadingTheOpenFile() throws {
        let dir = tempDir()
        let path = dir + "/app.log"
        let lines = (1...300).map { "line \($0)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try LogTail.read(path: path, count: 100, blockSize: 256) { scanned in
            if scanned == 256 {
                try? FileManager.default.moveItem(atPath: path, toPath: dir + "/app.log.1")
                try? "fresh\n".write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        #expect(r.lines == Array(lines.suffix(100)))
    }
}

@Suite struct LineFilterTests {
    @Test func levels() {
        #expect(LineFilter.matches(level: .error, "2026-11-23 10:00:00 - ERROR - Ошибка Telegram API"))
        #expect(LineFilter.matches(level: .error, "CRITICAL - ⚠️ ОБНАРУЖЕН КОНФЛИКТ"))
        #expect(!LineFilter.matches(level: .error, "INFO - no error here"))
        #expect(LineFilter.matches(level: .warning, "RuntimeWarning: coroutine 'x' was never awaited"))
        #expect(!LineFilter.matches(level: .critical, "ERROR - x"))
        #expect(LineFilter.matches(level: .error, priority: 3) && !LineFilter.matches(level: .error, priority: 6))
    }

    @Test func timestamps() {
        #expect(LogTimestamp.parse("2026-11-23T10:00:00Z x") == Date(timeIntervalSince1970: 1795428000))
        #expect(LogTimestamp.parse("[2026-11-23 10:00:00,123] INFO") != nil)
        #expect(LogTimestamp.parse("Traceback (most recent call last):") == nil)
    }
}
