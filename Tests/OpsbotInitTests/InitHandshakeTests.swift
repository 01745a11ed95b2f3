import Foundation
import Testing
import OpsbotCore
import OpsbotApp
import TelegramBotAPI
import TestHarness
@testable import OpsbotInit

/// The admin-id handshake through the loopback Bot API, and the pieces of `init` that need no engine.
@Suite(.ownThreads) struct InitHandshakeTests {
    @Test func oneMessageInTheOpsGroupGivesItsIdWithTheMinus100() async throws {
        let fake = try FakeBotAPI(token: "123456:" + String(repeating: "h", count: 35))
        defer { fake.stop() }
        let hs = AdminHandshake(api: BotAPI(baseURL: fake.baseURL, token: fake.token))
        #expect(try await hs.bot().id == fake.botID)
        let ticks = Locked<[Int]>([])
        let wait = Task { try await hs.waitForMessage(timeout: 20, pollSeconds: 1) { left in ticks.withLock { $0.append(left) } } }
        try await Task.sleep(nanoseconds: 300_000_000)
        fake.enqueueMessage(chatID: -1001234567890, userID: 42, text: "hello opsbot", username: "alice")
        let found = try await wait.value
        #expect(found.summary == "chat -1001234567890 (ops), user 42 (@alice)")
        #expect(ticks.current.first == 20, "the countdown starts at the whole wait: \(ticks.current)")
        #expect(fake.pendingUpdateCount == 0, "the handshake message is confirmed, so `run` never sees it")

        // Written and read back: the id keeps its -100.
        let yaml = ConfigWriter(findings: Findings(), admins: .init(chat: found.chatID, user: found.userID, note: "t"), tokenFile: nil,
                                stateDir: ".state", commandsDir: nil).render()
        let config = try OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/tmp")
        #expect(config.admins.chats == [-1001234567890] && config.admins.users.map(\.id) == [42])
    }

    @Test func noMessageEndsWithWhatToCheck() async throws {
        let fake = try FakeBotAPI(token: "123456:" + String(repeating: "t", count: 35))
        defer { fake.stop() }
        let hs = AdminHandshake(api: BotAPI(baseURL: fake.baseURL, token: fake.token))
        let quiet = await #expect(throws: AdminHandshake.Failure.self) { try await hs.waitForMessage(timeout: 1, pollSeconds: 0) }
        #expect(quiet.map { "\($0)".contains("no message reached the bot in 1 s") && "\($0)".contains("privacy mode") } == true)
        fake.setWebhook("https://example.com/hook")
        let hook = await #expect(throws: AdminHandshake.Failure.self) { try await hs.waitForMessage(timeout: 1, pollSeconds: 0) }
        #expect(hook.map { "\($0)".contains("a webhook is set") } == true)
    }

    @Test func aHealthEndpointIsFoundOnTheListeningPort() async throws {
        let server = try LoopbackHTTPServer { req in
            req.path == "/health" ? .init(status: 200, body: Data("ok".utf8)) : .init(status: 404, body: Data())
        }
        defer { server.stop() }
        // With the other suites' listeners the table is past its first 4 KB page: the whole of it is read.
        #expect(PortScan.listening(pids: [getpid()]).contains(Int(server.port)), "port \(server.port) not among \(PortScan.listening(pids: [getpid()]))")
        #expect(await PortScan.healthEndpoint(port: Int(server.port)) == "http://127.0.0.1:\(server.port)/health")
    }

    @Test func unitsAreJudgedByTheirFileAndProgram() {
        let d = SystemdDiscovery()
        func verdict(_ unit: String, _ fragment: String, _ exec: String) -> String {
            switch d.classify(unit: unit, properties: ["FragmentPath": fragment, "ExecStart": "{ path=x ; argv[]=\(exec) ; ignore_errors=no }"]) {
            case .skip: "skip"
            case .packaged: "packaged"
            case .notApp: "not an app"
            case .app(let s): "app \(s.name)"
            }
        }
        #expect(verdict("ssh.service", "/lib/systemd/system/ssh.service", "/usr/sbin/sshd -D") == "packaged")
        #expect(verdict("bot.service", "/etc/systemd/system/bot.service", "/usr/bin/python3 -m shop.bot") == "app bot")
        #expect(verdict("api.service", "/etc/systemd/system/api.service", "/srv/shop/.venv/bin/gunicorn app:app") == "app api")
        #expect(verdict("backup.service", "/etc/systemd/system/backup.service", "/usr/bin/rsync -a / /mnt") == "not an app")
        #expect(verdict("shop.service", "/etc/systemd/system/shop.service", "/bin/sh -c cd /srv/shop && exec ./run") == "app shop")
        #expect(verdict("cron.service", "/lib/systemd/system/cron.service", "/usr/sbin/cron -f") == "packaged")
        #expect(verdict("opsbot.service", "/etc/systemd/system/opsbot.service", "/usr/bin/opsbot run") == "skip")
        #expect(verdict("web@1.service", "/etc/systemd/system/web@.service", "/usr/bin/node3.1 /opt/web/server.js") == "app web-1")
        #expect(SystemdDiscovery.outputFile("[Service]\nStandardOutput=journal\n# /etc/systemd/system/a.service.d/log.conf\nStandardOutput=append:/var/log/a.log\n") == "/var/log/a.log")
        #expect(SystemdDiscovery.outputFile("[Service]\nExecStart=/x\n") == nil)
        #expect(SystemdDiscovery.environmentFiles("/etc/a.env (ignore_errors=no) /etc/b.env (ignore_errors=yes)") == ["/etc/a.env", "/etc/b.env"])
        #expect(EnvironmentScan.databaseVariables(EnvironmentScan.parse("A=1\nexport DB='postgresql+asyncpg://u:p@h/d'\nDATABASE_URL=\"postgres://x\"\n# X=postgres://\n")) == ["DATABASE_URL", "DB"])
        #expect(ConfigWriter.matchPattern(["/usr/bin/python3", "-m", "shop.bot"]) == "-m shop\\.bot")
        #expect(ConfigWriter.matchPattern(["/usr/bin/python3", "/srv/app/bot.py", "--prod"]) == "/srv/app/bot\\.py --prod")
        #expect(ConfigWriter.matchPattern(["/usr/bin/node"]) == nil)
        #expect(ConfigWriter.q("-1001") == "\"-1001\"" && ConfigWriter.q("/var/log/a.log") == "/var/log/a.log" && ConfigWriter.q("yes") == "\"yes\"")
    }
}
