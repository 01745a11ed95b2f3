import Foundation
import Testing
@testable import Alerting
import LocalStore
@testable import OpsbotCore
import TestHarness
@testable import OpsbotApp
@testable import OpsbotAlerts

/// A check summary in both languages, as the services and database checks write them.
struct Said: Localizable {
    var english: String
    var russian: String
    init(_ en: String, _ ru: String) { english = en; russian = ru }
}

/// Rule names, check names and the instance are exact; these are the ones the runs below show
/// outside `<code>`.
let alertTerms: Set<String> = ["disk", "health", "schema", "service_down", "payments"]

func ruProblems(_ html: String, allow: Set<String> = []) -> [String] {
    RussianText.englishWords(in: html, allow: alertTerms.union(allow)) + RussianText.htmlProblems(html)
}

func ruAlertsYAML(language: String? = nil, alertsLanguage: String? = nil, extra: String = "") -> String {
    """
    admins:
      chats: [-100]
      users: [1, 2]
    commands_dir: Commands
    instance: prod-1
    \(language.map { "language: \($0)" } ?? "")
    alerts:
      repeat: 30m
    \(alertsLanguage.map { "  language: \($0)" } ?? "")
    \(extra)
    """
}

func sentReplies(_ t: RecordingTransport) -> [(id: Int64, reply: Reply)] {
    t.events.compactMap { if case .sent(_, let id, let r) = $0 { (id, r) } else { nil } }
}

func editedReplies(_ t: RecordingTransport) -> [Reply] {
    t.events.compactMap { if case .edited(_, let r) = $0 { r } else { nil } }
}

