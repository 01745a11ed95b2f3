import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotServices

/// Issue 18 items 5–7: what a newcomer meets in `validate`, the catalog and the first replies.
struct NewcomerConfigTests {
    /// A config file (and optionally command files) in a directory of their own.
    func setup(_ yaml: String, commands: [String: String] = [:], shipped: Bool = true) throws -> (dir: String, path: String) {
        let dir = NSTemporaryDirectory() + "opsbot-newcomer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/Commands", withIntermediateDirectories: true)
        if shipped {
            for f in try FileManager.default.contentsOfDirectory(atPath: TestApp.repositoryRoot + "/Commands") {
                try FileManager.default.copyItem(atPath: TestApp.repositoryRoot + "/Commands/" + f, toPath: dir + "/Commands/" + f)
            }
        }
        for (name, text) in commands { try text.write(toFile: dir + "/Commands/" + name, atomically: true, encoding: .utf8) }
        try yaml.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        return (dir, dir + "/opsbot.yaml")
    }

    static let admins = "admins:\n  chats: [-1001234567890]\n  users: [42]\n"

    // MARK: item 7 — the token's whitespace is named

    @Test func tokenWhitespaceIsNamedNotBlamedOnTheNetwork() throws {
        var c = Config()
        let p = ConfigLoader.readEnvironment(&c, ["OPSBOT_TOKEN": "123456789:AAtokenWithATrailingSpace000000000 "])
        #expect(p.map(\.description) == ["environment: OPSBOT_TOKEN: the token has trailing whitespace; remove it: a bot token (from @BotFather) has no spaces, tabs or newlines"])
        var lead = Config()
        #expect(ConfigLoader.readEnvironment(&lead, ["OPSBOT_TOKEN": " 123456789:AAx"]).first?.message.hasPrefix("the token has leading whitespace") == true)

        let (dir, path) = try setup(Self.admins + "telegram:\n  token_file: token\n")
        try "123456789:AAtokenInAFile000000000000000 \n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let r = Runtime.load(configPath: path, environment: [:])
        #expect(r.problems.map(\.description).contains("\(path): telegram.token_file: \(dir)/token: the token has trailing whitespace; remove it: a bot token (from @BotFather) has no spaces, tabs or newlines"), "\(r.problems)")
        // The file's own final newline is fine.
        try "123456789:AAtokenInAFile000000000000000\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let ok = Runtime.load(configPath: path, environment: [:])
        #expect(ok.problems.isEmpty, "\(ok.problems)")
        #expect(ok.config.token == "123456789:AAtokenInAFile000000000000000")
    }

    // MARK: item 6 — every problem in one run, cascades collapsed

    @Test func aBadCommandFileShowsAllItsProblemsAtOnce() throws {
        let bad = """
        name: Grep-Log
        description: count lines
        module: shell
        confirmm: true
        arguments:
          - {name: word, type: float}
          - {name: rest, type: words}
          - {name: n, type: int}
        settings:
          argvv: [grep, x]
          timeout: 0s
        """
        let (_, path) = try setup(Self.admins, commands: ["grep_log.yaml": bad])
        let r = Runtime.load(configPath: path, environment: [:])
        let mine = r.problems.filter { $0.file.hasSuffix("/Commands/grep_log.yaml") }.map { "\($0.key): \($0.message)" }
        for want in ["confirmm: unknown key", "name: \"Grep-Log\" is not a valid command name", "arguments[0].type: unknown type \"float\"",
                     "arguments[1].type: words takes the rest of the line", "arguments[2].required: a required argument cannot follow",
                     "settings.argvv: unknown key \"argvv\" (did you mean \"argv\"?)"] {
            #expect(mine.contains { $0.hasPrefix(want) }, "missing \(want) in:\n\(mine.joined(separator: "\n"))")
        }
        // Named by its absolute path, not "Commands/grep_log.yaml" relative to nothing.
        #expect(r.problems.contains { $0.file.hasPrefix("/") && $0.file.hasSuffix("/Commands/grep_log.yaml") })
    }

    @Test func catalogFailureDoesNotCascadeIntoRemediationProblems() throws {
        let yaml = Self.admins + "commands_dir: nowhere\nalerts:\n  rules:\n    - {name: log_conflict, check: log_pattern, remediation: /status}\n"
        let (_, path) = try setup(yaml, shipped: false)
        let r = Runtime.load(configPath: path, environment: [:])
        #expect(r.problems.contains { $0.message.hasPrefix("cannot read the command catalog directory") }, "\(r.problems)")
        #expect(!r.problems.contains { $0.key.contains("remediation") }, "\(r.problems.map(\.description))")
        // One broken file: a remediation naming its command points at nothing new either.
        let (_, p2) = try setup(Self.admins + "alerts:\n  rules:\n    - {name: log_conflict, check: log_pattern, remediation: /status}\n",
                                commands: ["status.yaml": "name: status\ndescription: x\nmodule: status\nbogus: 1\n"])
        let r2 = Runtime.load(configPath: p2, environment: [:])
        #expect(r2.problems.map(\.key) == ["bogus"], "\(r2.problems.map(\.description))")
    }

    @Test func partialAlertsChecksSaysWhichChecksItTurnsOff() throws {
        let (_, path) = try setup(Self.admins + "alerts:\n  checks:\n    services: 30s\n    health: 30s\n")
        let r = Runtime.load(configPath: path, environment: [:])
        #expect(r.problems.isEmpty, "\(r.problems)")
        let w = try #require(r.warnings.first { $0.key == "alerts.checks" })
        #expect(w.description.contains("opsbot.yaml:5: alerts.checks: lists only health, services, so these checks never run and never alert: "), "\(w)")
        for off in ["database", "dependencies", "disk", "logs", "payments", "schema"] { #expect(w.message.contains(off), "\(off): \(w)") }
        let none = Runtime.load(configPath: try setup(Self.admins).path, environment: [:])
        #expect(!none.warnings.contains { $0.key == "alerts.checks" })
    }

    @Test func chatIDWithoutItsPrefixGetsAHint() throws {
        let (_, path) = try setup("admins:\n  chats: [-1234567890, 987654321, -1001234567890, -4567]\n  users: [42]\n")
        let r = Runtime.load(configPath: path, environment: [:])
        #expect(r.problems.isEmpty, "a hint, not a refusal: \(r.problems)")
        let hints = r.warnings.filter { $0.key.hasPrefix("admins.chats") }.map(\.description)
        #expect(hints.count == 2, "\(hints)")
        #expect(hints.contains { $0.contains("admins.chats[0]: -1234567890 has no -100 prefix") && $0.contains("-1001234567890") }, "\(hints)")
        #expect(hints.contains { $0.contains("admins.chats[1]: 987654321 is positive, i.e. a private chat") }, "\(hints)")
    }

    @Test func missingDatabaseURLWarnsWhenTheDatabaseIsConfigured() throws {
        let (_, path) = try setup(Self.admins + "database:\n  pool_size: 2\n")
        let r = Runtime.load(configPath: path, environment: [:])
        #expect(r.warnings.contains { $0.message.hasPrefix("DATABASE_URL is not set in opsbot's environment") }, "\(r.warnings)")
        let set = Runtime.load(configPath: path, environment: ["DATABASE_URL": "postgresql://a:b@127.0.0.1:1/x"])
        #expect(!set.warnings.contains { $0.message.contains("DATABASE_URL") })
    }

    // MARK: item 5 — the catalog fits the machine

    @Test func commandsNamingMissingFilesOrProgramsAreReported() throws {
        let step = "name: tail_app\ndescription: x\nmodule: shell\nsettings:\n  argv: [tail, -n, '5', /nonexistent/app.log, ./here.log]\n"
        let tool = "name: frob\ndescription: x\nmodule: shell\nsettings:\n  argv: [frobnicate-not-installed, --all]\n"
        let sed = "name: sedit\ndescription: x\nmodule: shell\nsettings:\n  argv: [sed, -i, 's/^A=.*/A=1/', /etc/hostname]\n"
        let (dir, path) = try setup(Self.admins, commands: ["tail_app.yaml": step, "frob.yaml": tool, "sedit.yaml": sed])
        let r = Runtime.load(configPath: path, environment: [:])
        let w = r.warnings.map(\.description)
        #expect(w.contains("\(dir)/Commands/tail_app.yaml: settings: /tail_app: /nonexistent/app.log does not exist"), "\(w)")
        #expect(w.contains { $0.contains("/tail_app: ") && $0.contains("/here.log does not exist") }, "\(w)")
        #expect(w.contains("\(dir)/Commands/frob.yaml: settings: /frob: frobnicate-not-installed is not installed (not on PATH)"), "\(w)")
        #expect(!w.contains { $0.contains("/sedit") }, "a sed expression is not a path: \(w)")
    }

    @Test func demoRunbooksLoadOnlyWithTheDemo() throws {
        let plain = Runtime.load(configPath: nil, environment: ["PATH": "/usr/bin:/bin"])
        for name in ["jobs", "clear_job", "grep_log", "disable_bot", "enable_bot"] {
            #expect(plain.catalog.entry(name) == nil, "/\(name) is the demo's")
        }
        let demo = Runtime.load(configPath: nil, demo: true, environment: ["PATH": "/usr/bin:/bin", "DEMO_DIR": "/tmp/x"])
        for name in ["jobs", "clear_job", "grep_log", "disable_bot", "enable_bot", "status"] {
            #expect(demo.catalog.entry(name) != nil, "/\(name) in the demo: \(demo.problems)")
        }
        // The shipped catalog holds nothing that points at the demo sandbox.
        for f in try FileManager.default.contentsOfDirectory(atPath: TestApp.repositoryRoot + "/Commands") {
            let text = try String(contentsOfFile: TestApp.repositoryRoot + "/Commands/" + f, encoding: .utf8)
            #expect(!text.contains(".demo/") && !text.contains("apscheduler"), "\(f)")
        }
    }

    @Test func commandsWhoseBackendIsNotConfiguredAreLeftOutAndSayWhy() async throws {
        let yaml = DefaultConfig.yaml + "\nservices:\n  web: {backend: command, status_command: [\"true\"]}\n  worker: {backend: command, status_command: [\"true\"]}\n"
        let (app, transport) = try TestApp.make(configYAML: yaml)
        let router = Router(app: app, progressDelay: 30)
        func say(_ text: String) async -> String {
            let before = transport.texts.count
            await router.handleMessage(IncomingMessage(chatID: 1, userID: 1, messageID: 1, text: text))
            return transport.texts.dropFirst(before).joined(separator: "\n")
        }
        let visible = Set(app.catalog.visible.map(\.name))
        for off in ["scale", "redeploy", "silences"] { #expect(!visible.contains(off), "/\(off) is in the menu") }
        for on in ["status", "logs", "restart", "help", "ping"] { #expect(visible.contains(on), "/\(on) is missing") }
        let help = await say("/help")
        #expect(help.contains("not configured here: ") && help.contains("/scale") && help.contains("/silences"), "\(help)")
        let scale = await say("/scale web 1")
        #expect(scale.contains("/scale is not configured here: no service uses backend: heroku or backend: railway"), "\(scale)")
        let silences = await say("/silences")
        #expect(silences.contains("/silences is not configured here: alertmanager.url is not in the config"), "\(silences)")
        // item 7: /restart alone lists the services.
        let restart = await say("/restart")
        #expect(restart.contains("missing service (services: web, worker, all)"), "\(restart)")

        // No services at all: /logs and /restart are off too.
        let (bare, _) = try TestApp.make()
        #expect(bare.catalog.entry("logs")?.notConfigured == "no services in the config (services:)")
    }

    // MARK: item 7 — one opsbot per state directory

    @Test func stateLockIsHeldOncePerDirectory() throws {
        let dir = NSTemporaryDirectory() + "opsbot-lock-\(UUID().uuidString)"
        var holder: StateLock?
        if case .acquired(let l)? = StateLock.acquire(stateDir: dir) { holder = l }
        #expect(holder != nil)
        guard case .held(let pid)? = StateLock.acquire(stateDir: dir) else { Issue.record("acquired twice"); return }
        #expect(pid == getpid(), "the holder's pid is in the lock file")
        holder = nil   // released with its holder (a process that ends releases it too)
        guard case .acquired? = StateLock.acquire(stateDir: dir) else { Issue.record("not released"); return }
    }
}
