import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

/// Issue 22 for what the composition says in the chat itself: a refused reload, a reload, and
/// command files that did not load — in Russian with `language: ru`, English text unchanged.
@Suite struct AppTextTests {
    func make(_ language: String) throws -> (AppContext, RecordingTransport) {
        try TestApp.make(configYAML: """
            admins:
              chats: [-100]
              users: [1]
            language: \(language)
            """)
    }

    func sent(_ t: RecordingTransport) -> [String] {
        t.events.compactMap { if case .sent(let chat, _, let r) = $0, chat == -100 { r.html } else { nil } }
    }

    func expectRussian(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(RussianText.englishWords(in: html).isEmpty, "English \(RussianText.englishWords(in: html)) in: \(html)", sourceLocation: sourceLocation)
        #expect(RussianText.htmlProblems(html).isEmpty, "\(RussianText.htmlProblems(html)) in: \(html)", sourceLocation: sourceLocation)
        #expect(html.count <= 4096, sourceLocation: sourceLocation)
    }

    let problems = (0..<12).map { ConfigError(file: "/etc/opsbot/opsbot.yaml", key: "services.s\($0).unit", message: "is required for the systemd backend & <unit>") }

    @Test func reloadMessagesInRussian() async throws {
        let (app, t) = try make("ru")
        let bad = Runtime(config: app.config, catalog: app.catalog, commandsDirectory: "", problems: problems)
        #expect(await Reload.refuses(bad, app: app))
        var catalog = app.catalog
        catalog.invalidFiles = [ConfigError(file: "Commands/x.yaml", key: "descripton", message: "unknown key (known: name, description, usage, module)")]
        let good = Runtime(config: app.config, catalog: catalog, commandsDirectory: "", problems: [], wiring: app.wiring)
        await Reload.apply(good, to: app, api: nil)
        let texts = sent(t)
        #expect(texts.count == 3, "\(texts)")
        for html in texts { expectRussian(html) }
        let plain = texts.map(HTML.toPlainText)
        #expect(plain[0].hasPrefix("⚠️ Новый конфиг не применён — работает прежний. 12 проблем:\n- /etc/opsbot/opsbot.yaml"), "\(plain[0])")
        #expect(plain[0].contains("& <unit>"), "the config errors as they are, escaped: \(texts[0])")
        #expect(plain[0].components(separatedBy: "\n- ").count == 11, "the first 10 problems")
        #expect(plain[1] == "🔄 Конфиг перечитан: \(app.config.source), \(Plural.ru(catalog.entries.count, "команда", "команды", "команд")).", "\(plain[1])")
        #expect(plain[2].hasPrefix("⚠️ Не загрузились файлы команд (1):\n- Commands/x.yaml") && plain[2].contains("systemctl reload opsbot"), "\(plain[2])")
        #expect(AppText.reloadRefused(count: 1, problems: ["x"]).russian.contains("1 проблема:"))
        #expect(AppText.reloadRefused(count: 3, problems: ["x"]).russian.contains("3 проблемы:"))
        #expect(AppText.reloaded(source: "c.yaml", commands: 21).russian.contains("21 команда."))
    }

    @Test func reloadMessagesInEnglishAreUnchanged() async throws {
        let (app, t) = try make("en")
        let bad = Runtime(config: app.config, catalog: app.catalog, commandsDirectory: "", problems: Array(problems.prefix(1)))
        #expect(await Reload.refuses(bad, app: app))
        var catalog = app.catalog
        catalog.invalidFiles = [ConfigError(file: "Commands/x.yaml", key: "descripton", message: "unknown key")]
        await Reload.apply(Runtime(config: app.config, catalog: catalog, commandsDirectory: "", problems: [], wiring: app.wiring), to: app, api: nil)
        let texts = sent(t)
        #expect(texts == [
            HTML.escape("⚠️ Reload refused — still running the previous config. 1 problem:\n  - \(problems[0].description)"),
            HTML.escape("🔄 Reloaded \(app.config.source): \(catalog.entries.count) commands."),
            HTML.escape("⚠️ " + catalog.invalidSummary! + " — the other commands work; fix the file and reload (systemctl reload opsbot)."),
        ], "\(texts)")
    }

    /// A secret in a broken file's error never reaches the chat, in either language.
    @Test func catalogWarningIsRedactedInBothLanguages() async throws {
        // A made-up token of the real shape (what the redactor matches), plainly not a real one.
        let secret = "123456789:" + "AAFakeCatalogSecret" + String(repeating: "x", count: 16)
        for language in ["en", "ru"] {
            let (app, t) = try make(language)
            var catalog = app.catalog
            catalog.invalidFiles = [ConfigError(file: "Commands/x.yaml", key: "settings", message: "bad value \(secret)")]
            app.reload(config: app.config, catalog: catalog, wiring: app.wiring)
            await Runtime.announceCatalogProblems(app)
            let text = try #require(sent(t).last)
            #expect(!text.contains(secret) && !text.contains("AAFakeCatalogSecret"), "\(language): \(text)")
        }
    }

    @Test func catalogIsComplete() {
        let p = RussianText.catalogProblems(AppText.self, source: "Sources/OpsbotApp/Messages/AppText.swift")
        #expect(p.isEmpty, "\(p.joined(separator: "\n"))")
        #expect(RussianText.messageCount(AppText.self, source: "Sources/OpsbotApp/Messages/AppText.swift") == AppText.samples.count)
    }
}
