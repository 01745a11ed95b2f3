import Foundation
@testable import OpsbotCore
import Testing
import TestHarness

/// The ICU-free checks at catalog load must agree with ICU wherever they answer.
@Suite struct SimplePatternTests {
    static let subset = [
        "[A-Za-z0-9_.:-]{1,191}", "[^\\s]{1,200}", "[A-Za-z0-9_.:-]{1,64}", "[A-Za-z0-9_.:@-]{1,100}", "/?[a-z0-9_]{1,32}",
        "[A-Za-z0-9_.:@/+=-]{1,100}", "[0-9smhdw.]{1,12}", "[A-Za-z0-9-]{1,64}", "\\d+", "a.b*c?", "[-a]", "[a-]", "x{3}", "x{2,}",
        "\\.\\$\\(", "é+", "[\\w\\s]*",
    ]
    static let notSubset = [
        "", "(a)", "a|b", "^a$", "[a-z", "a{2,1}", "a{,3}", "a**", "a{1,2}?", "[[a]]", "[a&&b]", "[z-a]", "[a-z-0]", "\\q", "a{",
        "[]", "[^]", "\\", "[a\\]", "(?i)a", "[\\.-z]",
    ]

    @Test(arguments: subset) func subsetPatternsCompileInICU(_ p: String) {
        #expect(SimplePattern.isCertainlyValid(p))
        #expect((try? NSRegularExpression(pattern: p)) != nil)
    }

    @Test(arguments: notSubset) func othersAreLeftToICU(_ p: String) {
        #expect(!SimplePattern.isCertainlyValid(p))
    }

    @Test func everyShippedPatternIsInTheSubset() throws {
        let dir = TestApp.repositoryRoot + "/Commands"
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".yaml") {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("pattern:") {
                var p = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
                if let q = p.first, q == "'" || q == "\"" { p = String(p.dropFirst().dropLast()) }
                #expect(SimplePattern.isCertainlyValid(p.replacingOccurrences(of: "\\\\", with: "\\")), "\(file): \(p)")
            }
        }
    }

    /// Where the hand matcher answers, ICU gives the same answer.
    @Test(arguments: subset + ["[A-Za-z0-9_.:@/+=,-]{1,200}", "a.*b.*c", "x?y{0,2}z*"]) func wholeMatchAgreesWithICU(_ p: String) throws {
        let re = try NSRegularExpression(pattern: "^(?:\(p))$")
        let texts = ["", "a", "abc", "0123", "worker", "50", "10m", "1.5h", "a-b_c.d:e", "x y", "/help", "help", "ping", "é", "a\nb", "ab\n",
                     "user@host/+=,-", String(repeating: "a", count: 191), String(repeating: "a", count: 192), "yyz", "xzz", "aXbYc", "abz", "-",
                     "[x]", "$(", ".$(", "\t", "A_B 9"]
        var answered = 0
        for t in texts {
            guard let ours = SimplePattern.wholeMatch(t, p) else { continue }
            answered += 1
            let icu = re.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil
            #expect(ours == icu, "\(p) on \(t.debugDescription)")
        }
        #expect(answered > 20 || SimplePattern.atoms(p) == nil)  // a non-ASCII literal ("é+") is left to ICU
        #expect(SimplePattern.wholeMatch("é", p) == nil)
        #expect(SimplePattern.wholeMatch("ab\n", p) == nil)
    }

    @Test func commandNamesAsICUMatchesThem() {
        for name in ["ping", "a", "status_2", String(repeating: "a", count: 32), String(repeating: "a", count: 33), "", "Ping", "pi-ng",
                     "ping\n", "ping\r\n", "ping\n\n", "ping\u{2028}", "\nping", "pïng", "ping "] {
            let icu = CatalogLoader.namePattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
            #expect(SimplePattern.isCommandName(name) == icu, "\(name.debugDescription)")
        }
    }
}
