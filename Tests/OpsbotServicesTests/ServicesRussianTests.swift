import Foundation
import Testing
@testable import OpsbotCore
import OpsbotSupport
import SystemOps
import TestHarness
import TestKit
@testable import OpsbotApp
@testable import OpsbotServices

/// Issue 22: the services commands and checks in Russian, through the same paths the English
/// tests take; every reply free of English outside code, paths and technical terms, valid HTML,
/// counts with the right Russian plural.
@Suite(.exclusive) struct ServicesRussianTests {
    static let token = "123456789:AAH" + String(repeating: "x", count: 32)

    /// Runs `body` as a Russian-speaking admin's message (or button press) would run.
    static func ru<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        try await Language.$current.withValue(.ru) { try await body() }
    }

    /// English words in a reply, HTML problems, and the whole text for the failure message.
    static func check(_ html: String, allow: Set<String> = [], _ where_: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        let words = RussianText.englishWords(in: html, allow: allow)
        #expect(words.isEmpty, "\(where_): English in Russian: \(words) — \(html)", sourceLocation: sourceLocation)
        let problems = RussianText.htmlProblems(html)
        #expect(problems.isEmpty, "\(where_): \(problems) — \(html)", sourceLocation: sourceLocation)
    }

    static func html(_ o: CommandOutcome) -> String {
        switch o {
        case .reply(let r): r.html
        case .confirm(let p): p.preview + "\n" + HTML.escape(p.confirmLabel)
        case .choose(let p, let c): p + "\n" + c.map { HTML.escape($0.label) }.joined(separator: "\n")
        }
    }

    // MARK: - Catalogs

    @Test func servicesCatalogHasEveryMessageInBothLanguages() {
        let source = "Sources/OpsbotServices/Messages/ServicesText.swift"
        let problems = RussianText.catalogProblems(ServicesText.self, source: source)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(ServicesText.self, source: source) == ServicesText.samples.count)
    }

    @Test func conflictsCatalogHasEveryMessageInBothLanguages() {
        let source = "Sources/OpsbotServices/Messages/ConflictsText.swift"
        let problems = RussianText.catalogProblems(ConflictsText.self, source: source)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(ConflictsText.self, source: source) == ConflictsText.samples.count)
    }

    @Test func statusCatalogHasEveryMessageInBothLanguages() {
        let source = "Sources/OpsbotServices/Messages/StatusText.swift"
        // Bot API method names (`getMe`) are exact, like the commands.
        let problems = RussianText.catalogProblems(StatusText.self, source: source, allow: ["getMe", "getWebhookInfo"])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(StatusText.self, source: source) == StatusText.samples.count)
    }

    @Test func pluralsInMessages() {
        #expect(ServicesText.logsHeader(service: "worker", got: 5).russian == "worker: 5 последних строк")
        #expect(ServicesText.logsHeader(service: "worker", got: 21).russian == "worker: 21 последняя строка")
        #expect(ServicesText.logsHeader(service: "worker", got: 22).russian == "worker: 22 последние строки")
        #expect(ServicesText.logsAllThereIs(got: 21, inWindow: false, asked: 100).russian == "это всё, что есть: 21 строка (запрошено 100)")
        #expect(StatusText.problems(count: 1).russian == "<b>1 проблема</b>")
        #expect(StatusText.problems(count: 3).russian == "<b>3 проблемы</b>")
        #expect(StatusText.problems(count: 25).russian == "<b>25 проблем</b>")
        #expect(StatusText.restartsLastHour(service: "worker", count: 21).russian == "worker: 21 перезапуск за последний час")
        #expect(StatusText.pendingUpdates(count: 12).russian == "в очереди 12 апдейтов")
        #expect(ConflictsText.instancesTooMany(count: 2).russian.contains("работает 2 экземпляра"))
        #expect(StatusText.checkedIn(seconds: 1.25).russian.contains("1,2 с") || StatusText.checkedIn(seconds: 1.25).russian.contains("1,3 с"))
        #expect(ServicesText.fullIn(seconds: 12_000, window: 3600, rate: 2.1).russian == "📈 заполнится через ~3 ч 20 мин при темпе последнего часа (+2,1 %/ч)")
    }

    // MARK: - /status

    @Test func statusInRussian() async throws {
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/healthz", .ok())
        server.route("/bad", .status(503, "down"))
        server.route("/slow", .slow(0.6))
        server.route("/hang", .never)
        server.route("/bot\(Self.token)/getMe", .json(#"{"ok":true,"result":{"id":1,"is_bot":true,"username":"shop_bot"}}"#))
        server.route("/bot\(Self.token)/getWebhookInfo", .json(#"{"ok":true,"result":{"url":"https://old.example.com/hook","pending_update_count":12}}"#))
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/ok.sh", "exit 0", executable: true)
        let app = try ServicesTest.app("""
        services:
          web:
            backend: command
            status_command: [/bin/sh, \(dir)/ok.sh]
            health:
              - {name: direct, url: "\(server.url("/healthz"))", timeout: 2s}
              - {name: nginx, url: "\(server.url("/bad"))", timeout: 2s}
              - {name: slow, url: "\(server.url("/slow"))", timeout: 2s, slow: 300ms}
              - {name: hung, url: "\(server.url("/hang"))", timeout: 1s}
        target_bot:
          token_env: TARGET_TOKEN
          api_url: "http://127.0.0.1:\(server.port)"
          timeout: 2s
        dependencies:
          - {name: local-api, url: "\(server.url("/healthz"))", timeout: 1s}
          - {name: closed-port, tcp: "127.0.0.1:1", timeout: 1s}
          - {name: nowhere, dns: "no-such-host.invalid", timeout: 2s}
        """, environment: ["TARGET_TOKEN": Self.token])
        let html = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/status") })).html
        let text = HTML.toPlainText(html)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("6 проблем"), "\(text)")
        #expect(text.contains("web:nginx 503 за"), "\(text)")
        #expect(text.contains("web:hung нет ответа за 1 с"))
        #expect(text.contains("web:slow медленно"))
        #expect(text.contains("задан вебхук (https://old.example.com/hook), а бот сам забирает апдейты"))
        #expect(text.contains("closed-port: не удалось подключиться"))
        #expect(text.contains("nowhere: имя не резолвится"))
        #expect(text.contains("бот: @shop_bot в порядке, вебхук задан, в очереди 12 апдейтов"), "\(text)")
        #expect(text.contains("в порядке: web direct 200 за"))
        #expect(lines[1].hasPrefix("🔴 доступность:"), "\(text)")
        // strerror's text is the C library's (English on this machine): the one exact part allowed.
        // Besides strerror: the endpoint and dependency names of the config above, and the alert
        // delivery check's summary (OpsbotAlerts' own catalog).
        Self.check(html, allow: ["connection", "refused", "direct", "closed", "port", "nowhere", "local", "alert", "outbox", "empty"], "/status")
        // The stored English summary stays for logs and `opsbot check`.
        let checks = await app.checks.named("health")!.run(app)
        let nginx = try #require(checks.first { $0.target == "web:nginx" })
        #expect(nginx.summary.hasPrefix("web:nginx 503 in") && nginx.summary(.ru).hasPrefix("web:nginx 503 за"))
        // The same app in English is unchanged.
        let en = HTML.toPlainText(try #require(ServicesTest.reply(try await ServicesTest.run(app, "/status"))).html)
        #expect(en.hasPrefix("6 problems") && en.contains("bot: @shop_bot ok, webhook set, 12 pending"), "\(en)")
    }

    // MARK: - /logs

    @Test func logsInRussian() async throws {
        let dir = ServicesTest.dir()
        var lines = (1...20).map { "\(ServicesTest.stamp()) - INFO - <b>update</b> \($0) handled" }
        lines.append("\(ServicesTest.stamp()) - ERROR - db connect failed")
        try ServicesTest.write("\(dir)/worker.log", lines.joined(separator: "\n") + "\n")
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: process
            match: 'no-such-process-\(UUID().uuidString)'
            log_file: \(dir)/worker.log
        service_options:
          max_lines: 500
        """)
        let five = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker 5") }))
        let fiveText = HTML.toPlainText(five.html)
        #expect(fiveText.hasPrefix("worker: 5 последних строк\nпонято как: 5 = число строк"), "\(fiveText)")
        Self.check(five.html, "/logs worker 5")

        // All there is: 21 lines of 5000 asked.
        let all = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker 5000") }))
        let allText = HTML.toPlainText(all.html)
        #expect(allText.hasPrefix("worker: 21 последняя строка"), "\(allText)")
        #expect(allText.contains("это всё, что есть: 21 строка (запрошено 5000)"), "\(allText)")
        Self.check(all.html, "/logs worker 5000")

        // How the words were read: count, level, window, text.
        let read = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker 200 error 1h db connect") }))
        let readText = HTML.toPlainText(read.html)
        #expect(readText.contains("понято как: 200 = число строк · error = уровень error и выше · 1h = за 1 ч · db connect = фильтр по тексту"), "\(readText)")
        #expect(readText.contains("worker: 1 последняя строка (error, \"db connect\", с "), "\(readText)")
        // `error` and the filter are the words the admin typed, shown back as typed.
        Self.check(read.html, allow: ["error", "connect"], "/logs worker 200 error 1h db connect")

        // Nothing matched.
        let none = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker 10 нет-такого") }))
        #expect(HTML.toPlainText(none.html).hasPrefix("worker: 0 последних строк (\"нет-такого\") — ничего не нашлось"), "\(none.html)")
        Self.check(none.html, "/logs nothing matched")

        // Bad arguments: a zero count, a broken regex.
        let zero = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker 0") }))
        #expect(HTML.toPlainText(zero.html).hasPrefix("число строк должно быть больше нуля, а не 0. Как вызывать: /logs <сервис>"), "\(zero.html)")
        Self.check(zero.html, "/logs worker 0")
        let regex = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker /(/") }))
        #expect(HTML.toPlainText(regex.html).contains("не регулярное выражение, которое принимает opsbot"), "\(regex.html)")
        // LinearRegex's own message is the parser's (English): left out of the word check.
        #expect(RussianText.htmlProblems(regex.html).isEmpty)
    }

    /// Russian is longer: the caption of a long /logs still fits Telegram's 1024 and the file carries all.
    @Test func longLogsGoToAFileWithARussianCaptionUnderTheLimit() async throws {
        let dir = ServicesTest.dir()
        let lines = (1...400).map { "\(ServicesTest.stamp()) - INFO - update \($0) handled by the worker pool number \($0 % 7)" }
        try ServicesTest.write("\(dir)/worker.log", lines.joined(separator: "\n") + "\n")
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: process
            match: 'no-such-process-\(UUID().uuidString)'
            log_file: \(dir)/worker.log
        service_options:
          max_lines: 300
        """)
        let r = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker 5000 1h") }))
        let file = String(decoding: try #require(r.attachment).data, as: UTF8.self)
        #expect(file.split(separator: "\n").count == 300)
        let text = HTML.toPlainText(r.html)
        #expect(text.utf16.count <= 1024, "\(text.utf16.count)")
        #expect(text.hasPrefix("worker: 300 последних строк (с "), "\(text)")
        #expect(text.contains(") — полный вывод в файле; самые новые строки:\nпонято как: 5000 = число строк · 1h = за 1 ч"), "\(text)")
        #expect(text.contains("не больше 300 строк (service_options.max_lines); запрошено 5000"), "\(text)")
        #expect(r.html.contains(HTML.escape(lines.last!)))
        Self.check(r.html, "/logs caption")
    }

    // MARK: - /restart, /scale, /env on Heroku's API (a fake)

    @Test func restartScaleAndEnvInRussian() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let clock = ManualClock()
        let extra = "    env:\n      rules:\n        - {name: TELEGRAM_BOT_TOKEN, format: regex, pattern: '^[0-9]+:[A-Za-z0-9_-]{30,}$'}\n        - {name: ENCRYPTION_SECRET, format: bytes, length: 32}\n        - {name: SENTRY_DSN, required: false}\n"
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url, extra: extra), environment: ["HEROKU_API_KEY": PlatformTest.herokuToken], clock: clock)
        fake.setDynos([("worker.1", "up")])
        fake.state.withLock {
            $0.quantity["worker"] = 1
            $0.config = ["TELEGRAM_BOT_TOKEN": "123456789:AAF" + String(repeating: "q", count: 32), "ENCRYPTION_SECRET": "short-secret-value"]
        }
        // /restart: preview, confirm label, progress, result.
        let plan = try #require(ServicesTest.plan(try await Self.ru { try await ServicesTest.run(app, "/restart worker") }))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.hasPrefix("Перезапустить worker:\n• worker: Heroku API DELETE /apps/habitbot/formations/worker"), "\(preview)")
        #expect(preview.contains("затем до 8 с проверять: работает"), "\(preview)")
        #expect(plan.confirmLabel == "Перезапустить worker")
        Self.check(plan.preview + " " + HTML.escape(plan.confirmLabel), "/restart preview")
        let progress = RecordingProgress()
        let done = await Self.ru { await clock.drive(by: .seconds(1)) { await Language.$current.withValue(.ru) { await plan.run(progress) } } }
        #expect(HTML.toPlainText(done.html).hasPrefix("✅ worker в порядке через"), "\(done.html)")
        #expect(progress.updates.current.first == "⏳ перезапуск worker…", "\(progress.updates.current)")
        Self.check(done.html, "/restart done")
        for u in progress.updates.current { Self.check(u, "/restart progress") }
        // A failure: the dynos crash after the restart.
        fake.state.withLock { $0.restartState = "crashed" }
        let plan2 = try #require(ServicesTest.plan(try await Self.ru { try await ServicesTest.run(app, "/restart worker") }))
        let failed = await clock.drive(by: .seconds(1)) { await Language.$current.withValue(.ru) { await plan2.run(NoProgress()) } }
        #expect(HTML.toPlainText(failed.html).hasPrefix("🔴 worker так и не поднялся за 8 с ("), "\(failed.html)")
        // The state and what the platform said are the backend's words (its own catalog).
        #expect(HTML.toPlainText(failed.html).contains("упал:"), "\(failed.html)")

        // /scale: preview, warnings, confirm label, result.
        let scale = try #require(ServicesTest.plan(try await Self.ru { try await ServicesTest.run(app, "/scale worker 0") }))
        let sp = HTML.toPlainText(scale.preview)
        #expect(sp.hasPrefix("Масштабировать worker до 0:\nHeroku API PATCH") && sp.contains("(heroku ps:scale worker=0 -a habitbot)\nсейчас: задано 1, работает "), "\(sp)")
        #expect(sp.contains("⚠️ 0 останавливает все копии worker."))
        #expect(scale.confirmLabel == "Масштабировать worker до 0")
        Self.check(scale.preview + " " + HTML.escape(scale.confirmLabel), "/scale preview")
        let scaled = await Language.$current.withValue(.ru) { await scale.run(NoProgress()) }
        #expect(HTML.toPlainText(scaled.html).hasPrefix("✅ worker: число dyno 1 → 0\nсейчас: "), "\(scaled.html)")

        // /env: where it was read, each rule, a value never shown.
        let env = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/env worker") }))
        let et = HTML.toPlainText(env.html)
        #expect(et.hasPrefix("🔴 worker (переменные Heroku): в порядке 2 из 3"), "\(et)")
        #expect(et.contains("🔴 ENCRYPTION_SECRET длиной 18 байт, а нужно ровно 32"), "\(et)")
        #expect(et.contains("✅ SENTRY_DSN (необязательная, не задана)"), "\(et)")
        #expect(!et.contains("short-secret-value"))
        Self.check(env.html, "/env")
        let envCheck = await app.checks.named("env")!.run(app)
        #expect(envCheck.first?.summary(.ru) == "worker: правил окружения в порядке 2 из 3 — не проходят: ENCRYPTION_SECRET")
        #expect(envCheck.first?.summary == "worker: 2/3 env rules ok — failing: ENCRYPTION_SECRET")
    }

    // MARK: - /conflicts

    @Test func conflictsInRussian() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let bot = try PlatformConflictsTests.targetBot()
        defer { bot.stop() }
        fake.setDynos([("worker.1", "up"), ("worker.2", "up")])
        fake.state.withLock { $0.quantity["worker"] = 2; $0.logBody = "" }
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url) + PlatformConflictsTests.targetYAML(bot),
                                       environment: ["HEROKU_API_KEY": PlatformTest.herokuToken, "BOT_TOKEN": PlatformConflictsTests.botToken])
        let plan = try #require(ServicesTest.plan(try await Self.ru { try await ServicesTest.run(app, "/conflicts") }))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.hasPrefix("Конфликты worker\n🔴 на Heroku работает 2 дайно worker — Telegram разрешает опрашивать токен только одной"), "\(preview)")
        #expect(preview.contains("✅ вебхук: не задан"))
        #expect(preview.contains("Масштабировать worker до 1:\nHeroku API PATCH") && preview.contains("heroku ps:scale worker=1"), "\(preview)")
        #expect(preview.contains("в логе нет Conflict: terminated by other getUpdates request за последние 15 мин"), "\(preview)")
        #expect(plan.confirmLabel == "Масштабировать до 1")
        // Dyno lines (`worker.1: up`) are the platform's own words.
        Self.check(plan.preview + " " + HTML.escape(plan.confirmLabel), allow: ["dyno", "up", "release"], "/conflicts preview")
    }

    @Test func conflictsOutsideThePlatformInRussian() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let bot = try PlatformConflictsTests.targetBot()
        defer { bot.stop() }
        fake.state.withLock {
            $0.logs = [(FakeHeroku.iso(Date().addingTimeInterval(-60)), "ERROR - TelegramConflictError: Conflict: terminated by other getUpdates request")]
        }
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url) + PlatformConflictsTests.targetYAML(bot),
                                       environment: ["RAILWAY_TOKEN": PlatformTest.railwayToken, "BOT_TOKEN": PlatformConflictsTests.botToken])
        let reply = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/conflicts") }))
        let text = HTML.toPlainText(reply.html)
        #expect(text.contains("✅ на Railway работает 1 реплика worker"), "\(text)")
        #expect(text.contains("🔴 строки о конфликте за последние 15 мин:"), "\(text)")
        #expect(text.contains("🔴 на Railway работает всего 1 реплика, значит второй опрашивающий — вне платформы"), "\(text)")
        // The replica line is the backend's description of the instance (its words, not this catalog's).
        Self.check(reply.html, allow: ["replica", "of", "deployment", "running"], "/conflicts railway")
    }

    // MARK: - /disk, /docker_prune

    @Test func diskAndDockerPruneInRussian() async throws {
        let clock = ManualClock()
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/app.log", String(repeating: "x", count: 4096))
        let server = try RoutedHTTPServer(unixSocket: "\(dir)/docker.sock")
        defer { server.stop() }
        server.route("/system/df", .json(RecordedDocker.systemDF))
        server.route("/containers/json", .json("[]"))
        server.route("/containers/prune", .json(RecordedDocker.pruneContainers))
        server.route("/networks/prune", .json(RecordedDocker.pruneNetworks))
        server.route("/images/prune", .json(RecordedDocker.pruneImages))
        server.route("/build/prune", .json(RecordedDocker.pruneBuild))
        let app = try ServicesTest.app("""
        services:
          worker: {backend: docker, compose_service: worker}
        service_options:
          docker_socket: \(dir)/docker.sock
        disk:
          roots: [\(dir)]
          log_dirs: [\(dir)]
        """, clock: clock)
        // An hour of history in which every mount grows 2 points an hour: "full in …".
        let mounts = DiskUsage.mounts(ignore: DiskConfig().ignoreMounts)
        let now = clock.now()
        for i in 0...60 {
            let t = now.addingTimeInterval(Double(i - 60) * 60)
            app.store.history.record(mounts.map { ("disk:\($0.mountPoint)", 50 + Double(i) / 30) }, at: t)
        }
        let progress = RecordingProgress()
        let disk = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/disk", progress: progress) }))
        let text = HTML.toPlainText(disk.html)
        #expect(text.hasPrefix("Диск\nраздел"), "\(text)")
        if !mounts.isEmpty { #expect(text.contains("📈 заполнится через ~") && text.contains("при темпе последнего часа (+2,0 %/ч)"), "\(text)") }
        #expect(text.contains("Самые большие каталоги") && text.contains("Самые большие логи"), "\(text)")
        #expect(text.contains("можно освободить") && text.contains("→ /docker_prune"), "\(text)")
        #expect(progress.updates.current.first?.hasPrefix("⏳ измеряю диски (до ") == true)
        // The mount table and `docker system df` are in <pre>: columns as the tools print them.
        Self.check(disk.html, "/disk")
        let fill = DiskModule.fillLines(["/nowhere"], DiskConfig(), history: app.store.history, now: now)
        #expect(Language.$current.withValue(.ru) { DiskModule.fillLines(["/nowhere"], DiskConfig(), history: app.store.history, now: now) }["/nowhere"]
                == "скорость заполнения пока неизвестна (нужно 15 мин истории)")
        #expect(fill["/nowhere"] == "fill rate not known yet (needs 15 min of history)")

        let prune = try #require(ServicesTest.plan(try await Self.ru { try await ServicesTest.run(app, "/docker_prune") }))
        let pp = HTML.toPlainText(prune.preview)
        #expect(pp.hasPrefix("Почистить Docker на \(dir)/docker.sock (как docker system prune -f; тома не трогаем):"), "\(pp)")
        #expect(pp.contains("Будут вызваны:") && pp.contains("можно освободить сейчас: около"), "\(pp)")
        #expect(prune.confirmLabel == "Почистить")
        Self.check(prune.preview + " " + HTML.escape(prune.confirmLabel), "/docker_prune preview")
        let pruneProgress = RecordingProgress()
        let pr = await Language.$current.withValue(.ru) { await prune.run(pruneProgress) }
        let prt = HTML.toPlainText(pr.html)
        #expect(prt.hasPrefix("✅ Docker почищен: освобождено"), "\(prt)")
        #expect(prt.contains("containers: удалено 1, освобождено \(RU.size(524288))"), "\(prt)")
        #expect(pruneProgress.updates.current == ["⏳ чищу Docker на <code>\(dir)/docker.sock</code>…"])
        Self.check(pr.html, "/docker_prune result")

        // Docker gone: the refusal says where it looked.
        server.stop()
        let down = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/docker_prune") }))
        #expect(HTML.toPlainText(down.html).hasPrefix("Docker недоступен на \(dir)/docker.sock (service_options.docker_socket): "), "\(down.html)")
    }

    // MARK: - Error paths

    /// A log file that is not there, a target bot whose token is not set, a service without env rules.
    @Test func errorPathsInRussian() async throws {
        let dir = ServicesTest.dir()
        let server = try RoutedHTTPServer()
        defer { server.stop() }
        server.route("/botTOKEN/getMe", .json("{}"))
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: process
            bot: true
            match: 'no-such-process-\(UUID().uuidString)'
            log_file: \(dir)/missing.log
        target_bot:
          token_env: NOT_SET_TOKEN
          api_url: "http://127.0.0.1:\(server.port)"
          timeout: 2s
        """)
        let logs = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/logs worker") }))
        #expect(HTML.toPlainText(logs.html).hasPrefix("Не удалось прочитать логи worker: "), "\(logs.html)")
        #expect(RussianText.htmlProblems(logs.html).isEmpty)

        let conflicts = try await Self.ru { try await ServicesTest.run(app, "/conflicts") }
        let ct = HTML.toPlainText(Self.html(conflicts))
        #expect(ct.contains("⚠️ целевой бот: переменная окружения NOT_SET_TOKEN не задана"), "\(ct)")
        #expect(ct.contains("✅ работает 0 экземпляров"), "\(ct)")
        Self.check(Self.html(conflicts), "/conflicts without a token")

        let status = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/status") })).html
        #expect(HTML.toPlainText(status).contains("бот: целевой бот: переменная окружения NOT_SET_TOKEN не задана"), "\(status)")
        #expect(RussianText.htmlProblems(status).isEmpty)
        let bot = await app.checks.named("target_bot")!.run(app)
        #expect(bot.first?.summary == "target bot: env var NOT_SET_TOKEN is not set", "logs and `opsbot check` keep English")

        let env = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/env") }))
        #expect(HTML.toPlainText(env.html) == "Правила окружения не заданы ни для одного сервиса (services.NAME.env.rules).")
        Self.check(env.html, "/env without rules")
        let one = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(app, "/env worker") }))
        #expect(HTML.toPlainText(one.html) == "у worker нет правил окружения (services.worker.env.rules)")
        Self.check(one.html, "/env worker without rules")

        // A Bot API that answers with something else: the probe says so in Russian.
        let probe = TargetBotProbe(config: try #require(app.servicesFeature.manager().settings.targetBot), environment: ["NOT_SET_TOKEN": "TOKEN"])
        let report = await probe.check()
        #expect(report.errorText?.ru == "getMe: HTTP 200 — это не ответ Bot API" || report.errorText?.ru.hasPrefix("getMe: ") == true, "\(String(describing: report.errorText))")
        #expect(report.error?.hasPrefix("getMe: ") == true)
    }

    // MARK: - /redeploy on Railway, refusals on host backends

    @Test func redeployAndRefusalsInRussian() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url), environment: ["RAILWAY_TOKEN": PlatformTest.railwayToken])
        let plan = try #require(ServicesTest.plan(try await Self.ru { try await ServicesTest.run(app, "/redeploy worker") }))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.hasPrefix("Передеплой worker:\n") && preview.contains("deploymentRedeploy") && preview.contains(", затем до "), "\(preview)")
        #expect(plan.confirmLabel == "Передеплой worker")
        Self.check(plan.preview + " " + HTML.escape(plan.confirmLabel), "/redeploy preview")
        let progress = RecordingProgress()
        let done = await Language.$current.withValue(.ru) { await plan.run(progress) }
        #expect(HTML.toPlainText(done.html).hasPrefix("✅ worker в порядке через"), "\(done.html)")
        #expect(progress.updates.current.first == "⏳ передеплой worker…", "\(progress.updates.current)")

        let host = try ServicesTest.app("services:\n  worker: {backend: command, status_command: [/bin/true]}\n")
        let scale = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(host, "/scale worker 1") }))
        #expect(HTML.toPlainText(scale.html) == "worker работает на бэкенде command, у него нет числа реплик; /scale работает для backend: heroku и backend: railway.")
        Self.check(scale.html, "/scale on a host backend")
        let redeploy = try #require(ServicesTest.reply(try await Self.ru { try await ServicesTest.run(host, "/redeploy worker") }))
        #expect(HTML.toPlainText(redeploy.html) == "worker работает на бэкенде command, передеплоя там нет; используйте /restart worker.")
        Self.check(redeploy.html, "/redeploy on a host backend")
    }

    // MARK: - disk_cleanup (truncate_log, journal_vacuum)

    @Test func cleanupsInRussian() async throws {
        let dir = ServicesTest.dir()
        let log = "\(dir)/error.log"
        try ServicesTest.write(log, String(repeating: "x", count: 200_000))
        let app = try ServicesTest.app("disk:\n  roots: [\(dir)]\n")
        func load(_ yaml: String, _ name: String) throws -> (CatalogCommand, any CommandModule) {
            let loaded = CatalogLoader.load(sources: [("Commands/\(name).yaml", yaml)], registry: app.wiring.modules, config: app.config)
            let entry = try #require(loaded.catalog.entry(name))
            return (entry.command, entry.module)
        }
        let truncate = try load("""
        name: truncate_log
        description: test
        module: disk_cleanup
        confirm: true
        arguments: [{name: file, type: string, required: false}]
        settings:
          files: {nginx_error: \(log)}
        """, "truncate_log")
        let vacuum = try load("""
        name: journal_vacuum
        description: test
        module: disk_cleanup
        confirm: true
        settings:
          argv: [/bin/sh, -c, "echo Vacuuming done"]
          measure: [\(dir)]
          keep: 1K
        """, "journal_vacuum")
        func run(_ c: (CatalogCommand, any CommandModule), _ name: String, _ args: [String: ArgumentValue] = [:]) async throws -> CommandOutcome {
            await Self.ru { await c.1.handle(ModuleContext(app: app, request: CommandRequest(command: c.0, arguments: args, chatID: 1, userID: 1), progress: NoProgress())) }
        }
        let plan = try #require(ServicesTest.plan(try await run(truncate, "truncate_log", ["file": .string("nginx_error")])))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.hasPrefix("Будет выполнено:\ntruncate -s 0 \(log)") && preview.contains("\nосвободит около "), "\(preview)")
        #expect(plan.confirmLabel == "Освободить место")
        Self.check(plan.preview + " " + HTML.escape(plan.confirmLabel), "truncate_log preview")
        let done = await Language.$current.withValue(.ru) { await plan.run(NoProgress()) }
        let dt = HTML.toPlainText(done.html)
        #expect(dt.contains("очищен \(log)") && dt.contains("свободно: ") && dt.contains("(освобождено "), "\(dt)")
        Self.check(done.html, "truncate_log result")
        let unknown = try #require(ServicesTest.reply(try await run(truncate, "truncate_log", ["file": .string("nope")])))
        #expect(HTML.toPlainText(unknown.html) == "нет лога «nope» (есть: nginx_error)")
        Self.check(unknown.html, allow: ["nope"], "truncate_log unknown")

        let vplan = try #require(ServicesTest.plan(try await run(vacuum, "journal_vacuum")))
        #expect(HTML.toPlainText(vplan.preview).contains("освободит около"), "\(vplan.preview)")
        let progress = RecordingProgress()
        let vdone = await Language.$current.withValue(.ru) { await vplan.run(progress) }
        let vt = HTML.toPlainText(vdone.html)
        #expect(vt.contains("/bin/sh -c 'echo Vacuuming done': код выхода 0 за ") || vt.contains(": код выхода 0 за "), "\(vt)")
        #expect(progress.updates.current.first?.hasPrefix("⏳ выполняю <code>") == true, "\(progress.updates.current)")
        Self.check(vdone.html, "journal_vacuum result")
    }

    // MARK: - Check summaries kept in both languages

    /// Log patterns and the heartbeat: the English summary for logs, the Russian one for the chat.
    @Test func logAndHeartbeatSummariesInBothLanguages() throws {
        let now = Date()
        let cfg = try #require(try ServicesTest.app("""
            services:
              worker:
                backend: process
                match: 'nothing-\(UUID().uuidString)'
                heartbeat_marker: 'tick'
                heartbeat_max_age: 5m
            """).servicesFeature.manager().settings.service("worker"))
        let pattern = LogPattern(name: "payment_failed", regex: try ConfigRegex("payment failed"), window: 900, warn: 1, critical: 5)
        let lines = (0..<22).map { LogLine("ERROR payment failed \($0)", time: now.addingTimeInterval(-60)) }
        let results = StatusCollector.evaluate(cfg, patterns: [pattern], lines: lines, now: now)
        let hits = try #require(results.first { $0.check == "log_pattern" })
        #expect(hits.summary == "worker: 22 × payment_failed in the last 15 min")
        #expect(hits.summary(.ru) == "worker: 22 × payment_failed за последние 15 мин")
        let hb = try #require(results.first { $0.check == "heartbeat" })
        #expect(hb.summary == "worker: no /tick/ line in the last 5 min")
        #expect(hb.summary(.ru) == "worker: ни одной строки /tick/ за последние 5 мин")
        for r in results { Self.check(HTML.escape(r.summary(.ru)), allow: ["tick"], r.check) }
    }
}
