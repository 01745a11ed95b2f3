import Foundation
import Testing
@testable import OpsbotCore
import OpsbotSupport
import HTTPClient
import SystemOps
import TestHarness
@testable import OpsbotServices

/// Issue 22: what the backends say in the chat (errors, status details, restart results) in
/// Russian, from real failures; the English (logs, `\(error)`) exactly as before.
@Suite(.exclusive) struct BackendRussianTests {
    /// Identifiers the Russian keeps as the platforms and config spell them.
    static let allow: Set<String> = [
        "dyno", "formation", "quantity", "permission", "oauth", "scope", "read", "write", "view", "operate", "deploy", "protected",
        "unauthorized", "forbidden", "ratelimit", "remaining", "restartcount", "engine", "dashboard", "deployments", "restart",
        "redeploy", "service", "settings", "scaling", "deploymentrestart", "deploymentredeploy", "serviceinstanceupdate",
        "numreplicas", "sigterm", "sigkill", "kill", "remote", "serverless", "config", "vars", "logplex", "match", "data",
        "serviceinstance", "variables", "forced", "command", "success", "crashed", "running", "init", "true", "term", "false",
        "inactive", "active", "dead", "get", "post", "patch", "hosts", "user", "root", "run", "sleeper", "ghost", "backend", "process", "uid", "logs", "status", "statuses",
    ]

    /// A chat text as the command modules show an error (escaped), checked as Russian.
    static func expectRussian(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let html = HTML.escape(text)
        #expect(!text.isEmpty, "\(what): empty", sourceLocation: sourceLocation)
        #expect(text.contains { ("а"..."я").contains($0) || ("А"..."Я").contains($0) }, "\(what): no Russian: \(text)", sourceLocation: sourceLocation)
        let words = RussianText.englishWords(in: html, allow: allow)
        #expect(words.isEmpty, "\(what): English \(words) in \(text)", sourceLocation: sourceLocation)
        #expect(RussianText.htmlProblems(html).isEmpty, "\(what): \(RussianText.htmlProblems(html))", sourceLocation: sourceLocation)
    }

    static func ru(_ error: any Error) -> String { Language.$current.withValue(.ru) { ChatError.text(error) } }

    // MARK: - Catalogs

