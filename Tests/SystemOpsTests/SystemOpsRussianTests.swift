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
        #expect(RussianText.messageCount(SystemOpsText.self, source: "Sources/SystemOps/Messages/SystemOpsText.swift") == 11)
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

    @Test func envProblemsReadInRussianAndNeverShowTheValue() {
        let secret = "s3cr3t-value-0123456789"
        let cases: [(EnvRule, String?, String)] = [
            (EnvRule(name: "BOT_TOKEN"), nil, "missing"),
            (EnvRule(name: "BOT_TOKEN"), "", "set but empty"),
            (EnvRule(name: "DATABASE_URL", format: .url), secret, "is not a URL (expected scheme://host…)"),
            (EnvRule(name: "WORKERS", format: .integer), secret, "is not an integer"),
            (EnvRule(name: "DEBUG", format: .bool), secret, "is not true/false"),
            (EnvRule(name: "ENCRYPTION_SECRET", format: .bytes, length: 32), secret, "is 23 bytes long, expected exactly 32"),
            (EnvRule(name: "TOKEN", format: .regex, pattern: "[0-9]+:[A-Za-z0-9_-]{35}"), secret, "does not have the expected shape"),
        ]
        for (rule, value, english) in cases {
            #expect(rule.check(value) == english, "\(rule.name)")
            let p = rule.problem(value)
            #expect(p?.english == english)
            let ru = p?.text(.ru) ?? ""
            #expect(!ru.isEmpty && !ru.contains(secret), "\(ru)")
            #expect(RussianText.englishWords(in: HTML.escape(ru)).isEmpty, "\(ru)")
        }
        #expect(EnvRule(name: "ENCRYPTION_SECRET", format: .bytes, length: 32).problem(secret)?.text(.ru) == "длиной 23 байта, а нужно ровно 32")
        #expect(EnvRule(name: "OPTIONAL", required: false).problem(nil) == nil)
    }
}
