import Foundation
import Testing
import TestKit
@testable import OpsbotSupport

/// Issue 22: `plainWords(error)` in Russian for the chat, the English (logs, config errors) unchanged.
@Suite struct PlainWordsRussianTests {
    @Test func catalogHasEveryMessageInBothLanguages() {
        let problems = RussianText.catalogProblems(SupportText.self, source: "Sources/OpsbotSupport/Messages/SupportText.swift")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(SupportText.self, source: "Sources/OpsbotSupport/Messages/SupportText.swift") == SupportText.samples.count)
    }

    @Test func realFileErrorsReadInRussianAndTheEnglishStays() throws {
        let dir = NSTemporaryDirectory() + "opsbot-pw-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Writing into a directory that does not exist, and reading a file that does not exist.
        var errors: [any Error] = []
        do { try "x".write(toFile: dir + "/no/such/dir/file", atomically: true, encoding: .utf8) } catch { errors.append(error) }
        do { _ = try String(contentsOfFile: dir + "/missing", encoding: .utf8) } catch { errors.append(error) }
        #expect(errors.count == 2)
        for e in errors {
            let en = plainWords(e)
            #expect(en == "no such file or directory", "\(en) — \(e)")
            let ru = plainWordsText(e)
            #expect(ru.en == en)
            #expect(ru.ru == "нет такого файла или каталога", "\(ru.ru)")
            #expect(RussianText.englishWords(in: ru.ru).isEmpty)
        }
        // A file that is not valid text.
        try Data([0xff, 0xfe, 0xfd]).write(to: URL(fileURLWithPath: dir + "/binary"))
        do { _ = try String(contentsOfFile: dir + "/binary", encoding: .utf8); Issue.record("decoded") } catch {
            #expect(RussianText.englishWords(in: plainWordsText(error).ru, allow: ["utf"]).isEmpty, "\(plainWordsText(error).ru)")
        }
    }

    @Test func anErrorWithItsOwnRussianKeepsIt() {
        struct Own: Error, CustomStringConvertible, Localizable {
            var description: String { "disk full" }
            var english: String { description }
            var russian: String { "диск заполнен" }
        }
        #expect(plainWords(Own()) == "disk full")
        #expect(plainWordsText(Own()).ru == "диск заполнен")
        struct Plain: Error, CustomStringConvertible { var description: String { "boom" } }
        #expect(plainWordsText(Plain()) == LocalizedText(verbatim: "boom"))
    }

    @Test func errnoTextsReadInRussian() {
        for (code, ru) in [(ENOENT, "нет такого файла или каталога"), (EACCES, "нет прав доступа"), (ENOSPC, "на диске не осталось места")] {
            let words = String(cString: strerror(code))
            #expect(SupportText.systemError(words).english == words)
            #expect(SupportText.systemError(words).russian == ru, "\(words)")
        }
        #expect(SupportText.systemError("Weird new errno").russian == "Weird new errno")
    }
}
