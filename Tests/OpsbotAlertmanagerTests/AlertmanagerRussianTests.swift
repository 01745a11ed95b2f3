import Foundation
import Testing
import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotAlerts
@testable import OpsbotAlertmanager

func amProblems(_ html: String, allow: Set<String> = []) -> [String] {
    RussianText.englishWords(in: html, allow: allow) + RussianText.htmlProblems(html)
}

@Suite struct AlertmanagerRussianTests {
    @Test func catalogIsCompleteInBothLanguages() {
        let source = "Sources/OpsbotAlertmanager/Messages/AlertmanagerText.swift"
        let problems = RussianText.catalogProblems(AlertmanagerText.self, source: source,
                                                   allow: ["connection", "refused", "timeout", "watchdog", "disk", "full", "alice", "am"])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(AlertmanagerText.self, source: source) == AlertmanagerText.samples.count)
    }

    /// Alertmanager down: its own summaries, /silences, /expire_silence and the Expire button in Russian.
    @Test func unreachableAlertmanagerInRussian() async throws {
        let yaml = """
        admins:
          chats: [-100]
          users: [1, 2]
        commands_dir: Commands
        language: ru
        alertmanager:
          url: http://127.0.0.1:1
          timeout: 1s
        """
        let (app, transport) = try TestApp.make(configYAML: yaml)
        let router = Router(app: app, progressDelay: 30)
        let source = try #require(app.alertmanagerFeature.source)
        let results = await source.poll(app: app)
        let down = try #require(results.first { $0.check == "alertmanager" })
        #expect(down.summary(.ru).hasPrefix("Alertmanager на 127.0.0.1:1 недоступен:"), "\(down.summary(.ru))")
        #expect(down.summary.hasPrefix("Alertmanager at 127.0.0.1:1 unreachable:"), "English for logs and the CLI")

        func say(_ text: String) async -> String {
            await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, username: "ann", messageID: 3, text: text, languageCode: "ru")))
            return transport.events.compactMap { if case .sent(_, _, let r) = $0 { r.html } else { nil } }.last ?? ""
        }
        let list = await say("/silences")
        #expect(list.contains("Не удалось получить сайленсы"), "\(list)")
        #expect(RussianText.htmlProblems(list).isEmpty)
        let expire = await say("/expire_silence abc")
        #expect(expire.contains("Не удалось прочитать сайленсы"), "\(expire)")

        await router.handle(.callback(IncomingCallback(id: "1", chatID: -100, userID: 1, username: "ann", messageID: 9, data: "am:x:bad id",
                                                       languageCode: "ru")))
        #expect(transport.callbackAnswers.last == "Неизвестная кнопка.")
        let ran = Locked<[IncomingMessage]>([])
        app.setCommandHook { m in ran.withLock { $0.append(m) } }
        await router.handle(.callback(IncomingCallback(id: "2", chatID: -100, userID: 1, username: "ann", messageID: 9,
                                                       data: "am:x:0123456789abcdef", languageCode: "ru")))
        #expect(transport.callbackAnswers.last == "Снимаю сайленс 01234567…")
        await waitUntil { !ran.current.isEmpty }
        #expect(ran.current.first?.text == "/expire_silence 0123456789abcdef" && ran.current.first?.languageCode == "ru")
    }

    @Test func notConfiguredInRussian() async throws {
        let m = SilencesModule(source: nil, configured: false)
        let out = await Language.$current.withValue(Language.ru) { () async -> String in
            let (app, _) = try! TestApp.make(configYAML: "admins:\n  chats: [-100]\n  users: [1]\ncommands_dir: Commands\n")
            let req = CommandRequest(command: CatalogCommand(name: "silences", description: "", module: "silences"), arguments: [:],
                                     chatID: -100, userID: 1, username: "ann")
            if case .reply(let r) = await m.handle(ModuleContext(app: app, request: req, progress: NoProgress())) { return r.html }
            return ""
        }
        #expect(out == "Alertmanager не настроен (alertmanager.url).", "\(out)")
        #expect(Language.$current.withValue(.ru) { m.notConfigured } == "в конфиге нет alertmanager.url")
        #expect(m.notConfigured == "alertmanager.url is not in the config")
    }
}

func waitUntil(_ what: @escaping @Sendable () -> Bool) async {
    for _ in 0..<200 where !what() { try? await Task.sleep(for: .milliseconds(5)) }
}

/// With a real Alertmanager: the lines Mute and Unmute post about silences, in Russian.
@Suite(.serialized, .exclusive, .enabled(if: TestAlertmanager.enabled)) struct AlertmanagerRussianLiveTests {
    @Test func muteAndUnmuteLinesInRussian() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync(), extra: "language: ru")
        let labels = h.labels("DiskAlmostFull", ["mountpoint": "/var"])
        try await h.am.fire(labels, annotations: ["summary": "/var is 97% full"])
        await h.round()
        let (msgID, msg) = try #require(h.sent.first { $0.1.html.contains(h.run) })
        #expect(msg.html.contains("Сработал алерт") && msg.html.contains("[Alertmanager] /var is 97% full"), "annotation text stays as it is")
        let mute = try #require(msg.buttons.flatMap { $0 }.first { $0.data.hasPrefix("a:m:") })
        await h.press(mute.data, messageID: msgID)
        #expect(try await until { h.transport.texts.contains { $0.contains("Создан сайленс Alertmanager") } }, "\(h.transport.texts)")
        let line = try #require(h.sent.last { $0.1.html.contains("Создан сайленс") }?.1.html)
        #expect(amProblems(line, allow: ["alice"]).isEmpty, "\(amProblems(line, allow: ["alice"]))")
        let fp = try #require(h.svc.engine.mutes.first { $0.key.contains(h.run) }?.key)
        await h.say("/unmute \(fp)")
        let last = try #require(h.sent.last?.1.html)
        #expect(last.contains("Сайленс Alertmanager") && last.contains("снят"), "\(last)")
        await h.say("/silences")
        #expect(h.sent.last?.1.html.contains("Сайленсы Alertmanager") == true || h.sent.last?.1.html.contains("нет активных") == true)
        try await h.am.resolve(labels)
    }
}
