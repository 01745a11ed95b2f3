import Charts
import Foundation
import Testing
import TelegramBotAPI
import TestHarness
import OpsbotServices
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotAlerts
@testable import OpsbotGraphs
@testable import Charts

/// Issue 22 for `/graph`: every reply, caption and refusal in Russian through the loopback Bot
/// API (no English words, valid HTML, within Telegram's limits), Russian plurals and units in
/// the captions, the text fallback, and the catalogs themselves.
@Suite(.ownThreads) struct GraphRussianTests {
    static let token = "123456789:" + "AAFakeTokenForGraphRussian_abcdefg"

    func make(_ clock: ManualClock) throws -> (FakeBotAPI, AppContext, Router) {
        let fake = try FakeBotAPI(token: Self.token)
        let (base, _) = try TestApp.make(configYAML: """
            admins:
              chats: [-100]
              users: [1]
            language: auto
            timezone: Europe/Berlin
            services:
              worker:
                backend: process
                match: 'python worker\\.py'
              web:
                backend: process
                match: 'gunicorn'
                health:
                  - name: healthz
                    url: http://127.0.0.1:9/healthz
                    slow: 2s
            """, clock: clock)
        let transport = TelegramTransport(api: BotAPI(baseURL: fake.baseURL, token: Self.token, requestTimeout: 10), documentThreshold: 12_000)
        let app = AppContext(config: base.config, store: base.store, clock: clock, transport: transport, catalog: base.catalog, wiring: Features.build(base.config))
        return (fake, app, Router(app: app, progressDelay: 30))
    }

    /// 3 h of `/var` filling 6 %/h from 60 %, `/` flat at 30 %, the worker's memory growing
    /// 60 MB a minute, web's health latency, pending payments and firing alerts.
    func fill(_ app: AppContext, _ clock: ManualClock) {
        for i in 0..<180 {
            app.store.history.record([("disk:/var", 60 + 6 * Double(i) / 60), ("disk:/", 30), ("inodes:/var", 12.5),
                                      ("memory:worker", 300 + 60 * Double(i)), ("latency:web:healthz", 120 + Double(i % 7) * 10.5),
                                      ("payments:pending", Double(i / 40)), ("alerts:firing", Double(i % 3))], at: clock.now())
            clock.advance(by: 60)
        }
    }

    /// What opsbot said in chat -100 after call `since`: messages and captions, as sent (HTML).
    func said(_ fake: FakeBotAPI, since: Int) -> [(method: String, html: String)] {
        fake.calls.dropFirst(since).filter { ($0.method == "sendMessage" || $0.method == "sendPhoto") && $0.status == 200 }
            .map { ($0.method, $0.fields["text"] ?? $0.fields["caption"] ?? "") }
    }

    func expectRussian(_ html: String, _ what: String, allow: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(RussianText.englishWords(in: html, allow: allow).isEmpty, "\(what): English \(RussianText.englishWords(in: html, allow: allow)) in: \(html)", sourceLocation: sourceLocation)
        #expect(RussianText.htmlProblems(html).isEmpty, "\(what): \(RussianText.htmlProblems(html)) in: \(html)", sourceLocation: sourceLocation)
    }

