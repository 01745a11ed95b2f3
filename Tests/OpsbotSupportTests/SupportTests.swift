import Foundation
import Testing
@testable import OpsbotSupport
import TestKit

@Suite struct DurationsTests {
    @Test func parsesOperatorForms() {
        #expect(Durations.parse("90") == 90)
        #expect(Durations.parse("45s") == 45)
        #expect(Durations.parse("15m") == 900)
        #expect(Durations.parse("1h30m") == 5400)
        #expect(Durations.parse("2d") == 172_800)
    }

    @Test func rejectsGarbage() {
        #expect(Durations.parse("") == nil)
        #expect(Durations.parse("abc") == nil)
        #expect(Durations.parse("10x") == nil)
        #expect(Durations.parse("5m3") == nil)
        #expect(Durations.parse("-5") == nil)
    }

    @Test func formatsShort() {
        #expect(Durations.format(42) == "42 s")
        #expect(Durations.format(420) == "7 min")
        #expect(Durations.format(3600 * 3 + 300) == "3 h 5 min")
        #expect(Durations.format(86400 * 2 + 3600 * 4) == "2 d 4 h")
    }
}

@Suite struct HTMLTests {
    @Test func escapesTheThreeCharacters() {
        #expect(HTML.escape("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d")
        #expect(HTML.escape("<script>") == "&lt;script&gt;")
    }

    @Test func plainTextRoundTrip() {
        let s = "if a<b && c>d: print(\"x\")"
        #expect(HTML.toPlainText("<pre>" + HTML.escape(s) + "</pre>") == s)
        #expect(HTML.toPlainText("<b>bold</b> &amp; <i>it</i>") == "bold & it")
    }
}

@Suite struct RedactorTests {
    @Test func registeredSecretIsRemoved() {
        let r = Redactor()
        r.register("s3cr3t-value-xyz")
        #expect(r.redact("password is s3cr3t-value-xyz!") == "password is [REDACTED]!")
    }

    @Test func tokenShapesAreMaskedEvenUnregistered() {
        let r = Redactor()
        let url = "https://api.telegram.org/bot123456789:" + "AAHk1n2b3v4c5x6z7l8k9j0h1g2f3d4s5a6/getUpdates"
        let out = r.redact("request to \(url) failed")
        #expect(!out.contains("AAHk1n2b3v4c5x6z7l8k9j0h1g2f3d4s5a6"))
        #expect(!r.redact("postgres://app:hunter2@db/app").contains("hunter2"))
        #expect(!r.redact("host=db password=hunter2 dbname=app").contains("hunter2"))
        #expect(!r.redact("OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwx").contains("abcdefghijklmnopqrstuvwx"))
    }
}

@Suite struct ArgvSplitterTests {
    @Test func quotesAndEscapes() throws {
        #expect(try ArgvSplitter.split("a b  c") == ["a", "b", "c"])
        #expect(try ArgvSplitter.split("worker \"two words\" 'x y'") == ["worker", "two words", "x y"])
        #expect(try ArgvSplitter.split("a\\ b") == ["a b"])
        #expect(try ArgvSplitter.split("\"\"") == [""])
    }

    @Test func unbalancedQuoteIsAnError() {
        #expect(throws: ArgvSplitter.Failure.self) { try ArgvSplitter.split("a \"b") }
    }
}

@Test func fileErrorsReadInPlainWords() {
    do {
        try "x".write(toFile: "/proc/opsbot-no-such-dir/x", atomically: true, encoding: .utf8)
        Issue.record("expected an error")
    } catch {
        let words = plainWords(error)
        #expect(!words.contains("NSCocoaErrorDomain"))
        #expect(!words.isEmpty)
    }
}
