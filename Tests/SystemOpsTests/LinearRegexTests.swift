import Foundation
import OpsbotSupport
import Testing
@testable import SystemOps

/// Chat regexes match in linear time and agree with NSRegularExpression on the common subset.
struct LinearRegexTests {
    @Test func agreesWithFoundationOnTheCommonSubset() throws {
        let patterns = ["timeout", "^ERROR", "failed$", "a|b", "(foo|bar)+baz", "x{2,3}y", "[0-9]{3}-[a-f]+", "\\d+ms",
                        "user \\w+ logged", "colou?r", "^$", "\\bcat\\b", "[^a-z ]", "a.c", "(?:ab)*c", "\\.py$", "[\\]x]"]
        let lines = ["timeout after 30s", "ERROR db down", "job failed", "xxy", "foobarbaz", "404-beef", "took 120ms",
                     "user bob logged in", "color", "colour", "", "a cat sat", "concat", "ABC", "abc", "ababc", "web.py", "]", "c"]
        for p in patterns {
            let mine = try LinearRegex(p)
            let ns = try NSRegularExpression(pattern: p)
            for l in lines {
                let want = ns.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)) != nil
                #expect(mine.matches(l) == want, "pattern \(p) on \"\(l)\"")
            }
        }
        #expect(try LinearRegex("(?i)error").matches("An ERROR here"))
        #expect(try !LinearRegex("error").matches("An ERROR here"))
    }

    @Test func refusesWhatCannotBeLinear() {
        for p in ["(a)\\1", "(?=x)", "(?!x)", "(?<=x)y", "a++", "(", "a)", "[a", "*a"] {
            #expect(throws: LinearRegex.SyntaxError.self, "\(p)") { try LinearRegex(p) }
        }
    }

    /// `(a+)+$` against a line of a's and a "!" is exponential for a backtracking engine
    /// (36 a's took hours); here 50 lines of 2,000 a's take seconds (debug build), not hours —
    /// seconds of CPU, so on a thread of their own (`runBlocking`), not the cooperative pool.
    @Test func catastrophicPatternsStayLinear() async throws {
        let line = String(repeating: "a", count: 2000) + "!"
        for p in ["(a+)+$", "(a|a)*b", "(a*)*b", "(a|aa)+$", "(.*a){12}$"] {
            let re = try LinearRegex(p)
            let (hits, took) = await runBlocking(name: "test.cpu") { () -> (Int, Double) in
                let start = Date()
                var hits = 0
                for _ in 0..<50 where re.matches(line) { hits += 1 }
                return (hits, Date().timeIntervalSince(start))
            }
            #expect(hits == 0, "\(p) matched")
            #expect(took < 10, "\(p) took \(took) s for 50 lines")
        }
    }
}
