import Foundation
import SystemOps
import Testing
import TestHarness

/// `opsbot check schema` as a CI job runs it: a config with only the database section, no
/// admin ids, no token, no state directory.
@Suite(.enabled(if: TestPostgres.enabled)) struct DeployGateBinaryTests {
    func env(_ extra: [String: String]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL", "OPSBOT_API_URL", "OPSBOT_ADMIN_CHAT_IDS", "OPSBOT_ADMIN_USER_IDS", "OPSBOT_STATE_DIR"] {
            e.removeValue(forKey: k)
        }
        return e.merging(extra) { $1 }
    }

    @Test func checkSchemaRunsOnACIMachine() async throws {
        let pg = try await TestPostgres.sharedAsync()
        let db = try await pg.createDatabaseAsync(sql: "CREATE TABLE users (id bigint NOT NULL, email text);")
        let dir = NSTemporaryDirectory() + "opsbot-ci-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "database:\n  schema:\n    tables:\n      users: [id bigint not null, email text]\n".write(toFile: dir + "/app.yaml", atomically: true, encoding: .utf8)
        let ok = try await ProcessRunner.run([BinaryTests.binary, "check", "schema", "--config", dir + "/app.yaml"], timeout: 60,
                                             environment: env(["DATABASE_URL": pg.url(database: db)]), workingDirectory: dir)
        #expect(ok.exitCode == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("schema"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/.state"), "check must not need a state directory")

        // Drift fails the gate with 1.
        try "database:\n  schema:\n    tables:\n      users: [id bigint not null, email text, tier text]\n".write(toFile: dir + "/drift.yaml", atomically: true, encoding: .utf8)
        let drift = try await ProcessRunner.run([BinaryTests.binary, "check", "schema", "--config", dir + "/drift.yaml"], timeout: 60,
                                                environment: env(["DATABASE_URL": pg.url(database: db)]), workingDirectory: dir)
        #expect(drift.exitCode == 1, "\(drift.stdout)\(drift.stderr)")

        // Nothing to compare: the gate must not pass vacuously.
        try "database:\n  pool_size: 2\n".write(toFile: dir + "/empty.yaml", atomically: true, encoding: .utf8)
        let empty = try await ProcessRunner.run([BinaryTests.binary, "check", "schema", "--config", dir + "/empty.yaml"], timeout: 60,
                                                environment: env(["DATABASE_URL": pg.url(database: db)]), workingDirectory: dir)
        #expect(empty.exitCode == 2, "\(empty.stdout)\(empty.stderr)")
        #expect(empty.stdout.contains("nothing to check"))

        // A typo in the config still stops the gate, with file, line and suggestion.
        try "database:\n  schema:\n    tabels:\n      users: [id]\n".write(toFile: dir + "/typo.yaml", atomically: true, encoding: .utf8)
        let typo = try await ProcessRunner.run([BinaryTests.binary, "check", "schema", "--config", dir + "/typo.yaml"], timeout: 60,
                                               environment: env(["DATABASE_URL": pg.url(database: db)]), workingDirectory: dir)
        #expect(typo.exitCode == 2)
        #expect(typo.stderr.contains("typo.yaml:3: database.schema.tabels: unknown key \"tabels\" (did you mean \"tables\"?)"), "\(typo.stderr)")
    }
}