@Suite struct AlertsRussianTests {
    @Test func catalogIsCompleteInBothLanguages() {
        let problems = RussianText.catalogProblems(AlertText.self, source: "Sources/OpsbotAlerts/Messages/AlertText.swift",
                                                   allow: ["disk", "health", "nosuch", "prod", "bad", "config", "request", "forbidden"])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(AlertText.self, source: "Sources/OpsbotAlerts/Messages/AlertText.swift") == AlertText.samples.count)
    }

    @Test func alertsLanguageIsStrictAndNamesTheKey() throws {
        let bad = try OpsbotConfig.parse(ruAlertsYAML(alertsLanguage: "de"), source: "test.yaml", baseDirectory: "/")
        let errors = AlertsFeature.validate(bad)
        #expect(errors.contains { $0.description.contains("alerts.language") && $0.description.contains("en, ru or auto") }, "\(errors)")
        let good = try OpsbotConfig.parse(ruAlertsYAML(alertsLanguage: "ru"), source: "test.yaml", baseDirectory: "/")
        #expect(AlertsFeature.validate(good).isEmpty)
        #expect(try AlertsConfig.load(good).language == .ru)
        #expect(try AlertsConfig.load(try OpsbotConfig.parse(ruAlertsYAML(), source: "t.yaml", baseDirectory: "/")).language == nil)
    }

    /// The whole life of an alert with `alerts.language: ru` and the top level English: every
    /// pushed message is Russian, the replies to commands stay English.
    @Test func lifecycleInRussianWhileCommandsStayEnglish() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: ruAlertsYAML(alertsLanguage: "ru"), clock: clock)
        let router = Router(app: app, progressDelay: 30)
        let svc = try app.alertsFeature.service()
        let down = CheckResult(check: "service_down", target: "worker", status: .critical,
                               message: Said("worker is inactive (dead)", "воркер остановлен (inactive)"), evidence: ["<Traceback> & more"])
        // Firing after `for: 2`.
        for _ in 0..<2 { svc.submit("services", [down]); svc.evaluateRound(); clock.advance(by: 10) }
        await svc.deliver(app)
        let firing = try #require(sentReplies(transport).first)
        #expect(firing.reply.html.contains("Сработал алерт") && firing.reply.html.contains("КРИТИЧНО"), "\(firing.reply.html)")
        #expect(firing.reply.html.contains("воркер остановлен") && firing.reply.html.contains("сервис из конфига не запущен"))
        #expect(firing.reply.html.contains("&lt;Traceback&gt; &amp; more"), "evidence stays escaped and exact")
        #expect(firing.reply.html.contains("<code>service_down:worker</code>"), "the mute key stays exact")
        #expect(ruProblems(firing.reply.html, allow: ["inactive"]).isEmpty, "\(ruProblems(firing.reply.html, allow: ["inactive"]))")
        let labels = firing.reply.buttons.flatMap { $0 }.map(\.text)
        #expect(labels.contains("✅ Принято") && labels.contains("🔕 Заглушить 1ч") && labels.contains("🛠 Перезапустить worker"), "\(labels)")
        #expect(firing.reply.buttons.flatMap { $0 }.allSatisfy { $0.data.utf8.count <= 64 && $0.data.hasPrefix("a:") })

        // A reminder after the repeat interval.
        clock.advance(by: 1801)
        svc.submit("services", [down]); svc.evaluateRound()
        await svc.deliver(app)
        let reminder = try #require(sentReplies(transport).last?.reply.html)
        #expect(reminder.contains("Всё ещё горят") && reminder.contains("горит уже 30 мин"), "\(reminder)")
        #expect(ruProblems(reminder, allow: ["inactive"]).isEmpty, "\(ruProblems(reminder, allow: ["inactive"]))")

        // The check cannot say: unknown, as an edit of the firing message.
        clock.advance(by: 60)
        svc.submit("services", [], unreachable: AlertText.checkTimedOut(check: "services", seconds: 30).localized)
        svc.evaluateRound()
        await svc.deliver(app)
        let unknown = try #require(editedReplies(transport).last?.html)
        #expect(unknown.contains("<b>неизвестно</b> с") && unknown.contains("проверка services не уложилась в 30 с"), "\(unknown)")
        #expect(ruProblems(unknown, allow: ["inactive", "services"]).isEmpty, "\(ruProblems(unknown, allow: ["inactive", "services"]))")

        // Known again, then resolved.
        clock.advance(by: 60)
        svc.submit("services", [down]); svc.evaluateRound()
        await svc.deliver(app)
        let known = try #require(editedReplies(transport).last?.html)
        #expect(known.contains("проверка снова отвечает"), "\(known)")
        clock.advance(by: 60)
        svc.submit("services", [CheckResult(check: "service_down", target: "worker", status: .ok, message: Said("active", "работает"))])
        svc.evaluateRound()
        await svc.deliver(app)
        let resolved = try #require(sentReplies(transport).last?.reply.html)
        #expect(resolved.contains("в норме (горел"), "\(resolved)")
        #expect(ruProblems(resolved).isEmpty, "\(ruProblems(resolved))")
        let note = try #require(editedReplies(transport).last?.html)
        #expect(note.contains("<b>в норме</b>") && ruProblems(note, allow: ["inactive", "services"]).isEmpty, "\(note)")

        // A command typed by an English user: the reply stays English (the top level is `en`).
        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, username: "ann", messageID: 5, text: "/alerts", languageCode: "ru")))
        let listed = try #require(sentReplies(transport).last?.reply.html)
        #expect(listed.contains("Delivery") && !listed.contains("Доставка"), "\(listed)")
    }

    /// Grouped firing, the storm digest and the /alerts list in Russian, Ack/Mute presses with their toasts and edits.
    @Test func groupedStormButtonsAndCommandsInRussian() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: ruAlertsYAML(language: "ru"), clock: clock)
        let router = Router(app: app, progressDelay: 30)
        let svc = try app.alertsFeature.service()
        func disk(_ mount: String, _ pct: Int) -> CheckResult {
            CheckResult(check: "disk", target: mount, status: .warning, message: Said("\(pct) % used", "занято \(pct) %"), value: Double(pct))
        }
        // Three at once: one grouped message.
        svc.submit("disk", [disk("/var", 92), disk("/srv", 93), disk("/data", 95)])
        svc.evaluateRound()
        await svc.deliver(app)
        let group = try #require(sentReplies(transport).last)
        #expect(group.reply.html.contains("Сработало: 3 алерта") && group.reply.html.contains("Заглушить или починить"), "\(group.reply.html)")
        #expect(ruProblems(group.reply.html).isEmpty, "\(ruProblems(group.reply.html))")
        let acks = group.reply.buttons.flatMap { $0 }
        #expect(acks.allSatisfy { $0.text.hasPrefix("✅ Принято disk") }, "\(acks.map(\.text))")

        // A storm: 40 at once, one line each.
        svc.submit("health", (0..<40).map { i in
            CheckResult(check: "health", target: "web\(i):/healthz", status: .critical, message: Said("HTTP 502", "ответ 502"))
        })
        svc.evaluateRound(); clock.advance(by: 10)
        svc.submit("health", (0..<40).map { i in
            CheckResult(check: "health", target: "web\(i):/healthz", status: .critical, message: Said("HTTP 502", "ответ 502"))
        })
        svc.evaluateRound()
        for _ in 0..<20 { await svc.deliver(app); clock.advance(by: 5) }
        let storm = try #require(sentReplies(transport).first { $0.reply.html.contains("Сработало: 40 алертов") })
        #expect(ruProblems(storm.reply.html).isEmpty, "\(ruProblems(storm.reply.html))")

        // Ack and Mute from the grouped message, pressed through the router.
        func press(_ data: String, user: Int64, code: String?) async -> String? {
            await router.handle(.callback(IncomingCallback(id: UUID().uuidString, chatID: -100, userID: user, username: "u\(user)",
                                                           messageID: group.id, data: data, languageCode: code)))
            return transport.callbackAnswers.last ?? nil
        }
        let ack = try #require(await press(acks[0].data, user: 1, code: "ru"))
        #expect(ack.hasPrefix("Принято: напоминаний по disk:") && RussianText.englishWords(in: ack).isEmpty, "\(ack)")
        await waitFor { editedReplies(transport).contains { $0.html.contains("<b>Принято</b>") } }
        let ackEdit = try #require(editedReplies(transport).last { $0.html.contains("<b>Принято</b>") })
        #expect(ruProblems(ackEdit.html).isEmpty, "\(ruProblems(ackEdit.html))")
        let id = try #require(svc.engine.alert(fingerprint: "disk:/srv")?.id)
        let mute = try #require(await press("a:m:\(id):3600", user: 1, code: "ru"))
        #expect(mute == "disk:/srv заглушён на 1 ч.", "\(mute)")
        #expect(svc.engine.mutes.map(\.key).contains("disk:/srv"), "the mute key is exact")
        let gone = try #require(await press("a:k:zzz", user: 1, code: "ru"))
        #expect(gone == "Алерт #zzz уже не горит.")
        #expect(try #require(await press("a:m:\(id):x", user: 1, code: "ru")) == "Неверная кнопка заглушки.")

        // /alerts, /mute with a bad duration and an unknown key, /unmute: Russian.
        func say(_ text: String) async -> String {
            await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, username: "ann", messageID: 7, text: text, languageCode: "ru")))
            return sentReplies(transport).last?.reply.html ?? ""
        }
        let list = await say("/alerts")
        #expect(list.contains("Горят") && list.contains("Приняты") && list.contains("Доставка") && list.contains("подряд с ошибкой"), "\(list)")
        #expect(ruProblems(list).isEmpty, "\(ruProblems(list))")
        let short = await say("/mute disk 30s")
        #expect(short.contains("Длительность — от 1m до 30d") && ruProblems(short).isEmpty, "\(short)")
        let nokey = await say("/mute nosuch 1h")
        #expect(nokey.contains("не правило и не отпечаток"), "\(nokey)")
        let muted = await say("/mute disk 1h ticket:42")
        #expect(muted.contains("<code>disk</code> заглушён на 1 ч") && muted.contains("ticket:42") && ruProblems(muted).isEmpty, "\(muted)")
        let listMuted = await say("/alerts")
        #expect(listMuted.contains("Заглушки (") && listMuted.contains("кнопка") && ruProblems(listMuted).isEmpty, "\(listMuted)")
        let unmuted = await say("/unmute disk")
        #expect(unmuted.contains("Заглушка с <code>disk</code> снята") && ruProblems(unmuted).isEmpty, "\(unmuted)")
        let notMuted = await say("/unmute disk")
        #expect(notMuted.contains("не заглушён"), "\(notMuted)")
        let usage = await say("/unmute")
        #expect(RussianText.htmlProblems(usage).isEmpty)
    }

    /// `auto`: pushed alerts follow whoever last wrote in the chat; each toast is in its presser's language.
    @Test func autoWithTwoUsersOfDifferentLanguages() async throws {
        let clock = ManualClock()
        let (app, transport) = try TestApp.make(configYAML: ruAlertsYAML(language: "auto"), clock: clock)
        let router = Router(app: app, progressDelay: 30)
        let svc = try app.alertsFeature.service()
        #expect(svc.language(chat: -100) == .en, "English until someone writes")
        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, username: "ivan", messageID: 1, text: "/alerts", languageCode: "ru")))
        #expect(svc.language(chat: -100) == .ru)
        svc.submit("disk", [CheckResult(check: "disk", target: "/var", status: .warning, message: Said("92 % used", "занято 92 %"), value: 92)])
        svc.evaluateRound()
        await svc.deliver(app)
        let msg = try #require(sentReplies(transport).last)
        #expect(msg.reply.html.contains("Сработал алерт"), "\(msg.reply.html)")
        let id = try #require(svc.engine.alert(fingerprint: "disk:/var")?.id)
        func press(_ data: String, user: Int64, code: String) async -> String? {
            await router.handle(.callback(IncomingCallback(id: UUID().uuidString, chatID: -100, userID: user, username: "u\(user)",
                                                           messageID: msg.id, data: data, languageCode: code)))
            return transport.callbackAnswers.last ?? nil
        }
        let en = try #require(await press("a:m:\(id):3600", user: 2, code: "en"))
        #expect(en == "Muted disk:/var for 1 h.", "\(en)")
        let ru = try #require(await press("a:k:\(id)", user: 1, code: "ru"))
        #expect(ru.hasPrefix("Принято:"), "\(ru)")
        let en2 = try #require(await press("a:k:\(id)", user: 2, code: "en-US"))
        #expect(en2.hasPrefix("Acknowledged:"), "\(en2)")
        // The English user wrote last: the next pushed message is English.
        #expect(svc.language(chat: -100) == .en)

        // A remediation button runs the command in the presser's language.
        let ran = Locked<[IncomingMessage]>([])
        app.setCommandHook { m in ran.withLock { $0.append(m) } }
        svc.submit("disk", [CheckResult(check: "disk", target: "/srv", status: .warning, message: Said("91 % used", "занято 91 %"), value: 91)])
        svc.evaluateRound()
        let fix = try #require(svc.engine.alert(fingerprint: "disk:/srv")?.id)
        let running = try #require(await press("a:r:\(fix)", user: 1, code: "ru"))
        #expect(running == "Запускаю /disk", "\(running)")
        await waitFor { !ran.current.isEmpty }
        #expect(ran.current.first?.languageCode == "ru" && ran.current.first?.userID == 1)
    }

    /// The summary's Russian is kept with the alert: after a restart it still reads in Russian.
    @Test func russianSummarySurvivesARestart() async throws {
        let clock = ManualClock()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-ru-\(UUID().uuidString)").path
        let yaml = ruAlertsYAML(alertsLanguage: "ru")
        do {
            let (app, _) = try TestApp.make(configYAML: yaml, clock: clock, stateDirectory: dir)
            let svc = try app.alertsFeature.service()
            svc.submit("disk", [CheckResult(check: "disk", target: "/var", status: .warning, message: Said("92 % used", "занято 92 %"), value: 92)])
            svc.evaluateRound()
            await svc.deliver(app)
        }
        clock.advance(by: 60)
        let (app, _) = try TestApp.make(configYAML: yaml, clock: clock, stateDirectory: dir)
        let svc = try app.alertsFeature.service()
        let a = try #require(svc.engine.alert(fingerprint: "disk:/var"))
        #expect(a.summary == "92 % used" && a.summaryRU == "занято 92 %")
        let rendered = Language.$current.withValue(.ru) { svc.renderer!.render(.firing([a])) }
        let html = try #require(rendered.first?.html)
        #expect(html.contains("занято 92 %") && html.contains("диск или иноды") && rendered.first?.language == .ru, "\(html)")
        let list = await Language.$current.withValue(.ru) { await runCommand(app, "alerts", [:]) }
        #expect(list.contains("занято 92 %"), "\(list)")
    }

    /// Russian is longer: a grouped alert with long summaries and evidence stays within Telegram's 4096.
    @Test func longGroupedAlertInRussianStaysWithinTheLimit() throws {
        let renderer = AlertRenderer(chatID: -100, instance: "prod-1")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func alert(_ i: Int) -> AlertState {
            var a = AlertState(id: "x\(i)", fingerprint: "payments:p\(i)", rule: "payments", target: "p\(i)", source: "database",
                               phase: .firing, severity: .critical, firstSeen: now, firingSince: now, lastSeen: now)
            a.summary = String(repeating: "stuck payment ", count: 60)
            a.summaryRU = String(repeating: "платёж завис в ожидании ", count: 60)
            a.evidence = (0..<20).map { "payment \($0): " + String(repeating: "ж", count: 280) }
            a.ruleDescription = AlertingText.paymentsDescription.english
            a.ruleDescriptionRU = AlertingText.paymentsDescription.russian
            a.remediation = "/payments p\(i)"
            return a
        }
        for n in [1, 5, 30, 300] {
            let alerts = (0..<n).map(alert)
            let out = Language.$current.withValue(.ru) { renderer.render(.firing(alerts)) + renderer.render(.reminders(alerts)) }
            for m in out {
                #expect(m.html.count <= 4096, "\(n): \(m.html.count)")
                #expect(RussianText.htmlProblems(m.html).isEmpty, "\(n): \(RussianText.htmlProblems(m.html))")
                #expect(RussianText.englishWords(in: m.html, allow: alertTerms).isEmpty, "\(RussianText.englishWords(in: m.html, allow: alertTerms))")
                #expect(m.buttons.flatMap { $0 }.allSatisfy { $0.data.utf8.count <= 64 })
            }
        }
    }

    /// A digest's Ack buttons name each alert; a long rule or target is marked as cut, not
    /// chopped mid-word without a sign ("payment_webhoo 5").
    @Test func digestAckButtonsMarkACutName() throws {
        let renderer = AlertRenderer(chatID: -100, instance: "prod-1")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let alerts = [("payment_webhook_lost", "5"), ("schema", "database")].enumerated().map { i, rt in
            AlertState(id: "d\(i)", fingerprint: "\(rt.0):\(rt.1)", rule: rt.0, target: rt.1, source: "database",
                       phase: .firing, severity: .critical, firstSeen: now, firingSince: now, lastSeen: now)
        }
        for (language, ack) in [(Language.ru, "✅ Принято"), (.en, "✅ Ack")] {
            let labels = Language.$current.withValue(language) { renderer.render(.firing(alerts)) }.first?.buttons.flatMap { $0 }.map(\.text) ?? []
            #expect(labels == ["\(ack) payment_webho… 5", "\(ack) schema database"], "\(labels)")
        }
    }

    /// Every kind of notification, rendered in Russian: no English outside the exact parts, valid HTML.
    @Test func everyNotificationKindInRussian() throws {
        let renderer = AlertRenderer(chatID: -100, instance: "prod-1", flapWindow: 600)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var a = AlertState(id: "7", fingerprint: "disk:/var", rule: "disk", target: "/var", source: "disk", phase: .firing, severity: .warning,
                           firstSeen: now, firingSince: now, lastSent: now.addingTimeInterval(3600), lastSeen: now)
        let rule = try #require(DefaultRules.rules.first { $0.name == "disk" })
        a.summary = "92 % used"; a.summaryRU = "занято 92 %"
        a.ruleDescription = rule.description; a.ruleDescriptionRU = rule.descriptionRU
        a.remediation = "/disk"; a.remediationLabel = rule.remediationLabel; a.remediationLabelRU = rule.remediationLabelRU
        a.transitions = [now, now.addingTimeInterval(60), now.addingTimeInterval(120), now.addingTimeInterval(180)]
        var u = a
        u.unknownSince = now.addingTimeInterval(300); u.unknownReason = "df timed out"; u.unknownReasonRU = "df не ответил"
        var ok = a
        ok.phase = .ok
        let kinds: [AlertNotification] = [.firing([a]), .firing([a, u]), .reminders([a, u]), .resolved([a], at: now.addingTimeInterval(900)),
                                          .resolved([a, u], at: now.addingTimeInterval(900)), .flapping(a), .settled(a), .settled(ok),
                                          .unknown([u]), .known([a])]
        for n in kinds {
            let out = Language.$current.withValue(.ru) { renderer.render(n) }
            #expect(!out.isEmpty)
            for m in out {
                let texts = [m.html] + (m.annotations ?? [:]).values.sorted() + m.buttons.flatMap { $0 }.map(\.text)
                for t in texts { #expect(ruProblems(t, allow: ["df"]).isEmpty, "\(n): \(ruProblems(t, allow: ["df"])) in \(t)") }
                #expect(m.language == .ru)
            }
        }
        // The same in English is what it always was.
        let en = Language.$current.withValue(.en) { renderer.render(.firing([a])) }
        #expect(en.first?.html.hasPrefix("🚨 <b>Alert firing</b>") == true && en.first?.html.contains("92 % used") == true)
        #expect(en.first?.buttons.flatMap { $0 }.map(\.text).contains("🛠 Show disk") == true)
    }

    /// The outbox's own note on a delayed message follows the message's language.
    @Test func delayNoteAndDeliveryCheckInRussian() async throws {
        let clock = ManualClock()
        let (base, _) = try TestApp.make(configYAML: ruAlertsYAML(alertsLanguage: "ru"), clock: clock)
        let flaky = FlakyTransport()
        let app = AppContext(config: base.config, store: base.store, clock: clock, transport: flaky, catalog: base.catalog, wiring: Features.build(base.config))
        let svc = try app.alertsFeature.service()
        flaky.mode.withLock { $0 = .down }
        svc.submit("schema", [CheckResult(check: "schema", target: "db", status: .critical, message: Said("drift", "схема разошлась"))])
        svc.evaluateRound()
        for _ in 0..<40 { await svc.deliver(app); clock.advance(by: 10) }
        let waiting = await Language.$current.withValue(.ru) { await AlertDeliveryCheck(alerts: app.alertsFeature).run(app) }
        #expect(waiting.first?.summary(.ru).contains("ждёт отправки") == true, "\(waiting)")
        #expect(waiting.first?.summary.contains("alert message(s) waiting") == true, "logs and the CLI stay English")
        flaky.mode.withLock { $0 = .up }
        for _ in 0..<60 { await svc.deliver(app); clock.advance(by: 1) }
        let sent = try #require(flaky.inner.events.compactMap { if case .sent(_, _, let r) = $0 { r.html } else { nil } }.first)
        #expect(sent.contains("(задержка") && sent.contains("Telegram недоступен"), "\(sent)")
        #expect(ruProblems(sent).isEmpty, "\(ruProblems(sent))")
    }
}
