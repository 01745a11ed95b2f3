import Foundation
import OpsbotSupport
import SystemOps
import Testing
import TestHarness

/// `opsbot init` through the real binary, as a new user runs it, with the loopback Bot API
/// standing in for Telegram: from no config to the first `/status` reply.
@Suite(.exclusive) struct InitBinaryTests {
    static let token = "123456789:" + "AAInitBinaryTokenxxxxxxxxxxxxxxxxxx"

    func env(_ extra: [String: String]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL", "OPSBOT_API_URL", "OPSBOT_ADMIN_CHAT_IDS", "OPSBOT_ADMIN_USER_IDS"] { e.removeValue(forKey: k) }
        return e.merging(extra) { $1 }
    }

    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func fromNoConfigToTheFirstStatusReply() async throws {
        let fake = try FakeBotAPI(token: Self.token)
        defer { fake.stop() }
        let dir = try tempDir()
        let path = dir + "/opsbot.yaml"
        let environment = env(["OPSBOT_TOKEN": Self.token, "OPSBOT_API_URL": fake.baseURL])
        let started = Date()
        // 1. `opsbot init`; the user writes in the ops group when asked, and answers y.
        let initRun = Task {
            try await ProcessRunner.run([Repository.opsbotBinary, "init", "--config", path, "--state-dir", dir + "/state", "--docker-socket", dir + "/no.sock"],
                                        timeout: 120, environment: environment, stdin: Data("y\n".utf8))
        }
        // getWebhookInfo comes just before the first long poll: the user reads the prompt and writes.
        #expect(await fake.waitFor(method: "getWebhookInfo", timeout: 60))
        fake.enqueueMessage(chatID: -1001234567890, userID: 4242, text: "hello", username: "alice")
        let r = try await initRun.value
        let initSeconds = Date().timeIntervalSince(started)
        #expect(r.exitCode == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("chat -1001234567890 (ops), user 4242 (@alice) — use these? [Y/n]"), "\(r.stderr)")
        #expect(r.stderr.contains("validate: ok") && r.stderr.contains("Left out:") && r.stderr.contains("Next:"), "\(r.stderr)")
        #expect(!r.stderr.contains(Self.token) && !r.stdout.contains(Self.token))
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(yaml.contains("  chats: [-1001234567890]\n  users: [4242]\n"), "\(yaml)")

        // 2. `opsbot run --config …` (what the unit runs), 3. /status in the ops chat.
        let log = dir + "/run.log"
        let pid = try ProcessRunner.spawnDetached([Repository.opsbotBinary, "run", "--config", path], logFile: log, environment: environment)
        defer { kill(pid, SIGTERM); var s: Int32 = 0; waitpid(pid, &s, 0) }
        #expect(await fake.waitFor(method: "setMyCommands", timeout: 30))
        let before = fake.sentMessages(chatID: -1001234567890).count
        fake.enqueueMessage(chatID: -1001234567890, userID: 4242, text: "/status", username: "alice")
        var reply: String?
        for _ in 0..<1200 where reply == nil {
            let sent = fake.sentMessages(chatID: -1001234567890)
            if sent.count > before { reply = sent[before].text } else { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        let total = Date().timeIntervalSince(started)
        #expect(reply.map { !$0.contains("not allowed") && !$0.contains("Unknown command") } == true, "no /status reply: \(fake.calls("sendMessage").map { $0.text ?? "" }) \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        print("init end to end (loopback Bot API): reply \"\((reply ?? "").prefix(60))…\"; opsbot init \(String(format: "%.1f", initSeconds)) s, first /status reply after \(String(format: "%.1f", total)) s in all")

        // Run again without --force: refused, the file kept.
        let again = try await ProcessRunner.run([Repository.opsbotBinary, "init", "--config", path, "--no-telegram"], timeout: 60, environment: environment)
        #expect(again.exitCode == 2 && again.stderr.contains("exists; not overwritten (--force"), "\(again.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == yaml)
    }

    /// For scripts: no questions, no Telegram, ids from flags.
    @Test func nonInteractiveWithIdsFromFlags() async throws {
        let dir = try tempDir()
        let path = dir + "/opsbot.yaml"
        let r = try await ProcessRunner.run([Repository.opsbotBinary, "init", "--yes", "--admin-chat", "-1009876543210", "--admin-user", "7",
                                             "--config", path, "--state-dir", dir + "/state", "--docker-socket", dir + "/no.sock", "--no-check"],
                                            timeout: 60, environment: env(["OPSBOT_TOKEN": Self.token]))
        #expect(r.exitCode == 0, "\(r.stderr)")
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(yaml.contains("chats: [-1009876543210]") && yaml.contains("given on the command line"))
        // Learned through Telegram without a terminal: a message already waiting (the newest of a
        // backlog counts); no answer on a closed stdin is a refusal, --yes accepts.
        let fake = try FakeBotAPI(token: Self.token)
        defer { fake.stop() }
        fake.enqueueMessage(chatID: -1005555555555, userID: 8, text: "old", username: "bob")
        fake.enqueueMessage(chatID: -1001111111111, userID: 9, text: "here", username: "carol")
        let telegram = env(["OPSBOT_TOKEN": Self.token, "OPSBOT_API_URL": fake.baseURL])
        let noAnswer = try await ProcessRunner.run([Repository.opsbotBinary, "init", "--config", dir + "/t.yaml", "--docker-socket", dir + "/no.sock", "--wait", "20"],
                                                   timeout: 60, environment: telegram)
        #expect(noAnswer.exitCode == 2 && noAnswer.stderr.contains("no answer (stdin is closed); for scripts, add --yes"), "\(noAnswer.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/t.yaml"))
        fake.enqueueMessage(chatID: -1001111111111, userID: 9, text: "again", username: "carol")
        let accepted = try await ProcessRunner.run([Repository.opsbotBinary, "init", "--yes", "--no-check", "--config", dir + "/t.yaml", "--docker-socket", dir + "/no.sock", "--wait", "20"],
                                                   timeout: 60, environment: telegram)
        #expect(accepted.exitCode == 0 && accepted.stderr.contains("chat -1001111111111 (ops), user 9 (@carol) — use these? yes (--yes)"), "\(accepted.stderr)")

        let bad = try await ProcessRunner.run([Repository.opsbotBinary, "init", "--admin-chat", "-1", "--config", dir + "/x.yaml"], timeout: 60, environment: env([:]))
        #expect(bad.exitCode != 0 && bad.stderr.contains("give both --admin-chat and --admin-user"), "\(bad.stderr)")
    }
}
