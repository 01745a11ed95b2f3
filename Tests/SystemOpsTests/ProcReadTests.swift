import Foundation
import Testing
@testable import SystemOps

/// /proc files report size 0, and `String(contentsOfFile:)` returns their first 4 KB page only:
/// a busy host's /proc/mounts or /proc/net/tcp lost every line after it.
@Suite struct ProcReadTests {
    @Test func aProcFileIsReadToItsEnd() throws {
        // The test process maps dozens of libraries: its maps file is well past one page.
        let whole = try #require(ProcInfo.readText("/proc/self/maps"))
        #expect(whole.utf8.count > 4096, "\(whole.utf8.count) bytes")
        #expect(whole.hasSuffix("\n"))
        #expect(whole.contains("[stack]"), "the last mappings are there too")
    }
}
