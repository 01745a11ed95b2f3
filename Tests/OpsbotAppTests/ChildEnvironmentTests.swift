import Foundation
import Testing
import TestHarness
import SystemOps
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotServices

/// Children (runbook `shell` steps, backends) run with an explicit environment: opsbot's
/// secrets never reach them, and their output is masked by every registered secret.
@Suite(.serialized, .exclusive) struct ChildEnvironmentTests {
    /// The environment of the first live process whose argv is exactly `argv`.
    static func environ(of argv: [String], within seconds: Double) async -> [String: String]? {
        let want = argv.joined(separator: "\0") + "\0"
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
                guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), String(decoding: cmd, as: UTF8.self) == want,
                      let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
                var out: [String: String] = [:]
                for entry in env.split(separator: 0) {
                    let s = String(decoding: entry, as: UTF8.self)
                    if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
                }
                return out
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return nil
    }

    @Test func shellStepGetsNoSecretsOnlyItsOwnEnv() async throws {
        let token = "123456789:" + "AAChildEnvTokenShouldNeverLeakxxxxxxx"
        let dbURL = "postgresql://app:SuperSecretPw@db:5432/app"
        setenv("OPSBOT_TOKEN", token, 1)
        setenv("DATABASE_URL", dbURL, 1)
        defer { unsetenv("OPSBOT_TOKEN"); unsetenv("DATABASE_URL") }
        let secretFile = NSTemporaryDirectory() + "opsbot-secret-\(UUID().uuidString)"
        try "file-secret-value-42\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let marker = "3.\(Int.random(in: 100_000...999_999))"
        let cmd = """
        name: napenv
        description: sleeps, then prints its secret
        module: shell
        settings:
          argv: [sh, -c, "sleep \(marker); echo value=$API_SECRET mode=$MODE"]
          timeout: 20s
          env:
            MODE: maintenance
            API_SECRET: {file: \(secretFile)}
        """
        let (app, transport) = try TestApp.make(commands: [("Commands/napenv.yaml", cmd)],
                                                environment: ["OPSBOT_TOKEN": token, "DATABASE_URL": dbURL])
        let router = Router(app: app, progressDelay: 30)
        let run = Task { await router.handle(.message(IncomingMessage(chatID: 1, userID: 1, username: "a", messageID: 1, text: "/napenv"))) }
        // The `sleep` started by `sh` inherits sh's environment: read it from /proc.
        let env = try #require(await ChildEnvironmentTests.environ(of: ["sleep", marker], within: 10))
        #expect(env["OPSBOT_TOKEN"] == nil)
        #expect(env["DATABASE_URL"] == nil)
        #expect(!env.values.contains(token))
        #expect(env["MODE"] == "maintenance")
        #expect(env["API_SECRET"] == "file-secret-value-42")
        #expect(env["PATH"] != nil)
        #expect(Set(env.keys).isSubset(of: Set(ProcessRunner.inheritedVariables + ["MODE", "API_SECRET", "PWD", "SHLVL", "_"])))
        await run.value
        let reply = transport.texts.joined(separator: "\n")
        #expect(reply.contains("mode=maintenance"))
        // The file secret is registered: the output shows it masked.
        #expect(!reply.contains("file-secret-value-42"))
        #expect(reply.contains("[REDACTED]"))
    }

    @Test func processRunnerDefaultIsTheMinimalEnvironment() async throws {
        setenv("OPSBOT_TOKEN", "123456789:" + "AAAnotherTokenThatMustNotLeakxxxxxxx", 1)
        defer { unsetenv("OPSBOT_TOKEN") }
        let marker = "2.\(Int.random(in: 100_000...999_999))"
        let run = Task { try await ProcessRunner.run(["sleep", marker], timeout: 20) }
        let env = try #require(await ChildEnvironmentTests.environ(of: ["sleep", marker], within: 10))
        #expect(env["OPSBOT_TOKEN"] == nil)
        #expect(Set(env.keys).isSubset(of: Set(ProcessRunner.inheritedVariables)))
        run.cancel()
        _ = try? await run.value
    }

    @Test func commandBackendRunsWithItsRunEnvOnly() async throws {
        setenv("OPSBOT_TOKEN", "123456789:" + "AAAThirdTokenThatMustNotLeakxxxxxxxxx", 1)
        defer { unsetenv("OPSBOT_TOKEN") }
        let secretFile = NSTemporaryDirectory() + "opsbot-runenv-\(UUID().uuidString)"
        try "runenv-secret-99\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let marker = "2.\(Int.random(in: 100_000...999_999))"
        let config = try OpsbotConfig.parse("""
        services:
          api:
            backend: command
            status_command: [sh, -c, "sleep \(marker); echo up $API_KEY"]
            run_env: {REGION: eu, API_KEY: {file: \(secretFile)}}
        """, source: "c.yaml", baseDirectory: "/")
        let settings = try ServicesSettings.load(config)
        let backend = CommandBackend(config: try #require(settings.service("api")))
        let status = Task { await backend.status() }
        let env = try #require(await ChildEnvironmentTests.environ(of: ["sleep", marker], within: 10))
        #expect(env["OPSBOT_TOKEN"] == nil)
        #expect(env["REGION"] == "eu")
        #expect(env["API_KEY"] == "runenv-secret-99")
        let s = await status.value
        #expect(s.state == .running)
        #expect(!s.detail.contains("runenv-secret-99"), "\(s.detail)")
    }
}
