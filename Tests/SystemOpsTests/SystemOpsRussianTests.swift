import Foundation
import Testing
import OpsbotSupport
import TestKit
@testable import SystemOps

/// Issue 22: the `/logs` filter header and a log file's failures in Russian; English unchanged.
@Suite struct SystemOpsRussianTests {
    @Test func catalogHasEveryMessageInBothLanguages() {
        let problems = RussianText.catalogProblems(SystemOpsText.self, source: "Sources/SystemOps/Messages/SystemOpsText.swift")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(SystemOpsText.self, source: "Sources/SystemOps/Messages/SystemOpsText.swift") == 2)
    }

    @Test func aFilterHeaderReadsInTheAskersLanguage() throws {
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        let f = LineFilter(level: .error, text: "timeout", regex: try NSRegularExpression(pattern: "db.*lost"), since: since)
        let stamp = LogTimestamp.format(since)
        #expect(f.summary == "error, \"timeout\", /db.*lost/, since \(stamp)")
        let ru = Language.$current.withValue(.ru) { f.summary }
        #expect(ru == "ошибки, \"timeout\", /db.*lost/, с \(stamp)")
        // The typed text stays as typed; the rest is Russian.
        #expect(RussianText.englishWords(in: HTML.escape(ru), allow: ["timeout"]).isEmpty, "\(ru)")
        for level in LineFilter.Level.allCases {
            #expect(LineFilter(level: level).summary(.en) == level.rawValue)
            #expect(RussianText.englishWords(in: LineFilter(level: level).summary(.ru)).isEmpty)
        }
    }
}
