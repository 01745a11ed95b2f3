import Foundation
import OpsbotSupport
import SystemOps
import Testing
import TestHarness

/// SIGHUP re-reads config and catalog without a restart; an invalid new config is refused and
/// the running one kept; a confirmation shown before the reload still works after it.
@Suite struct ReloadBinaryTests {
    @Test func sighupReloadsAValidConfigAndRefusesAnInvalidOne() async throws {
        let token = "123456789:" + "AAReloadTestTokenxxxxxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = NSTemporaryDirectory() + "opsbot-reload-\(UUID().uuidString)"
        let commands = dir + "/Commands"
        try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
        for f in ["ping.yaml", "help.yaml"] {
            try FileManager.default.copyItem(atPath: TestApp.repositoryRoot + "/Commands/" + f, toPath: commands + "/" + f)
        }
        try "name: danger\ndescription: a confirmed step\nmodule: shell\nconfirm: true\nsettings:\n  argv: [echo, danger-ran]\n"
            .write(toFile: commands + "/danger.yaml", atomically: true, encoding: .utf8)
        let base = "admins:\n  chats: [-9]\n  users: [9]\nstate_dir: state\ncommands_dir: Commands\ntelegram:\n  poll_timeout: 20\n"
        try base.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_CONFIG", "DATABASE_URL"] { env.removeValue(forKey: k) }
        env["OPSBOT_TOKEN"] = token
        env["OPSBOT_API_URL"] = fake.baseURL
        let pid = try ProcessRunner.spawnDetached([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/out.log", environment: env)
        defer { kill(pid, SIGKILL) }
        #expect(await fake.waitFor(method: "setMyCommands", timeout: 20))

        func waitForText(_ needle: String, timeout: Double = 10) async -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if fake.calls("sendMessage").contains(where: { $0.text?.contains(needle) == true })
                    || fake.calls("editMessageText").contains(where: { $0.text?.contains(needle) == true }) { return true }
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
            return false
        }

        // A confirmation in flight across the reload.
        _ = fake.enqueueMessage(chatID: -9, userID: 9, text: "/danger")
        #expect(await waitForText("echo danger-ran"))
        let preview = fake.calls("sendMessage").last { $0.text?.contains("echo danger-ran") == true }
        let markup = preview?.fields["reply_markup"] ?? ""
        let confirmData = markup.range(of: #"c:[^"]+"#, options: .regularExpression).map { String(markup[$0]) }

        // Valid new config: a new command file appears after SIGHUP.
        try "name: hello\ndescription: says hello\nmodule: shell\nsettings:\n  argv: [echo, hello-after-reload]\n"
            .write(toFile: commands + "/hello.yaml", atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        #expect(await waitForText("Reloaded"), "no reload message")
        _ = fake.enqueueMessage(chatID: -9, userID: 9, text: "/hello")
        #expect(await waitForText("hello-after-reload"))

        // The confirmation shown before the reload still runs once.
        let confirm = try #require(confirmData, "no Confirm button in \(markup)")
        _ = fake.enqueueCallback(chatID: -9, userID: 9, messageID: preview?.resultMessageID ?? 0, data: confirm)
        let ran = await waitForText("danger-ran\n</pre>")
        #expect(ran, "the pre-reload confirmation did not run")

        // Invalid new config: refused, the old one keeps working.
        try (base + "confirmations: {approvr: second_admin}\n").write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        #expect(await waitForText("Reload refused"))
        #expect(await waitForText("unknown key \"approvr\" (did you mean \"approver\"?)"))
        _ = fake.enqueueMessage(chatID: -9, userID: 9, text: "/ping")
        #expect(await waitForText("pong"))
        let log = (try? String(contentsOfFile: dir + "/out.log", encoding: .utf8)) ?? ""
        #expect(log.contains("reload refused"))
        kill(pid, SIGTERM)
        _ = await runBlocking { () -> Int32 in var s: Int32 = 0; waitpid(pid, &s, 0); return s }
    }
}
