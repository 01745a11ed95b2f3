import Foundation
import OpsbotSupport
import SystemOps
import Testing
import TestHarness

/// The real `opsbot` binary, as an operator runs it.
@Suite(.exclusive) struct BinaryTests {
    static var binary: String { Repository.opsbotBinary }

    func env(_ extra: [String: String]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL", "OPSBOT_API_URL"] { e.removeValue(forKey: k) }
        return e.merging(extra) { $1 }
    }

    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-bin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func consoleRunsAScriptFromAPipe() async throws {
        let dir = try tempDir()
        let r = try await ProcessRunner.run([BinaryTests.binary, "console", "--state-dir", dir],
                                            timeout: 60, environment: env([:]), workingDirectory: TestApp.repositoryRoot,
                                            stdin: Data("/ping\n/help\n/nosuch\n/audit x\n/status\n".utf8))
        #expect(r.exitCode == 0, "\(r.stderr)")
        // Without --demo the demo sandbox is not loaded: no demo services, no alert scheduler.
        let status = r.stdout.components(separatedBy: "── opsbot").last ?? ""
        #expect(status.contains("All good") && !status.contains("worker") && !status.contains("8089"), "\(status)")
        #expect(!r.stderr.contains("check provider(s) scheduled (database"), "\(r.stderr)")
        #expect(r.stdout.contains("pong — reply round trip"))
        #expect(r.stdout.contains("/audit [count]"))
        #expect(r.stdout.contains("Unknown command /nosuch"))
        #expect(r.stdout.contains("count must be a whole number"))
    }

