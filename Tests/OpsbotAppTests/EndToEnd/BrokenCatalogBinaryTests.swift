import Foundation
import OpsbotSupport
import SystemOps
import Testing
import TestHarness

/// One broken command file costs its command, not the bot.
@Suite struct BrokenCatalogBinaryTests {
    func catalogWithOneBrokenFile() throws -> String {
        let dir = NSTemporaryDirectory() + "opsbot-cat-\(UUID().uuidString)"
        let commands = dir + "/Commands"
        try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
        for f in ["ping.yaml", "status.yaml", "help.yaml"] {
            try FileManager.default.copyItem(atPath: TestApp.repositoryRoot + "/Commands/" + f, toPath: commands + "/" + f)
        }
        try "name: x\ndescription: a runbook step with a typo\nmodule: shell\nsettings:\n  argvv: [true]\n".write(toFile: commands + "/x.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func consoleStartsWithTheValidCommandsAndStatusNamesTheBrokenFile() async throws {
        let dir = try catalogWithOneBrokenFile()
        var env = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL"] { env.removeValue(forKey: k) }
        let r = try await ProcessRunner.run([BinaryTests.binary, "console", "--state-dir", dir + "/state", "--commands-dir", dir + "/Commands"],
                                            timeout: 60, environment: env, workingDirectory: dir, stdin: Data("/ping\n/status\n".utf8))
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.contains("pong"))
        // Named by its absolute path: "Commands/x.yaml" alone was relative to nothing.
        #expect(r.stdout.contains("catalog: 1 file invalid (\(dir)/Commands/x.yaml:5: settings.argvv: unknown key \"argvv\" (did you mean \"argv\"?)"), "\(r.stdout)")
        #expect(r.stderr.contains("command file skipped: \(dir)/Commands/x.yaml"))
        // validate still fails on it.
        let v = try await ProcessRunner.run([BinaryTests.binary, "validate", "--commands-dir", dir + "/Commands"], timeout: 60,
                                            environment: env, workingDirectory: dir)
        #expect(v.exitCode == 1)
        #expect(v.stderr.contains("\(dir)/Commands/x.yaml"))
    }

    @Test func runStartsAndWarnsTheAdminChatOnce() async throws {
        let token = "123456789:" + "AABrokenCatalogTokenxxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try catalogWithOneBrokenFile()
        try "admins:\n  chats: [-7]\n  users: [7]\nstate_dir: state\ncommands_dir: Commands\ntelegram:\n  poll_timeout: 20\n"
            .write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_CONFIG", "DATABASE_URL"] { env.removeValue(forKey: k) }
        env["OPSBOT_TOKEN"] = token
        env["OPSBOT_API_URL"] = fake.baseURL
        let pid = try ProcessRunner.spawnDetached([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"], logFile: dir + "/out.log", environment: env)
        defer { kill(pid, SIGKILL) }
        #expect(await fake.waitFor(method: "sendMessage", timeout: 20))
        let warning = fake.calls("sendMessage").first?.text ?? ""
        #expect(warning.contains("catalog: 1 file invalid (\(dir)/Commands/x.yaml"), "\(warning)")
        _ = fake.enqueueMessage(chatID: -7, userID: 7, text: "/ping")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !fake.calls("sendMessage").contains(where: { $0.text?.contains("pong") == true }) {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(fake.calls("sendMessage").contains { $0.text?.contains("pong") == true })
        #expect(fake.calls("sendMessage").filter { $0.text?.contains("file invalid") == true }.count == 1)
        kill(pid, SIGTERM)
        _ = await runBlocking { () -> Int32 in var s: Int32 = 0; waitpid(pid, &s, 0); return s }
    }
}