    @Test func backendCatalogHasEveryMessageInBothLanguages() {
        // `<base64url JSON>` in a protocol refusal is plain text (escaped where it is shown), not a tag.
        let problems = RussianText.catalogProblems(BackendText.self, source: "Sources/OpsbotServices/Messages/BackendText.swift", allow: Self.allow)
            .filter { !$0.hasPrefix("BackendText.remoteNotARequest (") }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(BackendText.self, source: "Sources/OpsbotServices/Messages/BackendText.swift") == BackendText.samples.count)
    }

    @Test func httpCatalogHasEveryMessageInBothLanguages() {
        let problems = RussianText.catalogProblems(HTTPText.self, source: "Sources/HTTPClient/Messages/HTTPText.swift", allow: ["ssl"])
        // libcurl's own sentence stays as it came (an external text): only its frame is Russian.
        let rest = problems.filter { !$0.hasPrefix("HTTPText.transfer:") }
        #expect(rest.isEmpty, "\(rest.joined(separator: "\n"))")
        #expect(RussianText.messageCount(HTTPText.self, source: "Sources/HTTPClient/Messages/HTTPText.swift") == HTTPText.samples.count)
    }

    /// Coverage: no error, status or result in the backends is built from an English literal any
    /// more; each comes from the catalog (values from outside are its arguments).
    @Test func backendsBuildNoChatTextFromEnglishLiterals() throws {
        let root = Repository.root + "/Sources/OpsbotServices/"
        let pattern = try NSRegularExpression(pattern: #"(BackendError|InstancesUnknown|RemoteRefusal)\("[A-Za-z]|(detail|error|message|reason): "[A-Za-z][a-z]+ |notes\.append\("[A-Za-z]"#)
        var found: [String] = []
        var files = 0
        for dir in ["Backends", "Remote"] {
            let e = FileManager.default.enumerator(atPath: root + dir)
            while let f = e?.nextObject() as? String {
                guard f.hasSuffix(".swift"), let text = try? String(contentsOfFile: root + dir + "/" + f, encoding: .utf8) else { continue }
                files += 1
                for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let l = String(line)
                    if l.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                    if pattern.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)) != nil { found.append("\(dir)/\(f):\(i + 1): \(l)") }
                }
            }
        }
        #expect(files > 15)
        // The one left: `opsbot remote` run by hand without a request (a terminal, never the chat).
        let left = found.filter { !$0.contains("no request: opsbot remote is meant to run as the forced command") }
        #expect(left.isEmpty, "\(left.joined(separator: "\n"))")
    }

    // MARK: - HTTP plain words from a real loopback server

    @Test func aPlatformAPIThatDoesNotAnswerInTimeReadsInRussianAndEnglishStaysTheSame() async throws {
        let server = try LoopbackHTTPServer { _ in
            Thread.sleep(forTimeInterval: 2)
            return .init(status: 200, body: Data("{}".utf8))
        }
        defer { server.stop() }
        let api = PlatformAPI(platform: "Heroku", token: PlatformToken(env: "HEROKU_API_KEY"), environment: ["HEROKU_API_KEY": "t-1"],
                              timeout: 0.5, clock: SystemClock()) { ["Authorization": "Bearer \($0)"] }
        do {
            _ = try await api.send("GET", "http://127.0.0.1:\(server.port)/apps/habitbot/dynos?x=1", permission: .permReadDynos)
            Issue.record("answered")
        } catch {
            #expect("\(error)" == "Heroku API: no answer within 500 ms (GET /apps/habitbot/dynos)", "\(error)")
            let ru = Self.ru(error)
            #expect(ru == "Heroku API: нет ответа за 500 мс (GET /apps/habitbot/dynos)", "\(ru)")
            Self.expectRussian(ru, "timeout")
        }
    }

    @Test func nothingListeningReadsInRussian() async throws {
        // A port nothing listens on: connection refused, said in plain words.
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Data()) }
        let port = server.port
        server.stop()
        do {
            _ = try await HTTPClient.send(HTTPRequest(url: "http://127.0.0.1:\(port)/", connectTimeout: 2, timeout: 2))
            Issue.record("answered")
        } catch let e as HTTPError {
            let en = e.plainWords(timeout: 2)
            #expect(en == "connection refused" || en == "could not connect (nothing listening there, or unreachable)", "\(en)")
            let ru = e.plainWordsMessage(timeout: 2).text(.ru)
            #expect(ru == "в соединении отказано" || ru == "не удалось подключиться (там никто не слушает, или адрес недоступен)", "\(ru)")
            Self.expectRussian(ru, "refused")
        }
    }

    // MARK: - Heroku and Railway fakes answering errors

    @Test func herokuErrorsReadInRussian() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url), environment: ["HEROKU_API_KEY": PlatformTest.herokuToken])
        let b = try #require(try app.servicesFeature.manager().backend("worker") as? HerokuBackend)
        fake.setDynos([("worker.1", "up")])
        let faults: [(Int, String, String)] = [
            (401, #"{"id":"unauthorized","message":"Invalid credentials provided."}"#,
             "Heroku answered 401 Unauthorized: the token in HEROKU_API_KEY is missing, expired or revoked (Invalid credentials provided.)"),
            (403, #"{"id":"forbidden","message":"You do not have access to the app habitbot."}"#,
             "Heroku answered 403 Forbidden to GET /apps/habitbot/dynos: the token in HEROKU_API_KEY lacks the permission to read dynos (OAuth scope read, app permission view) (You do not have access to the app habitbot.)"),
            (404, #"{"id":"not_found","message":"Couldn't find that app."}"#,
             "Heroku: GET /apps/habitbot/dynos: not found (Couldn't find that app.) — check heroku.app and heroku.process_type"),
            (503, #"{"id":"unavailable","message":"API is down for maintenance"}"#,
             "Heroku: GET /apps/habitbot/dynos: HTTP 503: API is down for maintenance"),
        ]
        for (status, body, english) in faults {
            fake.state.withLock { $0.faults = [(status: status, headers: [:], body: body)] }
            do {
                _ = try await b.dynos()
                Issue.record("\(status) answered")
            } catch {
                #expect("\(error)" == english, "\(error)")
                let ru = Self.ru(error)
                // The platform's own message stays as it came; the rest is Russian.
                let own = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["message"] as? String ?? ""
                Self.expectRussian(ru.replacingOccurrences(of: own, with: ""), "\(status)")
                #expect(ru.contains(own), "\(ru)")
                #expect(!ru.contains(PlatformTest.herokuToken))
            }
        }
        // A status whose dynos cannot be listed: unknown, in both languages.
        fake.state.withLock { $0.faults = Array(repeating: (status: 503, headers: [:], body: #"{"message":"down"}"#), count: 3) }
        let st = await b.status()
        #expect(st.state == .unknown)
        #expect(st.detail == "dynos could not be listed")
        Self.expectRussian(st.detailText.ru, "detail")
        Self.expectRussian((st.errorText?.ru ?? "").replacingOccurrences(of: ": down", with: ""), "error")
    }

    @Test func herokuStatusAndRestartNotYetShownReadInRussian() async throws {
        let fake = try FakeHeroku()
        defer { fake.stop() }
        let clock = ManualClock()
        let app = try ServicesTest.app(PlatformTest.herokuYAML(fake.url), environment: ["HEROKU_API_KEY": PlatformTest.herokuToken], clock: clock)
        let b = try #require(try app.servicesFeature.manager().backend("worker"))
        for (dynos, q) in [([("worker.1", "up")], 1), ([("worker.1", "crashed")], 1), ([], 0), ([("worker.1", "up"), ("worker.2", "starting")], 2)] {
            fake.setDynos(dynos)
            fake.state.withLock { $0.quantity["worker"] = q }
            let st = await b.status()
            Self.expectRussian(st.detailText.ru, "\(dynos)")
            if let e = st.errorText { Self.expectRussian(e.ru, "error \(dynos)") }
        }
        fake.setDynos([("worker.1", "up")])
        fake.state.withLock { $0.quantity["worker"] = 1; $0.restartIgnored = true }
        try await b.restart()
        let during = await b.status()
        #expect(during.detail.contains("restart requested; Heroku still reports worker.1 unchanged"), "\(during.detail)")
        let u = try #require(during.restartUnconfirmed)
        #expect(u.unchanged == "Heroku still reports worker.1 unchanged")
        #expect(u.unchangedText.ru == "Heroku всё ещё показывает worker.1 без изменений")
        #expect(during.detailText.ru.hasPrefix("перезапуск запрошен; Heroku всё ещё показывает worker.1 без изменений · 1/1 работают: worker.1 работает"), "\(during.detailText.ru)")
        Self.expectRussian(during.detailText.ru, "restart requested")
        b.endRestartWatch()
    }

    @Test func railwayRefusalsAndANotVerifiableRestartReadInRussian() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let clock = ManualClock()
        // No token: Railway answers "Not Authorized" in a 200.
        let none = try ServicesTest.app(PlatformTest.railwayYAML(fake.url), environment: [:], clock: clock)
        let nb = try #require(try none.servicesFeature.manager().backend("worker"))
        do { try await nb.restart(); Issue.record("restarted without a token") } catch {
            #expect("\(error)" == "no token: set RAILWAY_TOKEN", "\(error)")
            #expect(Self.ru(error) == "нет токена: задайте RAILWAY_TOKEN")
        }
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url), environment: ["RAILWAY_TOKEN": PlatformTest.railwayToken], clock: clock)
        let b = try #require(try app.servicesFeature.manager().backend("worker"))
        fake.state.withLock { $0.errors["opsbotDeploymentRestart"] = ["Not Authorized"] }
        do { try await b.restart(); Issue.record("restarted though refused") } catch {
            #expect("\(error)".hasPrefix("Railway refused the token in RAILWAY_TOKEN (Not Authorized): it needs to restart deployments — a project token"), "\(error)")
            let ru = Self.ru(error)
            #expect(ru.hasPrefix("Railway отказал токену из RAILWAY_TOKEN (Not Authorized): ему нужно право перезапускать деплои"), "\(ru)")
            Self.expectRussian(ru.replacingOccurrences(of: "Not Authorized", with: ""), "refused")
        }
        fake.state.withLock { $0.errors["opsbotServiceStatus"] = ["Service not found"] }
        let unknown = await b.status()
        #expect(unknown.detail == "Railway did not answer" && unknown.error == "Railway: Service not found")
        Self.expectRussian(unknown.detailText.ru, "did not answer")
        // A restart Railway shows no sign of: "restart requested" in Russian, never "failing".
        fake.state.withLock { $0.restartTrace = .nothing }
        try await b.restart()
        let during = await b.status()
        #expect(during.release == "deployment dep-0001" && during.releaseText?.ru == "деплой dep-0001", "\(during)")
        let u = try #require(during.restartUnconfirmed)
        #expect(!u.alwaysVisible)
        #expect(u.unchanged.hasPrefix("Railway shows no sign of it (deployment dep-0001 still SUCCESS"), "\(u.unchanged)")
        #expect(u.unchangedText.ru.hasPrefix("Railway не показывает его следов (деплой dep-0001 всё ещё SUCCESS"), "\(u.unchangedText.ru)")
        Self.expectRussian(during.detailText.ru, "not verifiable")
        b.endRestartWatch()
        // Scale: the result and the preview in the asker's language.
        let sb = try #require(b as? any ScalableBackend)
        let said = try await Language.$current.withValue(.ru) { try await sb.scale(to: 2) }
        #expect(said.hasPrefix("worker: numReplicas 1 → 2. Railway применит это со следующим деплоем"), "\(said)")
        Self.expectRussian(said, "scaled")
        #expect(try await sb.scale(to: 1).hasPrefix("worker: numReplicas 2 → 1. Railway applies it"))
    }

    // MARK: - Local backends: a unit that does not exist, a process with no start command, a missing log

    @Test func aSystemdUnitThatDoesNotExistAndASystemctlThatFailsReadInRussian() async throws {
        let dir = ServicesTest.dir()
        try ServicesTest.write(dir + "/systemctl", "#!/bin/sh\nprintf 'LoadState=not-found\\nActiveState=inactive\\nSubState=dead\\n'\n", executable: true)
        try ServicesTest.write(dir + "/broken", "#!/bin/sh\necho 'Failed to connect to bus: No such file or directory' >&2\nexit 1\n", executable: true)
        for (prog, english) in [("systemctl", "unit ghost.service not found"), ("broken", "systemctl failed")] {
            let app = try ServicesTest.app("""
            services:
              ghost:
                backend: systemd
                unit: ghost.service
            service_options:
              systemctl: [\(dir)/\(prog)]
            """)
            let b = try #require(try app.servicesFeature.manager().backend("ghost"))
            let st = await b.status()
            #expect(st.state == .unknown)
            #expect(st.detail == english, "\(st.detail)")
            Self.expectRussian(st.detailText.ru, prog)
            if prog == "systemctl" {
                #expect(st.detailText.ru == "юнит ghost.service не найден")
            } else {
                #expect(st.error?.hasPrefix("\(dir)/broken show ghost.service --property=") == true, "\(st.error ?? "")")
                #expect(st.errorText?.ru.contains(": код выхода 1 за ") == true, "\(st.errorText?.ru ?? "")")
            }
            if prog == "broken" {
                do { try await b.restart(); Issue.record("restarted") } catch {
                #expect("\(error)".contains(": exit 1 in "), "\(error)")
                #expect(Self.ru(error).contains(": код выхода 1 за "), "\(Self.ru(error))")
                }
            }
        }
    }

    @Test func aProcessServiceWithoutStartAndAMissingLogReadInRussian() async throws {
        let dir = ServicesTest.dir()
        let app = try ServicesTest.app("""
        services:
          sleeper:
            backend: process
            match: 'opsbot-no-such-process-\(UUID().uuidString.prefix(8))'
            log_file: \(dir)/missing.log
        """)
        let b = try #require(try app.servicesFeature.manager().backend("sleeper"))
        let st = await b.status()
        #expect(st.detail == "no matching process")
        #expect(st.detailText.ru == "подходящих процессов нет")
        do { try await b.restart(); Issue.record("restarted") } catch {
            #expect("\(error)" == "sleeper has no start command (services.sleeper.start)")
            #expect(Self.ru(error) == "у sleeper не задана команда запуска (services.sleeper.start)")
        }
        do { _ = try await b.logs(lines: 10, filter: LineFilter()); Issue.record("read a missing log") } catch {
            #expect("\(error)" == "log file \(dir)/missing.log does not exist")
            Self.expectRussian(Self.ru(error), "missing log")
        }
        do { _ = try await b.environment(); Issue.record("read an environment") } catch {
            #expect("\(error)" == "sleeper is not running; its environment cannot be read from /proc")
            Self.expectRussian(Self.ru(error), "env")
        }
        let preview = Language.$current.withValue(.ru) { b.restartDescription }
        #expect(preview.hasPrefix("SIGTERM (SIGKILL через 10 с) процессам, подходящим под /opsbot-no-such-process-"), "\(preview)")
        #expect(b.restartDescription.hasSuffix("/; no start command configured"), "\(b.restartDescription)")
    }

    @Test func dockerStatusInstancesAndStopReadInRussian() async throws {
        let dir = ServicesTest.dir()
        let server = try RoutedHTTPServer(unixSocket: "\(dir)/docker.sock")
        defer { server.stop() }
        server.route("/containers/json", .json("""
        [{"Id":"aaa111aaa111aaa1","Names":["/app-worker-1"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 2 hours (healthy)","Labels":{"com.docker.compose.service":"worker"},"Created":1795420000},
         {"Id":"bbb222bbb222bbb2","Names":["/debug-copy"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 5 minutes","Labels":{},"Created":1795427700}]
        """))
        let started = ISO8601.format(Date().addingTimeInterval(-7260))
        server.route("/containers/aaa111aaa111aaa1/json", .json("""
        {"Id":"aaa111aaa111aaa1","Name":"/app-worker-1","RestartCount":0,"State":{"Status":"running","Running":true,"Pid":999,"StartedAt":"\(started)","Health":{"Status":"healthy"}},"Config":{"Image":"app-bot:latest","Tty":false}}
        """))
        server.route("/containers/bbb222bbb222bbb2/stop", .status(204))
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: docker
            compose_service: worker
            match: 'bot\\.worker$'
        service_options:
          docker_socket: \(dir)/docker.sock
        """)
        let b = try #require(try app.servicesFeature.manager().backend("worker"))
        let st = await b.status()
        #expect(st.detail == "Up 2 hours (healthy)", "the engine's words, as before")
        #expect(st.detailText.ru == "работает 2 ч 1 мин (здоров)", "\(st.detailText.ru)")
        let list = try await Language.$current.withValue(.ru) { try await b.instances() }
        #expect(list.map(\.description) == ["контейнер app-worker-1 (aaa111aaa111, app-bot:latest, compose-сервис worker): Up 2 hours (healthy)",
                                            "контейнер debug-copy (bbb222bbb222, app-bot:latest, не из compose): Up 5 minutes"], "\(list)")
        let extra = try #require(list.first { !$0.supervised })
        let said = try await Language.$current.withValue(.ru) { try await b.stop(extra) }
        #expect(said == "контейнер bbb222bbb222 остановлен")
        do { _ = try await Language.$current.withValue(.ru) { try await b.stop(list[0]) }; Issue.record("stopped the service's own") } catch {
            #expect("\(error)" == "refusing to stop the supervised container")
            #expect(Self.ru(error) == "основной контейнер сервиса не останавливаю")
        }
        #expect(Language.$current.withValue(.ru) { b.restartDescription }
            == "docker restart контейнера compose-сервиса worker (Engine API на \(dir)/docker.sock, stop_timeout 10 с, затем SIGKILL)")
        #expect(b.restartDescription == "docker restart the worker compose container (Engine API on \(dir)/docker.sock, stop_timeout 10 s, then SIGKILL)")
        // No engine at all: unknown, in Russian, with the plain words of the failure.
        server.stop()
        let down = await b.status()
        #expect(down.state == .unknown && down.detail == "docker unavailable")
        #expect(down.detailText.ru == "Docker недоступен")
        let why = down.errorText?.ru ?? ""
        #expect(why.hasPrefix("Docker API на \(dir)/docker.sock: "), "\(why)")
        Self.expectRussian(why, "docker down")
    }

    // MARK: - Length

    @Test func aLongDynoListStaysShortInRussian() {
        let dynos = (1...40).map { ("worker.\($0)", $0 % 3 == 0 ? "crashed" : "up") }
            .map { HerokuBackend.Dyno(name: $0.0, type: "worker", state: $0.1, updatedAt: Date().addingTimeInterval(-7200), release: 42) }
        let st = HerokuBackend.summarize(dynos, quantity: 40, type: "worker", before: nil)
        #expect(st.state == .failed)
        // Six dynos, then "…": a status line, an alert summary and a caption stay within Telegram's limits.
        for text in [st.detailText.ru, st.detailText.en] {
            #expect(text.components(separatedBy: "worker.").count - 1 == 6, "\(text)")
            #expect(text.hasSuffix(", …"), "\(text)")
            #expect(text.count < 300, "\(text.count)")
        }
        #expect(st.detailText.ru.hasPrefix("27/40 работают: worker.1 работает 2 ч"), "\(st.detailText.ru)")
        #expect(st.detail.hasPrefix("27/40 up: worker.1 up 2 h"), "\(st.detail)")
        let crashed = st.errorText?.ru ?? ""
        #expect(crashed.hasSuffix(" упали"), "\(crashed)")
        Self.expectRussian(crashed, "crashed")
    }
}
