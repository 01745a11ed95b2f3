import Foundation
import OpsbotSupport
import TelegramBotAPI
import Testing
import TestKit

@Suite struct MessageSplitterTests {
    /// Every chunk must be something Telegram accepts on its own.
    func assertValid(_ chunks: [String], limit: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, c) in chunks.enumerated() {
            #expect(MessageSplitter.visibleLength(c) <= limit, "chunk \(i) too long", sourceLocation: sourceLocation)
            #expect(FakeBotAPI.checkText(c, html: true, limit: limit) == nil,
                    "chunk \(i): \(FakeBotAPI.checkText(c, html: true, limit: limit) ?? "")", sourceLocation: sourceLocation)
        }
    }

    @Test func shortTextIsUnchanged() {
        #expect(MessageSplitter.split("<b>ok</b>") == ["<b>ok</b>"])
        let exact = String(repeating: "a", count: 4096)
        #expect(MessageSplitter.split(exact) == [exact])
        #expect(MessageSplitter.split(exact + "b").count == 2)
    }

    @Test func splitsOnLineBoundaries() {
        let lines = (0..<300).map { "line \($0) " + String(repeating: "x", count: 40) }
        let chunks = MessageSplitter.split(lines.joined(separator: "\n"), limit: 1000)
        assertValid(chunks, limit: 1000)
        #expect(chunks.count > 10)
        // Every chunk holds whole lines, in order, none lost.
        #expect(chunks.flatMap { $0.components(separatedBy: "\n") } == lines)
    }

    @Test func preIsClosedAndReopened() {
        let body = (0..<200).map { "row \($0) &lt;ok&gt; a&amp;b" }.joined(separator: "\n")
        let html = "<b>Title</b>\n<pre>" + body + "</pre>\nfooter"
        let chunks = MessageSplitter.split(html, limit: 500)
        assertValid(chunks, limit: 500)
        #expect(chunks.count > 5)
        for c in chunks.dropFirst().dropLast() {
            #expect(c.hasPrefix("<pre>") && c.hasSuffix("</pre>"))
        }
        #expect(chunks.last!.hasSuffix("footer"))
        #expect(chunks.map { HTML.toPlainText($0) }.joined(separator: "\n") == HTML.toPlainText(html))
    }

    @Test func nestedTagsWithAttributesAreReopenedInOrder() {
        let inner = (0..<100).map { "fn_\($0)()" }.joined(separator: "\n")
        let html = "<pre><code class=\"language-sql\">" + inner + "</code></pre>"
        let chunks = MessageSplitter.split(html, limit: 200)
        assertValid(chunks, limit: 200)
        #expect(chunks.count > 3)
        #expect(chunks.allSatisfy { $0.hasPrefix("<pre><code class=\"language-sql\">") && $0.hasSuffix("</code></pre>") })
    }

    @Test func overlongLineIsHardSplitWithoutCuttingEntitiesOrTags() {
        let line = String(repeating: "a&amp;<b>b</b>&lt;", count: 300)  // one line, 1200 visible chars
        let chunks = MessageSplitter.split(line, limit: 100)
        assertValid(chunks, limit: 100)
        #expect(chunks.count >= 12)
        for c in chunks {
            // No partial entity at either end, no partial tag.
            #expect(!c.hasSuffix("&") && !c.hasSuffix("&amp") && !c.hasSuffix("<") && !c.hasSuffix("</b"))
            #expect(!c.hasPrefix("amp;") && !c.hasPrefix("lt;") && !c.hasPrefix("b>"))
        }
        #expect(chunks.map { HTML.toPlainText($0) }.joined() == HTML.toPlainText(line))
    }

    @Test func lengthIsCountedInUTF16AfterEntityParsing() {
        #expect(MessageSplitter.visibleLength("<b>a&amp;b</b>") == 3)
        #expect(MessageSplitter.visibleLength("😀") == 2)  // surrogate pair
        #expect(MessageSplitter.visibleLength("привет") == 6)
        let emoji = String(repeating: "😀", count: 3000)  // 6000 UTF-16 units, one line
        let chunks = MessageSplitter.split(emoji)
        #expect(chunks.count == 2)
        #expect(chunks.allSatisfy { $0.utf16.count <= 4096 })
        #expect(chunks.joined() == emoji)  // no emoji cut in half
    }

    @Test func rawAngleBracketsAndAmpersandsAreNotTakenForMarkup() {
        // Already-escaped text with a stray '&' and '<' that no '>' closes on its line.
        let text = (0..<100).map { "a & b < c \($0)" }.joined(separator: "\n")
        let chunks = MessageSplitter.split(text, limit: 200)
        #expect(chunks.allSatisfy { MessageSplitter.visibleLength($0) <= 200 })
        #expect(chunks.joined(separator: "\n") == text)
    }

    @Test func whitespaceOnlyChunksAreDropped() {
        let html = String(repeating: "x", count: 90) + "\n" + String(repeating: "\n", count: 150) + String(repeating: "y", count: 90)
        let chunks = MessageSplitter.split(html, limit: 100)
        #expect(chunks.allSatisfy { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
        #expect(chunks.first!.hasPrefix("xxx") && chunks.last!.hasSuffix("yyy"))
    }

    /// Tenths of a second of CPU per round: built and split on a thread of their own
    /// (`runBlocking`), checked here.
    @Test func randomizedLogsAlwaysSplitIntoValidChunks() async {
        let rounds = await runBlocking(name: "test.cpu") { () -> [(html: String, chunks: [String])] in
            var rng = SplitMix(seed: 42)
            return (0..<3).map { round in
                var lines: [String] = []
                for _ in 0..<Int.random(in: 50...200, using: &rng) {
                    let n = Int.random(in: 0...300, using: &rng)
                    let raw = String((0..<n).map { _ in "ab <>&é😀 \t".randomElement(using: &rng)! })
                    lines.append(HTML.escape(raw))
                }
                let html = "<b>round \(round)</b>\n<pre>" + lines.joined(separator: "\n") + "</pre>"
                return (html, MessageSplitter.split(html))
            }
        }
        for (html, chunks) in rounds {
            assertValid(chunks, limit: 4096)
            #expect(chunks.map { HTML.toPlainText($0) }.joined(separator: "\n").count <= HTML.toPlainText(html).count + chunks.count)
            #expect(chunks.map { HTML.toPlainText($0) }.joined().filter { !$0.isWhitespace }
                    == HTML.toPlainText(html).filter { !$0.isWhitespace })
        }
    }
}

/// Deterministic generator so that a failure reproduces.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
