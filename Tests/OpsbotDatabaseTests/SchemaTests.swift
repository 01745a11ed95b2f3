import Foundation
@testable import OpsbotCore
import Testing
import TestHarness
@testable import OpsbotDatabase

@Suite(.enabled(if: TestPostgres.enabled))
struct SchemaTests {
    @Test func demoDatabaseDriftIsNamedInTheAppsWords() async throws {
        let f = try await DBFixture.make()
        let text = try await f.run("/schema").text
        #expect(text.contains("users.notifications_enabled is missing"))
        #expect(text.contains("database at 006_add_tier, code expects 007_notifications (1 migration behind)"))
        let check = await SchemaCheck(database: f.app.databaseFeature).run(f.app)
        #expect(check.map(\.status) == [.critical])
        #expect(check[0].evidence.count == 2)
    }

    @Test func statusShowsTheDatabaseRoundTrip() async throws {
        let f = try await DBFixture.make()
        let text = try await f.run("/status").text
        #expect(text.contains("database: reachable, round trip"), "\(text)")
        let down = try await DBFixture.make(url: "postgresql://app:pw@127.0.0.1:1/app")
        let downText = try await down.run("/status").text
        #expect(downText.contains("🔴") && downText.contains("database"), "\(downText)")
        #expect(!downText.contains("pw@"))
    }

    @Test func migratedDatabaseIsOK() async throws {
        let f = try await DBFixture.make()
        _ = try await f.sql("ALTER TABLE users ADD notifications_enabled boolean NOT NULL DEFAULT true; UPDATE alembic_version SET version_num = '007_notifications'")
        let text = try await f.run("/schema").text
        #expect(text == "✅ schema OK (27 columns checked, at head 007_notifications)")
        #expect(await SchemaCheck(database: f.app.databaseFeature).run(f.app).map(\.status) == [.ok])
    }

    @Test func missingTableTypeAndNullability() async throws {
        let f = try await DBFixture.make()
        _ = try await f.sql("DROP TABLE subscriptions; UPDATE payments SET completed_at = now(); ALTER TABLE payments ALTER completed_at SET NOT NULL; ALTER TABLE users ALTER balance TYPE integer")
        let text = try await f.run("/schema").text
        #expect(text.contains("relation subscriptions does not exist"))
        #expect(text.contains("payments.completed_at is NOT NULL, expected nullable"))
        #expect(text.contains("users.balance is integer, expected numeric"))
    }

    @Test func branchedHeadsAndMissingVersionTable() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alembic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let files = [("a.py", "revision = 'a1'\ndown_revision = None\n"),
                     ("b.py", "revision: str = \"b2\"\ndown_revision: Union[str, None] = 'a1'\n"),
                     ("c.py", "revision = 'c3'\ndown_revision = 'a1'  # branch\n")]
        for (n, t) in files { try t.write(toFile: dir + "/" + n, atomically: true, encoding: .utf8) }
        let config = """
        database:
          schema:
            tables: {users: [id]}
            migrations: {versions_dir: \(dir)}
        """
        let f = try await DBFixture.make(database: config)
        var text = try await f.run("/schema").text
        #expect(text.contains("code has 2 alembic heads (b2, c3): branches are not merged"))
        // A merge revision with a tuple down_revision brings it back to one head.
        try "revision = 'm4'\ndown_revision = ('b2', 'c3')\n".write(toFile: dir + "/m.py", atomically: true, encoding: .utf8)
        _ = try await f.sql("DROP TABLE alembic_version")
        text = try await f.run("/schema").text
        #expect(!text.contains("heads"))
        #expect(text.contains("relation alembic_version does not exist"))
    }

    @Test func alembicDistanceAndUnknownRevision() {
        let h = AlembicHistory(parents: ["1": [], "2": ["1"], "3": ["2"], "3b": ["2"], "4": ["3", "3b"]])
        #expect(h.heads == ["4"])
        #expect(h.distance(from: "2", to: "4") == 3)
        #expect(h.distance(from: "4", to: "2") == nil)
        #expect(AlembicHistory.parse("revision = 'x'\ndown_revision = (\"a\", 'b')\n")! == ("x", ["a", "b"]))
    }

    @Test func unreachableDatabaseIsUnknownNotDrift() async throws {
        let f = try await DBFixture.make(url: "postgresql://app:hunter2secret@127.0.0.1:1/app?connect_timeout=2")
        let check = await SchemaCheck(database: f.app.databaseFeature).run(f.app)
        #expect(check.map(\.status) == [.unknown])
        #expect(!check[0].summary.contains("hunter2secret"))
        #expect(await DatabaseCheck(database: f.app.databaseFeature).run(f.app).map(\.status) == [.critical])
        let text = try await f.run("/schema").text
        #expect(text.contains("cannot connect"))
        #expect(!text.contains("hunter2secret"))
    }

    @Test func noDatabaseURLIsUnknown() async throws {
        let (app, _) = try TestApp.make(configYAML: DefaultConfig.yaml)
        #expect(await SchemaCheck(database: app.databaseFeature).run(app).map(\.status) == [.unknown])
        #expect(await DatabaseCheck(database: app.databaseFeature).run(app).first?.summary == "DATABASE_URL is not set")
    }
}
