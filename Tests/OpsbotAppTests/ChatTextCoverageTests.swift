import Foundation
import Testing
import TestHarness

/// Issue 22's coverage figure, measured: every place that hands text to the chat (a reply, an
/// edit, a toast, a button, a preview, a progress line, an argument error, a check summary)
/// takes it from a message catalog — no English literal is written there directly. Printed:
/// the number of chat call sites and how many take catalog text.
@Suite struct ChatTextCoverageTests {
    /// Calls whose argument reaches the chat, each with what else its line must hold to be a
    /// chat call (a `summary:` label outside `CheckResult(` is some other summary).
    static let chatCalls: [(call: String, context: String?)] = [
        ("Reply(html: ", nil), (".text(\"", nil), ("progress.update(", nil), ("answerCallback(", nil),
        ("Button(", nil), ("Choice(", nil), ("confirmLabel: ", nil), ("preview: ", "ConfirmationPlan("), ("prompt: ", ".choose("),
        ("summary: ", "CheckResult("), ("message: ", "CheckResult("), ("ArgumentError(", nil), ("showWorking(", nil), (".pre(", nil),
    ]
    /// Product names a literal may carry into the chat (they read the same in Russian).
    static let names: Set<String> = ["opsbot", "code", "pre", "alertmanager", "telegram", "heroku", "railway", "docker", "yookassa"]

    /// Not chat: the CLI, the bench, `opsbot init` (terminal output stays English), and the catalogs themselves.
    static func skipped(_ path: String) -> Bool {
        path.contains("/Messages/") || path.hasPrefix("Sources/opsbench/") || path.hasPrefix("Sources/opsbot/")
            || path.hasPrefix("Sources/OpsbotInit/") || path.hasPrefix("Sources/TelegramBotAPI/")
    }

    /// The literal starting at `i` (just after its opening quote), with `\(…)` interpolations removed.
    static func literal(_ line: Substring) -> String {
        var out = ""
        var depth = 0
        var i = line.startIndex
        while i < line.endIndex {
            let ch = line[i]
            if depth == 0 && ch == "\\" {
                let n = line.index(after: i)
                if n < line.endIndex && line[n] == "(" { depth = 1; i = line.index(after: n); continue }
                i = line.index(after: n < line.endIndex ? n : i)
                continue
            }
            if depth > 0 {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                i = line.index(after: i)
                continue
            }
            if ch == "\"" { break }
            out.append(ch)
            i = line.index(after: i)
        }
        return out
    }

    /// English words (3+ Latin letters) in a literal: what would reach a Russian chat untranslated.
    static func englishWords(_ s: String) -> [String] {
        s.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { w in
            w.count >= 3 && w.allSatisfy(\.isASCII) && !names.contains(w.lowercased())
        }
    }

    /// Every catalog is held by a test that renders each of its messages in both languages
    /// (`RussianText.catalogProblems`): with the call-site scan below, that is the whole of
    /// the chat's text. Prints the catalogs and their sizes (issue 22's figure).
    @Test func everyCatalogIsRenderedInBothLanguagesByATest() throws {
        let catalogs = RussianText.catalogs()
        let root = Repository.root
        let tests = FileManager.default.enumerator(atPath: root + "/Tests")!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            .compactMap { try? String(contentsOfFile: root + "/Tests/" + $0, encoding: .utf8) }.joined(separator: "\n")
        #expect(catalogs.count >= 10, "\(catalogs.map(\.name))")
        for c in catalogs {
            #expect(c.messages > 0, "\(c.name) in \(c.file): no messages counted")
            #expect(tests.contains("catalogProblems(\(c.name).self"), "\(c.name) (\(c.file)) is not rendered in both languages by any test")
        }
        let total = catalogs.reduce(0) { $0 + $1.messages }
        print("message catalogs: \(catalogs.count), messages: \(total) — " + catalogs.map { "\($0.name) \($0.messages)" }.joined(separator: ", "))
    }

    @Test func everyChatCallSiteTakesCatalogText() throws {
        let root = Repository.root
        let files = FileManager.default.enumerator(atPath: root + "/Sources")!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.map { "Sources/" + $0 }.filter { !Self.skipped($0) }.sorted()
        var sites = 0
        var literals: [String] = []
        for path in files {
            let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") || code.hasPrefix("///") || code.contains("Log.") { continue }
                for (call, context) in Self.chatCalls {
                    if let context, !line.contains(context) { continue }
                    var from = line.startIndex
                    while let r = line.range(of: call, range: from..<line.endIndex) {
                        from = r.upperBound
                        sites += 1
                        // `answerCallback(id, text: "…")`: the literal follows `text: `.
                        var start = call.hasSuffix("\"") ? line.index(before: r.upperBound) : r.upperBound
                        if call == "answerCallback(" {
                            guard let t = line.range(of: "text: ", range: r.upperBound..<line.endIndex) else { continue }
                            start = t.upperBound
                        }
                        // Only a literal can be English written in place; anything else is a value.
                        guard start < line.endIndex, line[start] == "\"" else { continue }
                        let words = Self.englishWords(Self.literal(line[line.index(after: start)...]))
                        if !words.isEmpty { literals.append("\(path):\(n + 1): \(code)") }
                    }
                }
            }
        }
        let covered = sites - literals.count
        print("chat call sites: \(sites); taking catalog text: \(covered) (\(sites == 0 ? 0 : covered * 100 / sites) %)")
        #expect(sites > 100, "the scan found too few call sites to mean anything")
        #expect(literals.isEmpty, "English literals handed to the chat:\n\(literals.joined(separator: "\n"))")
    }
}
