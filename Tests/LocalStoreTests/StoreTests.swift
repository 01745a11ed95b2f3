import Foundation
import Testing
@testable import LocalStore

private func tempDir() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-store-\(UUID().uuidString)").path
}

@Suite struct StoreTests {
    /// An uncreatable state directory is explained in plain words, never "NSCocoaErrorDomain".
    @Test func uncreatableStateDirectoryIsExplained() throws {
        let file = NSTemporaryDirectory() + "opsbot-file-\(UUID().uuidString)"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try Store(directory: file + "/state/deeper")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("is a file, not a directory"))
            #expect(!"\(error)".contains("NSCocoaErrorDomain"))
        }
        do {
            _ = try Store(directory: "/proc/opsbot-\(UUID().uuidString)/state")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("cannot create the state directory"))
            #expect(!"\(error)".contains("NSCocoaErrorDomain"))
        }
    }

    @Test func offsetSurvivesReopen() throws {
        let dir = tempDir()
        do {
            let s = try Store(directory: dir)
            #expect(try s.updateOffset() == nil)
            try s.setUpdateOffset(42)
        }
        let again = try Store(directory: dir)
        #expect(try again.updateOffset() == 42)
    }

    @Test func auditIsNewestFirstAndRedacted() throws {
        let s = try Store(directory: tempDir())
        for i in 0..<3 {
            s.audit(.init(at: Date(), chatID: -100, userID: 7, username: "ann", command: "/c\(i)",
                          arguments: "postgres://u:hunter2@db/x", outcome: "ok", durationMS: i))
        }
        let entries = try s.recentAudit(limit: 2)
        #expect(entries.map(\.command) == ["/c2", "/c1"])
        #expect(!entries[0].arguments.contains("hunter2"))
    }

    @Test func corruptDatabaseIsAClearError() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: dir + "/opsbot.sqlite3"))
        do {
            _ = try Store(directory: dir)
            Issue.record("a corrupt store opened")
        } catch let e as StoreError {
            #expect(e.description.contains("opsbot.sqlite3"))
        }
    }

    @Test func stateDirThatIsAFileIsAClearError() throws {
        let path = tempDir()
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try Store(directory: path) }
    }

    @Test func bindsValuesSoQuotesAreData() throws {
        let s = try Store(directory: tempDir())
        try s.setValue("x'); DROP TABLE kv; --", for: "k")
        #expect(try s.value("k") == "x'); DROP TABLE kv; --")
        #expect(try s.db.query("SELECT count(*) FROM kv").first?.first?.int == 1)
    }
}