    @Test func everyGraphReplyInRussian() async throws {
        let clock = ManualClock()
        let (fake, app, router) = try make(clock)
        defer { fake.stop() }
        fill(app, clock)
        let commands: [(String, String)] = [
            ("/graph", "sendMessage"), ("/graph disk", "sendPhoto"), ("/graph disk / 7d", "sendPhoto"), ("/graph inodes", "sendPhoto"),
            ("/graph memory worker 24h", "sendPhoto"), ("/graph latency web 6h", "sendPhoto"), ("/graph restarts 7d", "sendPhoto"),
            ("/graph restarts worker", "sendPhoto"), ("/graph payments 30d", "sendPhoto"), ("/graph alerts 7d", "sendPhoto"),
            // refusals and errors
            ("/graph cpu", "sendMessage"), ("/graph disk 90d", "sendMessage"), ("/graph disk / 7d extra", "sendMessage"),
            ("/graph payments worker", "sendMessage"), ("/graph disk /nope", "sendMessage"), ("/graph memory", "sendMessage"),
            ("/graph memory web", "sendMessage"), ("/graph latency", "sendMessage"), ("/graph latency worker", "sendMessage"),
        ]
        var replies: [String: String] = [:]
        for (i, (cmd, method)) in commands.enumerated() {
            let before = fake.calls.count
            await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: Int64(i + 1), text: cmd, languageCode: "ru")))
            let out = said(fake, since: before)
            let reply = try #require(out.last, "\(cmd): nothing sent")
            #expect(reply.method == method, "\(cmd): \(reply.method) \(reply.html)")
            expectRussian(reply.html, cmd, allow: ["healthz"])
            #expect(HTML.toPlainText(reply.html).count <= (method == "sendPhoto" ? 1024 : 4096), "\(cmd): too long")
            replies[cmd] = HTML.toPlainText(reply.html)
        }
        // The caption of the disk chart: the projection in Russian, with units and a decimal comma.
        let disk = try #require(replies["/graph disk"])
        #expect(disk.hasPrefix("Заполнение диска /var за 24 часа\n"), "\(disk)")
        // 78 % after 3 h at +6 %/h: 22 points to go = 3 h 40 min.
        #expect(disk.contains("Заполнится через ~3 ч 40 мин при нынешнем темпе (+6,0 %/ч за последний час)"), "\(disk)")
        #expect(disk.contains("Сейчас 77,9 % · мин 60 % · сред"), "\(disk)")
        #expect(disk.contains("Другие разделы: / — /graph disk <раздел>"), "\(disk)")
        #expect(disk.contains("График (линия): заполнение диска /var за 24 часа, от 60 % до 77,9 %; линии: предупреждение 85 %, критично 95 %; пунктир — прогноз по тренду; время по Europe/Berlin."), "\(disk)")
        #expect(try #require(replies["/graph disk / 7d"]).contains("Заполнение диска / за 7 дней") && replies["/graph disk / 7d"]!.contains("Не заполняется (+0,0 %/ч за последний час)"))
        let memory = try #require(replies["/graph memory worker 24h"])
        #expect(memory.contains("Память worker за 24 часа") && memory.contains("МБ"), "\(memory)")
        if let ram = Projection.machineMemoryMB(), ram > 11_000 {
            #expect(memory.contains("Упрётся в RAM машины (\(Int(ram)) МБ) через ~") && memory.contains("(+3600 МБ/ч за последний час)"), "\(memory)")
        }
        #expect(try #require(replies["/graph latency web 6h"]).contains("Время ответа web healthz за 6 часов"))
        #expect(try #require(replies["/graph latency web 6h"]).contains("линии: медленно: 2 с"))
        #expect(try #require(replies["/graph restarts 7d"]).contains("Перезапуски по дням за 7 дней\n0 перезапусков за 7 дней"))
        #expect(try #require(replies["/graph restarts worker"]).contains("Перезапуски worker по часам за 24 часа"))
        #expect(try #require(replies["/graph payments 30d"]).contains("Зависшие платежи за 30 дней"))
        #expect(try #require(replies["/graph alerts 7d"]).contains("Активные алерты за 7 дней"))
        #expect(try #require(replies["/graph"]).contains("/graph disk [раздел]") && replies["/graph"]!.contains("(/, /var)"))
        #expect(try #require(replies["/graph disk /nope"]).contains("Нет истории для раздела /nope (есть: /, /var)"))
        #expect(try #require(replies["/graph disk 90d"]).contains("Период 90d вне диапазона"))
        #expect(try #require(replies["/graph memory web"]).contains("Нет истории памяти для web (история есть у: worker)"))
        #expect(try #require(replies["/graph cpu"]).hasPrefix("Графика cpu нет.\n\nЧто умеет рисовать /graph"))

        // The same chat in English (no language_code): the English texts, unchanged.
        let before = fake.calls.count
        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 99, text: "/graph disk")))
        let en = HTML.toPlainText(try #require(said(fake, since: before).last).html)
        #expect(en.contains("Full in ~3 h 40 min at the last hour's rate (+6.0 %/h)") && en.contains("Now 77.9 %"), "\(en)")
    }

    /// The picture itself is drawn in the asker's language: its title, thresholds and axis differ.
    @Test func thePictureIsDrawnInRussian() throws {
        let clock = ManualClock()
        let (fake, app, _) = try make(clock)
        defer { fake.stop() }
        fill(app, clock)
        let b = ChartBuilder(history: app.store.history, services: nil, store: app.store, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let ru = try b.build(.disk, target: "/var", period: 7 * 86400, now: clock.now(), language: .ru)
        #expect(ru.spec.language == .ru && ru.spec.title == "Заполнение диска /var за 7 дней")
        #expect(ru.spec.thresholds.map(\.label) == ["предупреждение 85 %", "критично 95 %"])
        let en = try b.build(.disk, target: "/var", period: 7 * 86400, now: clock.now(), language: .en)
        #expect(en.spec.title == "Disk used on /var — the last 7 d" && en.spec.thresholds.map(\.label) == ["warning 85 %", "critical 95 %"])
        let memory = try b.build(.memory, target: "worker", period: 86400, now: clock.now(), language: .ru)
        #expect(memory.spec.unit == "МБ")
        // The fallback rows: Russian month names in the chart's zone, decimal commas.
        #expect(ru.fallback.split(separator: "\n").allSatisfy { $0.range(of: #"^\d{1,2} (янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек) \d\d:\d\d  \d+(,\d)? %$"#, options: .regularExpression) != nil }, "\(ru.fallback)")
        let png = try ChartRenderer.png(ru.spec)
        #expect(try ChartRenderer.decode(png).width == 1000)
        #expect(try ChartRenderer.png(en.spec) != png)
    }

    /// When the picture cannot be drawn (no libcairo), the reply is the Russian text summary.
    @Test func textFallbackInRussian() throws {
        let clock = ManualClock()
        let (fake, app, _) = try make(clock)
        defer { fake.stop() }
        fill(app, clock)
        let b = ChartBuilder(history: app.store.history, services: nil, store: app.store, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let chart = try b.build(.disk, target: nil, period: 86400, now: clock.now(), language: .ru)
        // The reply is built on a blocking thread, where the asker's task-local language is gone:
        // it must follow the chart's.
        let reply = GraphFeature.reply(chart, filename: "disk.png") { _ in throw ChartError("cannot load libcairo.so.2 (install libcairo2)") }
        #expect(reply.attachment == nil)
        expectRussian(reply.html, "fallback")
        let text = HTML.toPlainText(reply.html)
        #expect(text.contains("Заполнение диска /var за 24 часа") && text.contains("Заполнится через ~3 ч 40 мин"), "\(text)")
        #expect(text.contains("(график нарисовать не удалось: cannot load libcairo.so.2 (install libcairo2))"), "\(text)")
        #expect(text.contains(" дек ") || text.contains(" янв ") || text.range(of: #"\d (янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек) "#, options: .regularExpression) != nil, "\(text)")
        #expect(!text.contains("График (линия)"), "the alt text is for the picture only")
    }

    /// Russian is longer: a caption that grows past 1024 characters is cut to fit, in valid HTML.
    @Test func longRussianCaptionStaysWithinTelegramsLimit() throws {
        let clock = ManualClock()
        let (fake, app, _) = try make(clock)
        defer { fake.stop() }
        let mounts = (0..<40).map { "/srv/volumes/tenant-\($0)-data&logs" }
        for _ in 0..<60 {
            app.store.history.record([("disk:/var", 50)] + mounts.map { ("disk:\($0)", 40) }, at: clock.now())
            clock.advance(by: 60)
        }
        let b = ChartBuilder(history: app.store.history, services: nil, store: app.store, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let ru = try b.build(.disk, target: nil, period: 86400, now: clock.now(), language: .ru)
        let en = try b.build(.disk, target: nil, period: 86400, now: clock.now(), language: .en)
        #expect(HTML.toPlainText(ru.caption).count > 900, "the list of other mounts makes it long: \(ru.caption.count)")
        #expect(ru.caption.count <= 1024 && en.caption.count <= 1024, "ru \(ru.caption.count), en \(en.caption.count)")
        #expect(RussianText.htmlProblems(ru.caption).isEmpty, "\(RussianText.htmlProblems(ru.caption))")
        #expect(ru.caption.hasSuffix("…"))
    }

    /// The chart that goes with a `disk_fill` alert, pushed in the alert's language.
    @Test func alertChartInRussian() async throws {
        let clock = ManualClock()
        let (fake, app, _) = try make(clock)
        defer { fake.stop() }
        fill(app, clock)
        let feature = GraphFeature(config: app.config, services: nil)
        let reply = try #require(await Language.$current.withValue(.ru) { await feature.alertChart(check: "disk_fill", target: "/var", app: app) })
        expectRussian(reply.html, "alert chart")
        #expect(HTML.toPlainText(reply.html).hasPrefix("Заполнение диска /var за 6 часов"), "\(reply.html)")
        #expect(reply.html.count <= 1024)
    }

    @Test func russianPluralsAndUnitsInCaptions() {
        func ru(_ m: GraphText) -> String { HTML.toPlainText(m.russian) }
        #expect(ru(.restartCount(count: 1, period: 3600)) == "1 перезапуск за 1 час")
        #expect(ru(.restartCount(count: 2, period: 2 * 3600)) == "2 перезапуска за 2 часа")
        #expect(ru(.restartCount(count: 5, period: 5 * 3600)) == "5 перезапусков за 5 часов")
        #expect(ru(.restartCount(count: 21, period: 21 * 86400)) == "21 перезапуск за 21 день")
        #expect(ru(.restartCount(count: 22, period: 22 * 86400)) == "22 перезапуска за 22 дня")
        #expect(ru(.restartCount(count: 25, period: 25 * 86400)) == "25 перезапусков за 25 дней")
        #expect(ru(.restartCount(count: 11, period: 5400)) == "11 перезапусков за 1 ч 30 мин")
        #expect(ru(.fillsIn(seconds: 90, ratePerHour: 40, window: 3600)) == "Заполнится через ~2 мин при нынешнем темпе (+40,0 %/ч за последний час)")
        #expect(ru(.fillsIn(seconds: 3 * 3600, ratePerHour: 2.25, window: 1800)) == "Заполнится через ~3 ч при нынешнем темпе (+2,2 %/ч за последние 30 мин)"
                || ru(.fillsIn(seconds: 3 * 3600, ratePerHour: 2.25, window: 1800)) == "Заполнится через ~3 ч при нынешнем темпе (+2,3 %/ч за последние 30 мин)")
        #expect(ru(.fillsIn(seconds: 2 * 86400 + 4 * 3600, ratePerHour: 0.5, window: 3600)).hasPrefix("Заполнится через ~2 д 4 ч "))
        #expect(ru(.reachesRAM(ramMB: 2000, seconds: 45 * 60, ratePerHour: 120, window: 3600)) == "Упрётся в RAM машины (2000 МБ) через ~45 мин при нынешнем темпе (+120 МБ/ч за последний час)")
        #expect(ru(.alt(ChartAlt(subject: .restarts(service: nil, perHour: true), period: 86400, bars: true, from: nil, to: nil, unit: .count,
                                 thresholds: [], projection: false, marks: 1, zone: "UTC")))
                == "График (столбцы): перезапуски за 24 часа; 1 отметка перезапусков и деплоев; время по UTC.")
        #expect(ru(.alt(ChartAlt(subject: .latency(service: "web", endpoint: "healthz"), period: 3600, bars: false, from: 12.5, to: 1500, unit: .ms,
                                 thresholds: ["медленно: 2 с"], projection: false, marks: 5, zone: "UTC")))
                == "График (линия): время ответа web за 1 час, от 12,5 мс до 1500 мс; линии: медленно: 2 с; 5 отметок перезапусков и деплоев; время по UTC.")
        #expect(ru(.summary(now: 512, min: 0.5, avg: 99.95, max: 1024, unit: .mb)) == "Сейчас 512 МБ · мин 0,5 МБ · сред 100,0 МБ · макс 1024 МБ"
                || ru(.summary(now: 512, min: 0.5, avg: 99.95, max: 1024, unit: .mb)) == "Сейчас 512 МБ · мин 0,5 МБ · сред 99,9 МБ · макс 1024 МБ")
    }

    @Test func catalogsAreComplete() {
        let graph = RussianText.catalogProblems(GraphText.self, source: "Sources/OpsbotGraphs/Messages/GraphText.swift")
        #expect(graph.isEmpty, "\(graph.joined(separator: "\n"))")
        #expect(RussianText.messageCount(GraphText.self, source: "Sources/OpsbotGraphs/Messages/GraphText.swift") == GraphText.samples.count)
        let chart = RussianText.catalogProblems(ChartText.self, source: "Sources/Charts/Messages/ChartText.swift")
        #expect(chart.isEmpty, "\(chart.joined(separator: "\n"))")
        #expect(RussianText.messageCount(ChartText.self, source: "Sources/Charts/Messages/ChartText.swift") == ChartText.samples.count)
        // Every kind's line of the list, every subject's title, every unit: in Russian.
        for k in ChartBuilder.Kind.allCases {
            let line = GraphText.listLine(kind: k, targets: ["worker"]).russian
            #expect(RussianText.englishWords(in: line).isEmpty, "\(line)")
        }
        let subjects: [ChartSubject] = [.disk(mount: "/var"), .inodes(mount: "/var"), .memory(service: "worker"), .latency(service: "web", endpoint: "healthz"),
                                        .restarts(service: nil, perHour: false), .restarts(service: "web", perHour: true), .payments, .alerts]
        for s in subjects {
            for m in [GraphText.title(subject: s, period: 86400), .alt(ChartAlt(subject: s, period: 86400, bars: false, from: 1, to: 2, unit: .count, thresholds: [], projection: false, marks: 0, zone: "UTC"))] {
                #expect(RussianText.englishWords(in: HTML.escape(m.russian), allow: ["healthz"]).isEmpty, "\(m.russian)")
            }
        }
        for k in [ChartBuilder.Kind.disk, .inodes] {
            #expect(RussianText.englishWords(in: GraphText.noHistory(kind: k).russian).isEmpty)
        }
        #expect(GraphText.unit(.ms).russian == "мс" && GraphText.unit(.percent).russian == "%" && GraphText.unit(.count).russian.isEmpty)
    }
}