    /// Issue 8 item 16 through the real binary: numbers are unique in the session, and a number
    /// whose message was answered presses nothing.
    @Test func consoleButtonNumbersAreUniqueAndStaleOnesPressNothing() async throws {
        let dir = try tempDir()
        // The demo's services (worker, web): `--demo`, as `make demo` runs it.
        let r = try await ProcessRunner.run([BinaryTests.binary, "console", "--demo", "--state-dir", dir],
                                            timeout: 60, environment: env([:]), workingDirectory: TestApp.repositoryRoot,
                                            stdin: Data("/restart worker\n/restart web\n2\n1\n99\n4\n".utf8))
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.contains("[1] ✅") && r.stdout.contains("[2] ✖ Cancel"), "\(r.stdout)")
        #expect(r.stdout.contains("[3] ✅") && r.stdout.contains("[4] ✖ Cancel"), "the second preview continues the numbering: \(r.stdout)")
        #expect(r.stdout.contains("Cancelled by"), "2 cancelled the first restart")
        #expect(r.stdout.contains("[1] ✅ Restart worker of message #101 is no longer shown") && r.stdout.contains("nothing was pressed"), "\(r.stdout)")
        #expect(r.stdout.contains("no button [99] was shown"))
        #expect(!r.stdout.contains("healthy after"), "nothing was restarted")
    }

    @Test func sigtermStopsPollingAndExitsZero() async throws {
        let token = "123456789:" + "AABinaryTestTokenxxxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try tempDir()
        try "admins:\n  chats: [-5]\n  users: [5]\nstate_dir: state\ncommands_dir: \(TestApp.repositoryRoot)/Commands\ntelegram:\n  poll_timeout: 20\n"
            .write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let log = dir + "/out.log"
        let pid = try ProcessRunner.spawnDetached([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"], logFile: log,
                                                  environment: env(["OPSBOT_TOKEN": token, "OPSBOT_API_URL": fake.baseURL]))
        #expect(await fake.waitFor(method: "setMyCommands", timeout: 20))
        _ = fake.enqueueMessage(chatID: -5, userID: 5, text: "/ping")
        #expect(await fake.waitFor(method: "sendMessage", timeout: 10))
        let stopAt = Date()
        kill(pid, SIGTERM)
        let status = await runBlocking { () -> Int32 in
            var s: Int32 = 0
            waitpid(pid, &s, 0)
            return s
        }
        #expect(Date().timeIntervalSince(stopAt) < 5, "stopped while a 20 s long poll was in flight")
        #expect((status & 0x7f) == 0 && (status >> 8) & 0xff == 0, "exit status \(status)")
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("stopped"))
        #expect(!output.contains(token))
    }

    /// SIGTERM while an action runs: polling stops at once, the action finishes and its reply
    /// is sent, then opsbot exits 0 (the ServiceGroup's ordered graceful shutdown).
    @Test func sigtermDuringARunningActionLetsItFinishAndExitsZero() async throws {
        let token = "123456789:" + "AABinarySlowActionTokenxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try tempDir()
        let commands = dir + "/Commands"
        try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
        let started = dir + "/started"
        try """
        name: slow
        description: Takes two seconds
        module: shell
        settings:
          argv: ["sh", "-c", "touch \(started); sleep 2; echo slow-action-done"]
          timeout: 20s
        """.write(toFile: commands + "/slow.yaml", atomically: true, encoding: .utf8)
        try "admins:\n  chats: [-5]\n  users: [5]\nstate_dir: state\ncommands_dir: Commands\ntelegram:\n  poll_timeout: 20\n"
            .write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let log = dir + "/out.log"
        let pid = try ProcessRunner.spawnDetached([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"], logFile: log,
                                                  environment: env(["OPSBOT_TOKEN": token, "OPSBOT_API_URL": fake.baseURL]))
        #expect(await fake.waitFor(method: "setMyCommands", timeout: 20))
        _ = fake.enqueueMessage(chatID: -5, userID: 5, text: "/slow")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: started) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(FileManager.default.fileExists(atPath: started), "the action started")
        let stopAt = Date()
        kill(pid, SIGTERM)
        let status = await runBlocking { () -> Int32 in
            var s: Int32 = 0
            waitpid(pid, &s, 0)
            return s
        }
        let took = Date().timeIntervalSince(stopAt)
        #expect((status & 0x7f) == 0 && (status >> 8) & 0xff == 0, "exit status \(status)")
        #expect(took > 1 && took < 8, "waited for the 2 s action, then stopped (\(took) s)")
        let replies = (fake.calls("sendMessage") + fake.calls("editMessageText")).filter { $0.status == 200 }.compactMap(\.text)
        #expect(replies.contains { $0.contains("slow-action-done") }, "\(replies)")
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("waiting for running actions") && output.contains("stopped"), "\(output)")
        #expect(!output.contains("still running at exit"), "\(output)")
        #expect(!output.contains(token))
    }

    /// The console runs the same service group: SIGTERM while it waits for input (stdin open,
    /// nothing typed) stops it gracefully, exit 0.
    @Test func consoleStopsOnSIGTERMWhileWaitingForInput() async throws {
        let dir = try tempDir()
        let fifo = dir + "/stdin"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = open(fifo, O_RDWR)
        defer { close(writer) }
        let log = dir + "/out.log"
        let pid = try ProcessRunner.spawnDetached(["/bin/sh", "-c", "exec \"$0\" console --state-dir \"$1\" < \"$2\"", BinaryTests.binary, dir, fifo],
                                                  logFile: log, environment: env([:]), workingDirectory: TestApp.repositoryRoot)
        _ = "/ping\n".withCString { write(writer, $0, strlen($0)) }
        let deadline = Date().addingTimeInterval(20)
        var output = ""
        while !output.contains("pong") && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        #expect(output.contains("pong"), "\(output)")
        let stopAt = Date()
        kill(pid, SIGTERM)
        let status = await runBlocking { () -> Int32 in
            var s: Int32 = 0
            waitpid(pid, &s, 0)
            return s
        }
        #expect(Date().timeIntervalSince(stopAt) < 5)
        #expect((status & 0x7f) == 0 && (status >> 8) & 0xff == 0, "exit status \(status)")
    }

    /// A second SIGTERM while the first waits for a running action exits 130 at once.
    @Test func aSecondStopSignalExitsAtOnce() async throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/Commands", withIntermediateDirectories: true)
        try "name: slow\ndescription: slow\nmodule: shell\nsettings:\n  argv: [\"sh\", \"-c\", \"echo started; sleep 6\"]\n  timeout: 20s\n"
            .write(toFile: dir + "/Commands/slow.yaml", atomically: true, encoding: .utf8)
        try "admins:\n  chats: [-5]\n  users: [5]\nstate_dir: state\ncommands_dir: Commands\n".write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
        let fifo = dir + "/stdin"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = open(fifo, O_RDWR)
        defer { close(writer) }
        let log = dir + "/out.log"
        let pid = try ProcessRunner.spawnDetached(["/bin/sh", "-c", "exec \"$0\" console --config \"$1\" < \"$2\"", BinaryTests.binary, dir + "/c.yaml", fifo],
                                                  logFile: log, environment: env([:]), workingDirectory: dir)
        _ = "/slow\n".withCString { write(writer, $0, strlen($0)) }
        let deadline = Date().addingTimeInterval(20)
        var output = ""
        while !output.contains("is running") && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        #expect(output.contains("is running"), "\(output)")
        kill(pid, SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        let stopAt = Date()
        kill(pid, SIGTERM)
        let status = await runBlocking { () -> Int32 in
            var s: Int32 = 0
            waitpid(pid, &s, 0)
            return s
        }
        #expect(Date().timeIntervalSince(stopAt) < 3, "did not wait for the 6 s action")
        #expect((status & 0x7f) == 0 && (status >> 8) & 0xff == 130, "exit status \(status)")
        output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("second stop signal"), "\(output)")
    }

    @Test func badTokenStopsWithAClearErrorAndNoToken() async throws {
        let fake = try FakeBotAPI(token: "111111:AAtheRealOneIsDifferentxxxxxxxxxxxxx")
        defer { fake.stop() }
        let dir = try tempDir()
        let wrong = "222222:AAWrongTokenShouldNotLeakxxxxxxxxxxxx"
        try "state_dir: state\ncommands_dir: \(TestApp.repositoryRoot)/Commands\n".write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let r = try await ProcessRunner.run([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"],
                                            timeout: 30, environment: env(["OPSBOT_TOKEN": wrong, "OPSBOT_API_URL": fake.baseURL,
                                                                          "OPSBOT_ADMIN_CHAT_IDS": "1", "OPSBOT_ADMIN_USER_IDS": "1"]),
                                            workingDirectory: TestApp.repositoryRoot)
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains("401"))
        #expect(r.stderr.contains("OPSBOT_TOKEN"))
        #expect(!(r.stdout + r.stderr).contains(wrong))
        #expect(!(r.stdout + r.stderr).contains("AAWrongTokenShouldNotLeak"))
    }

    @Test func missingTokenAndBadConfigNameTheirKeys() async throws {
        let dir = try tempDir()
        // Without a config, run refuses (it never falls back to the demo) and says how to write one.
        let noConfig = try await ProcessRunner.run([BinaryTests.binary, "run", "--state-dir", dir], timeout: 30, environment: env([:]),
                                                   workingDirectory: TestApp.repositoryRoot)
        #expect(noConfig.exitCode == 2)
        #expect(noConfig.stderr.contains("opsbot.example.yaml"))
        #expect(noConfig.stderr.contains("--config"))
        try "state_dir: state\ncommands_dir: \(TestApp.repositoryRoot)/Commands\n".write(toFile: dir + "/ok.yaml", atomically: true, encoding: .utf8)
        let noToken = try await ProcessRunner.run([BinaryTests.binary, "run", "--config", dir + "/ok.yaml"], timeout: 30,
                                                  environment: env(["OPSBOT_ADMIN_CHAT_IDS": "1", "OPSBOT_ADMIN_USER_IDS": "1"]),
                                                  workingDirectory: TestApp.repositoryRoot)
        #expect(noToken.exitCode == 2)
        #expect(noToken.stderr.contains("OPSBOT_TOKEN"))
        try "admins:\n  chats: [one]\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try await ProcessRunner.run([BinaryTests.binary, "validate", "--config", dir + "/bad.yaml"], timeout: 30,
                                              environment: env([:]), workingDirectory: TestApp.repositoryRoot)
        #expect(bad.exitCode == 1)
        #expect(bad.stderr.contains("bad.yaml:2: admins.chats[0]: expected an integer"))
    }

    /// First run, no admin ids yet: opsbot starts, refuses everyone, and its log names the ids.
    @Test func firstRunWithoutAdminsLogsTheIdsToConfigure() async throws {
        let token = "123456789:" + "AAFirstRunTokenxxxxxxxxxxxxxxxxxxxx"
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let dir = try tempDir()
        try "state_dir: state\ncommands_dir: \(TestApp.repositoryRoot)/Commands\ntelegram:\n  poll_timeout: 20\n"
            .write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let log = dir + "/out.log"
        let pid = try ProcessRunner.spawnDetached([BinaryTests.binary, "run", "--config", dir + "/opsbot.yaml"], logFile: log,
                                                  environment: env(["OPSBOT_TOKEN": token, "OPSBOT_API_URL": fake.baseURL]))
        #expect(await fake.waitFor(method: "setMyCommands", timeout: 20))
        _ = fake.enqueueMessage(chatID: -1009876, userID: 4242, text: "/ping", username: "newadmin")
        #expect(await fake.waitFor(method: "sendMessage", timeout: 10))
        kill(pid, SIGTERM)
        _ = await runBlocking { () -> Int32 in
            var s: Int32 = 0
            waitpid(pid, &s, 0)
            return s
        }
        #expect(fake.calls("sendMessage").first?.text?.contains("Not authorized") == true)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("no admin chat configured"))
        #expect(output.contains("refused /ping from user 4242 (@newadmin) in chat -1009876"), "\(output)")
    }
}
