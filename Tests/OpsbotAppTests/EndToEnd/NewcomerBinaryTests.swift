import Foundation
import OpsbotSupport
import SystemOps
import Testing
import TestHarness
import OpsbotApp

/// Issue 18 item 7 through the real binary: `check` output masked like the chat, `check --help`
/// matching its exit codes, one opsbot per state directory.
@Suite(.exclusive) struct NewcomerBinaryTests {
    func env(_ extra: [String: String]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL", "OPSBOT_API_URL", "OPSBOT_ADMIN_CHAT_IDS", "OPSBOT_ADMIN_USER_IDS", "OPSBOT_STATE_DIR"] {
            e.removeValue(forKey: k)
        }
        return e.merging(extra) { $1 }
    }

    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-newbin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func checkOutputIsMaskedLikeTheChat() async throws {
        let dir = try tempDir()
        try """
        service_options:
          mask_env: [APP_SIGNING_KEY]
        services:
          app:
            backend: command
            status_command: ["true"]
            logs_command: [sh, -c, "echo 'ERROR cannot connect to postgresql://app:hunter2secret@db:5432/app'; echo 'ERROR signing with k9-Zebra-Quartz-77'"]
            log_patterns:
              - {name: errors, regex: ERROR, warn: 1}
        """.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let r = try await ProcessRunner.run([Repository.opsbotBinary, "check", "logs", "--config", dir + "/opsbot.yaml"], timeout: 60,
                                            environment: env(["APP_SIGNING_KEY": "k9-Zebra-Quartz-77"]), workingDirectory: dir)
        #expect(r.exitCode == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("ERROR cannot connect to postgresql://app:[REDACTED]@db"), "\(r.stdout)")
        #expect(!r.stdout.contains("hunter2secret") && !r.stdout.contains("k9-Zebra-Quartz-77"), "\(r.stdout)")
    }

    @Test func checkHelpMatchesItsExitCodes() async throws {
        let dir = try tempDir()
        let help = try await ProcessRunner.run([Repository.opsbotBinary, "check", "--help"], timeout: 60, environment: env([:]))
        // ArgumentParser wraps the text: compare it with its whitespace collapsed.
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("1 a check found a problem (warning or critical): schema drift, a service down, the `database` check when the database is unreachable"), "\(help.stdout)")
        #expect(flat.contains("2 a check could not tell (unknown): `schema` or `payments` while the database cannot be reached"), "\(help.stdout)")
        try "database:\n  schema:\n    tables:\n      users: [id]\n".write(toFile: dir + "/app.yaml", atomically: true, encoding: .utf8)
        let down = env(["DATABASE_URL": "postgresql://app:pw@127.0.0.1:1/app"])
        let database = try await ProcessRunner.run([Repository.opsbotBinary, "check", "database", "--config", dir + "/app.yaml"], timeout: 60,
                                                   environment: down, workingDirectory: dir)
        #expect(database.exitCode == 1, "unreachable is a finding of the database check: \(database.stdout)\(database.stderr)")
        #expect(database.stdout.contains("Is the server running on that host and accepting TCP/IP connections?"), "libpq's text whole: \(database.stdout)")
        let schema = try await ProcessRunner.run([Repository.opsbotBinary, "check", "schema", "--config", dir + "/app.yaml"], timeout: 60,
                                                 environment: down, workingDirectory: dir)
        #expect(schema.exitCode == 2, "schema cannot tell: \(schema.stdout)\(schema.stderr)")
        let both = try await ProcessRunner.run([Repository.opsbotBinary, "check", "database", "schema", "--config", dir + "/app.yaml"], timeout: 60,
                                               environment: down, workingDirectory: dir)
        #expect(both.exitCode == 2, "when both apply, 2")
    }

    @Test func consoleBesideARunningOpsbotHasNoSchedulerAndASecondRunRefuses() async throws {
        let dir = try tempDir()
        let state = dir + "/state"
        // Alone, the console runs the alert scheduler of its state directory.
        let alone = try await ProcessRunner.run([Repository.opsbotBinary, "console", "--state-dir", state], timeout: 60,
                                                environment: env([:]), workingDirectory: TestApp.repositoryRoot, stdin: Data("/ping\n".utf8))
        #expect(alone.exitCode == 0 && alone.stderr.contains("check provider(s) scheduled"), "\(alone.stderr)")
        // A running opsbot (this test process) holds the state directory.
        guard case .acquired(let lock)? = StateLock.acquire(stateDir: state) else { Issue.record("no lock"); return }
        let beside = try await ProcessRunner.run([Repository.opsbotBinary, "console", "--state-dir", state], timeout: 60,
                                                 environment: env([:]), workingDirectory: TestApp.repositoryRoot, stdin: Data("/ping\n".utf8))
        #expect(beside.exitCode == 0, "\(beside.stderr)")
        #expect(beside.stdout.contains("note: opsbot run (pid \(getpid())) is using the state directory \(state): this console runs commands only"), "\(beside.stdout)")
        #expect(beside.stdout.contains("pong"))
        #expect(!beside.stderr.contains("check provider(s) scheduled"), "\(beside.stderr)")
        try "admins:\n  chats: [-1001234567890]\n  users: [42]\nstate_dir: state\n".write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let run = try await ProcessRunner.run([Repository.opsbotBinary, "run", "--config", dir + "/opsbot.yaml"], timeout: 60,
                                              environment: env(["OPSBOT_TOKEN": "123456789:AAStateLockTest000000000000000000000", "OPSBOT_API_URL": "http://127.0.0.1:1"]),
                                              workingDirectory: dir)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("another opsbot (pid \(getpid())) is running on the state directory \(state)"), "\(run.stderr)")
        withExtendedLifetime(lock) {}
    }

    @Test func validatePrintsProblemsWarningsAndWhatIsNotConfigured() async throws {
        let dir = try tempDir()
        try FileManager.default.copyItem(atPath: TestApp.repositoryRoot + "/opsbot.example.yaml", toPath: dir + "/opsbot.yaml")
        let r = try await ProcessRunner.run([Repository.opsbotBinary, "validate", "--config", dir + "/opsbot.yaml"], timeout: 60,
                                            environment: env(["OPSBOT_TOKEN": "123456789:AAValidateExample00000000000000000000"]), workingDirectory: dir)
        // The copied example: only its placeholders (secret files, the app's directory).
        #expect(r.exitCode == 1)
        let placeholders = ["/etc/opsbot/alertmanager-token", "/etc/opsbot/alertmanager-webhook-token", "/srv/app/alembic/versions",
                            "/etc/opsbot/heartbeat.url: no such file or directory"]
        #expect(r.stderr.contains("the configuration has \(placeholders.count) problems"), "\(r.stderr)")
        // The problems block ends where the warnings begin.
        let listed = r.stderr.components(separatedBy: "\n").prefix { !$0.hasSuffix("warning:") && !$0.hasSuffix("warnings:") }
            .filter { $0.hasPrefix("  - ") }
        #expect(listed.count == placeholders.count && listed.allSatisfy { line in placeholders.contains { line.hasSuffix($0) } }, "\(r.stderr)")
        #expect(!r.stderr.contains("payments_pending") && !r.stderr.contains("(known: )"), "\(r.stderr)")
        // The example lists every check: copying its alerts.checks turns none off.
        #expect(!r.stderr.contains("alerts.checks: lists only"), "\(r.stderr)")
        #expect(r.stderr.contains("not configured here (left out of /help and the Telegram menu"), "\(r.stderr)")
    }
}
