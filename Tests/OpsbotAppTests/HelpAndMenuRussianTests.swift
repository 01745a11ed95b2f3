import Foundation
import Testing
import TestHarness
import TelegramBotAPI
@testable import OpsbotCore
@testable import OpsbotApp

/// `/help` and Telegram's command menu from the shipped catalog, in Russian (issue 22 item 5).
@Suite struct HelpAndMenuRussianTests {
    /// Latin words the Russian descriptions keep on purpose: what the admin types or reads as is.
    static let kept: Set<String> = ["fingerprint", "pending", "force", "duplicates", "provider", "conflict", "all", "error",
                                    "warning", "info", "debug", "critical", "timeout", "regex", "re", "vacuum", "size",
                                    "prune", "system", "false", "true", "enable", "disable", "stuck", "paid", "memory",
                                    "latency", "restarts", "alerts", "disk", "inodes", "gc", "yaml"]

    static func app(_ language: String) throws -> (AppContext, RecordingTransport, Router) {
        let (app, transport) = try TestApp.make(configYAML: DefaultConfig.yaml + "\nlanguage: \(language)\n")
        return (app, transport, Router(app: app))
    }

    @Test func helpForEveryCommandInRussian() async throws {
        let (app, transport, router) = try Self.app("ru")
        await router.handleMessage(IncomingMessage(chatID: 1, userID: 1, messageID: 1, text: "/help"))
        for e in app.catalog.entries {
            await router.handleMessage(IncomingMessage(chatID: 1, userID: 1, messageID: 1, text: "/help \(e.command.name)"))
        }
        let replies = transport.events.compactMap { e -> String? in if case .sent(_, _, let r) = e { r.html } else { nil } }
        #expect(replies.count == app.catalog.entries.count + 1)
        #expect(replies.first?.hasPrefix("<b>Команды opsbot</b>") == true)
        for html in replies {
            #expect(RussianText.englishWords(in: html, allow: Self.kept).isEmpty,
                    "English \(RussianText.englishWords(in: html, allow: Self.kept)) in:\n\(html)")
            #expect(RussianText.htmlProblems(html).isEmpty, "\(html)")
            #expect(html.count <= 4096)
        }
    }

    @Test func everyShippedCommandHasARussianDescriptionWithinTelegramsLimit() throws {
        let (app, _, _) = try Self.app("ru")
        for e in app.catalog.entries {
            let ru = e.command.description(.ru)
            #expect(e.command.descriptionRU != nil, "\(e.command.source) has no description_ru")
            #expect((1...256).contains(ru.count) && ru.contains { ("а"..."я").contains($0) || ("А"..."Я").contains($0) }, "\(e.command.source): \(ru)")
            if e.command.usage != nil { #expect(e.command.usageRU != nil, "\(e.command.source) has usage but no usage_ru") }
            for a in e.command.arguments where a.description != nil {
                #expect(a.descriptionRU != nil, "\(e.command.source): argument \(a.name) has no description_ru")
            }
        }
    }

    @Test func catalogTranslationKeysAreStrict() throws {
        let config = try OpsbotConfig.parse(DefaultConfig.yaml, source: "t.yaml", baseDirectory: "/")
        let registry = Features.build(config, environment: [:]).modules
        let long = String(repeating: "я", count: 257)
        let bad = CatalogLoader.load(sources: [
            ("a.yaml", "name: a\ndescription: A\ndescription_ru: \"\(long)\"\nmodule: ping\n"),
            ("b.yaml", "name: b\ndescription: B\nusage_ru: \"только перевод\"\nmodule: ping\n"),
            ("c.yaml", "name: c\ndescription: C\ndescripton_ru: опечатка\nmodule: ping\n"),
        ], registry: registry, config: config)
        let text = bad.errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("a.yaml") && text.contains("description_ru") && text.contains("1–256"), "\(text)")
        #expect(text.contains("b.yaml") && text.contains("usage_ru"), "\(text)")
        #expect(text.contains("c.yaml") && text.contains("descripton_ru"), "\(text)")
    }

    /// The menu goes out twice, the default one and `language_code: "ru"`, each in the
    /// language the replies will use.
    @Test(arguments: [("en", false, false), ("ru", true, true), ("auto", false, true)])
    func menuIsPublishedInBothLanguages(_ setting: String, _ defaultRussian: Bool, _ ruRussian: Bool) async throws {
        let (app, _, _) = try Self.app(setting)
        let token = "123456789:" + "AAMenuTestTokenxxxxxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let api = BotAPI(baseURL: fake.baseURL, token: token)
        await CommandMenu.publish(app.catalog, language: app.config.language, api: api)
        let calls = fake.calls("setMyCommands")
        #expect(calls.count == 2)
        #expect(calls.first?.fields["language_code"] == nil)
        #expect(calls.last?.fields["language_code"] == "ru")
        func russian(_ c: FakeBotCall?) -> Bool { c?.fields["commands"]?.contains("Проверить, что opsbot отвечает") == true }
        #expect(russian(calls.first) == defaultRussian, "\(calls.first?.fields["commands"] ?? "")")
        #expect(russian(calls.last) == ruRussian, "\(calls.last?.fields["commands"] ?? "")")
        // Command names stay Latin, as Telegram requires.
        #expect(calls.last?.fields["commands"]?.contains("\"command\":\"ping\"") == true)
    }
}
