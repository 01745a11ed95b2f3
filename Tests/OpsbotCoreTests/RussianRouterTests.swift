import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

/// The router, confirmations, progress and argument errors in Russian (issue 22), and `auto`
/// answering each admin in their own Telegram language.
@Suite struct RussianRouterTests {
    /// What the test modules themselves say (English on purpose: they stand for a module);
    /// removed before the check so only the router's own words are judged.
    static let moduleWords = ["Will restart <b>worker</b>", "restarting worker…", "worker healthy after 1 s", "Which service?", "Restart"]

    /// Every text the chat saw: messages and edits (HTML), toasts and button labels.
    static func chatTexts(_ t: RecordingTransport) -> [String] {
        var out: [String] = []
        for e in t.events {
            switch e {
            case .sent(_, _, let r), .edited(_, let r):
                out.append(r.html)
                out += r.buttons.flatMap { $0 }.map(\.text)
            case .answered(_, let text): if let text { out.append(HTML.escape(text)) }
            }
        }
        return out.map { s in moduleWords.reduce(s) { $0.replacingOccurrences(of: $1, with: " ") } }
    }

    static func expectRussian(_ t: RecordingTransport, sourceLocation: SourceLocation = #_sourceLocation) {
        let texts = chatTexts(t)
        #expect(!texts.isEmpty, sourceLocation: sourceLocation)
        for html in texts {
            let english = RussianText.englishWords(in: html, allow: ["echo", "slow", "pick", "viewer", "operator", "u1", "u2"])
            #expect(english.isEmpty, "English in: \(html)", sourceLocation: sourceLocation)
            #expect(RussianText.htmlProblems(html).isEmpty, "bad HTML: \(html)", sourceLocation: sourceLocation)
        }
    }

    @Test func coreCatalogHasEveryMessageInEveryLanguage() {
        let problems = RussianText.catalogProblems(CoreText.self, source: "Sources/OpsbotCore/Messages/CoreText.swift")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(CoreText.self, source: "Sources/OpsbotCore/Messages/CoreText.swift") == CoreText.samples.count)
    }

    @Test func refusalsAndArgumentErrorsInRussian() async throws {
        let h = try RouterHarness(language: "ru")
        await h.say("/nope")
        await h.say("/ech")                  // a suggestion
        await h.say("/echo abc")
        await h.say("/echo 500")
        await h.say("/echo 1 2")
        await h.say("/статус")               // Cyrillic is not a command name
        await h.say("/echo \"1")             // unclosed quote
        await h.say("/restart", user: 3)     // needs a role
        await h.say("/echo 1", chat: -999, user: 666)   // not an admin
        Self.expectRussian(h.transport)
        let all = h.transport.texts.joined(separator: "\n")
        #expect(all.contains("Нет команды /nope"))
        #expect(all.contains("может, /echo?"))
        #expect(all.contains("n: нужно целое число, а не «abc»"))
        #expect(all.contains("n: не больше 100, а введено 500"))
        #expect(all.contains("«/статус» — не имя команды"))
        #expect(all.contains("⛔ Нет доступа"))
    }

    @Test func confirmationLifecycleInRussian() async throws {
        let h = try RouterHarness(language: "ru")
        await h.say("/restart")
        let preview = h.transport.texts.last ?? ""
        #expect(preview.contains("Истекает через 1 мин"))
        #expect(h.latestButtons()?.1.map(\.text) == ["✅ Restart", "✖ Отмена"])
        await h.press(1)                      // cancel
        #expect(h.transport.texts.last?.contains("✖ Отменил админ 1. Ничего не выполнено.") == true)
        await h.press(1)                      // again: already handled
        await h.say("/restart")
        await h.press(0)                      // confirm: runs once
        #expect(h.runs.current == 1)
        #expect(h.transport.texts.last?.contains("подтвердил админ 1") == true)
        await h.say("/restart")
        h.clock.advance(by: 61)
        await h.router.sweepExpired()
        #expect(h.transport.texts.last?.contains("⌛ Не подтвердили за 1 мин. Ничего не выполнено.") == true)
        Self.expectRussian(h.transport)
    }

    @Test func expiryIsWrittenInTheAskersLanguageEvenOnATimer() async throws {
        let h = try RouterHarness(language: "auto")
        await h.say("/restart", languageCode: "ru")
        h.clock.advance(by: 61)
        await h.router.sweepExpired()         // runs outside any message's task
        #expect(h.transport.texts.last?.contains("Не подтвердили за 1 мин") == true)
    }

    @Test func autoAnswersEachAdminInTheirLanguage() async throws {
        let h = try RouterHarness(language: "auto")
        await h.say("/nope", user: 1, languageCode: "ru")
        #expect(h.transport.texts.last?.hasPrefix("Нет команды /nope") == true)
        #expect(h.app.pushLanguage(chat: RouterHarness.adminChat) == .ru)
        await h.say("/nope", user: 2, languageCode: "en")
        #expect(h.transport.texts.last?.hasPrefix("Unknown command /nope") == true)
        #expect(h.app.pushLanguage(chat: RouterHarness.adminChat) == .en)
        await h.say("/nope", user: 2, languageCode: nil)   // unknown: English, the chat's memory stays
        #expect(h.transport.texts.last?.hasPrefix("Unknown command /nope") == true)
        // A button pressed by the Russian-speaking admin answers in Russian.
        await h.say("/restart", user: 2, languageCode: "en")
        #expect(h.latestButtons()?.1.last?.text == "✖ Cancel")
        await h.press(0, user: 1, languageCode: "ru")     // not theirs to confirm
        #expect(h.transport.callbackAnswers.last??.hasPrefix("⛔ подтвердить может только тот, кто запросил") == true)
    }

    @Test func aWrongLanguageIsNamedWithTheChoices() throws {
        let config = try ConfigLoader.read("language: fr\n", source: "c.yaml", baseDirectory: "/", sections: ConfigLoader.coreSections)
        #expect(config.problems.map(\.description) == ["c.yaml:1: language: expected en, ru or auto, got \"fr\""], "\(config.problems)")
        #expect(config.language == .en)
        let ok = try ConfigLoader.read("language: auto\n", source: "c.yaml", baseDirectory: "/", sections: ConfigLoader.coreSections)
        #expect(ok.problems.isEmpty && ok.language == .auto)
    }

    @Test func fixedLanguageIgnoresTheTelegramLanguage() async throws {
        let h = try RouterHarness(language: "en")
        await h.say("/nope", languageCode: "ru")
        #expect(h.transport.texts.last?.hasPrefix("Unknown command /nope") == true)
        let r = try RouterHarness(language: "ru")
        await r.say("/nope", languageCode: "en")
        #expect(r.transport.texts.last?.hasPrefix("Нет команды /nope") == true)
    }
}
