import Foundation
import Postgres
import Testing
import TestTraits
import TestKit

/// The libpq layer against a real, throwaway PostgreSQL.
@Suite(.enabled(if: TestPostgres.enabled), .ownThreads)
struct PostgresConnectionTests {
    func connect(_ sql: String? = nil, statementTimeout: Double = 10) async throws -> PostgresConnection {
        let pg = try await TestPostgres.sharedAsync()
        return PostgresConnection(PostgresConfiguration(url: try await pg.createDatabaseAsync(sql: sql), statementTimeout: statementTimeout))
    }

    @Test func typedDecodingOfEveryKind() async throws {
        let c = try await connect()
        let rows = try await c.session { s in
            try s.query("""
            SELECT 42::int AS i, 9000000000::bigint AS b, 123.4500::numeric AS n, true AS t, 'héllo'::text AS s,
                   '2024-05-01 12:03:04.5+02'::timestamptz AS ts, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, NULL::int AS z
            """)
        }
        let r = try #require(rows.first)
        #expect(r["i"].int == 42)
        #expect(r["b"].int64 == 9_000_000_000)
        #expect(r["n"].numeric?.text == "123.4500")
        #expect(r["t"].bool == true)
        #expect(r["s"].string == "héllo")
        #expect(r["ts"].date == Date(timeIntervalSince1970: 1_714_557_784.5))
        #expect(r["u"].uuid == UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        #expect(r["z"].isNull)
        #expect(throws: PostgresError.self) { try r["z"].decode(\.int, as: "an integer") }
        #expect(throws: PostgresError.self) { try r["s"].decode(\.int, as: "an integer") }
    }

    @Test func interpolatedValuesAreBindsNotSQL() async throws {
        let c = try await connect("CREATE TABLE t (id int, name text); INSERT INTO t VALUES (1, 'a'), (2, 'b');")
        let evil = "a' OR '1'='1"
        let q: PostgresQuery = "SELECT id FROM t WHERE name = \(evil)"
        #expect(q.sql == "SELECT id FROM t WHERE name = $1")
        #expect(q.binds == [PostgresBind(text: evil)])
        let rows = try await c.session { s in try s.query(q) }
        #expect(rows.isEmpty)
        let drop = "1; DROP TABLE t; --"
        await #expect(throws: PostgresError.self) { try await c.session { s in try s.query("SELECT * FROM t WHERE id = \(drop)::int") } }
        let still = try await c.session { s in try s.query("SELECT count(*) AS n FROM t") }
        #expect(still.first?["n"].int == 2)
    }

    @Test func identifiersAreQuotedByLibpq() async throws {
        let c = try await connect(#"CREATE TABLE "we""ird" (x int); INSERT INTO "we""ird" VALUES (7);"#)
        let rows = try await c.session { s in try s.query("SELECT x FROM \(unsafeIdentifier: "we\"ird")") }
        #expect(rows.first?["x"].int == 7)
        await #expect(throws: PostgresError.self) {
            try await c.session { s in try s.query("SELECT 1 FROM \(unsafeIdentifier: "t; DROP TABLE x")") }
        }
    }

    @Test func serverErrorsCarrySQLState() async throws {
        let c = try await connect()
        do {
            _ = try await c.session { s in try s.query("SELECT * FROM nope") }
            Issue.record("expected an error")
        } catch let e as PostgresError {
            #expect(e.kind == .server)
            #expect(e.sqlState == PostgresError.undefinedTable)
            #expect(e.message.contains("relation \"nope\" does not exist"))
        }
    }

    @Test func statementTimeoutCancelsAndReports() async throws {
        let c = try await connect()
        let started = Date()
        do {
            _ = try await c.session { s in try s.query("SELECT pg_sleep(60)", timeout: 0.5) }
            Issue.record("expected a timeout")
        } catch let e as PostgresError {
            #expect(e.kind == .timeout)
            #expect(e.description.contains("cancelled"))
        }
        #expect(Date().timeIntervalSince(started) < 20)  // far below the 60 s sleep, with room for a loaded CI machine
        // The connection is still usable afterwards, with the default timeout back.
        let r = try await c.session { s in try s.query("SELECT current_setting('statement_timeout') AS t") }
        #expect(r.first?["t"].string == "10s")
    }

    /// A server that stops answering altogether (backend frozen with SIGSTOP): the client's
    /// own deadline fires, PQcancel is sent, and when even that goes unanswered the
    /// connection is dropped and the call returns. The next use reconnects.
    @Test func frozenServerNeverLeavesTheCallHanging() async throws {
        let c = try await connect()
        let pid = try await c.backendPID()
        #expect(kill(pid, SIGSTOP) == 0)
        defer { kill(pid, SIGCONT) }
        let started = Date()
        let error = await #expect(throws: PostgresError.self) { try await c.session(retryIfLost: false) { s in try s.query("SELECT 1", timeout: 0.5) } }
        #expect(error?.kind == .timeout)
        #expect(Date().timeIntervalSince(started) < 20)
        kill(pid, SIGCONT)
        let r = try await c.session { s in try s.query("SELECT 2 AS two") }
        #expect(r.first?["two"].int == 2)
        #expect(try await c.backendPID() != pid)
    }

    @Test func transactionRollsBackOnError() async throws {
        let c = try await connect("CREATE TABLE t (id int primary key);")
        await #expect(throws: PostgresError.self) {
            try await c.session { s in
                try s.transaction { tx in
                    try tx.query("INSERT INTO t VALUES (\(1))")
                    try tx.query("INSERT INTO t VALUES (\(1))")  // duplicate key
                }
            }
        }
        let n = try await c.session { s in try s.query("SELECT count(*) AS n FROM t") }
        #expect(n.first?["n"].int == 0)
        let readOnly = await #expect(throws: PostgresError.self) {
            try await c.session { s in try s.transaction(readOnly: true) { tx in try tx.query("INSERT INTO t VALUES (2)") } }
        }
        #expect(readOnly?.sqlState == PostgresError.readOnlyTransaction)
    }

    @Test func lostConnectionIsReplacedOnNextUse() async throws {
        let pg = try await TestPostgres.sharedAsync()
        let url = try await pg.createDatabaseAsync()
        let c = PostgresConnection(PostgresConfiguration(url: url))
        let killer = PostgresConnection(PostgresConfiguration(url: url))
        let pid1 = try await c.backendPID()
        _ = try await killer.session { s in try s.query("SELECT pg_terminate_backend(\(pid1))") }
        // Without retry the loss is reported as such…
        await #expect(throws: PostgresError.self) { try await c.session(retryIfLost: false) { s in try s.query("SELECT 1") } }
        // …and the next use reconnects.
        let pid2 = try await c.backendPID()
        #expect(pid2 != pid1)
        // With retry (the default) a read survives a kill in between.
        _ = try await killer.session { s in try s.query("SELECT pg_terminate_backend(\(pid2))") }
        let r = try await c.session { s in try s.query("SELECT 1 AS one") }
        #expect(r.first?["one"].int == 1)
    }

    @Test func unreachableServerFailsFastWithoutPassword() async throws {
        let c = PostgresConnection(PostgresConfiguration(url: "postgresql://app:s3cretpass@127.0.0.1:1/app", connectTimeout: 2))
        do {
            _ = try await c.session { s in try s.query("SELECT 1") }
            Issue.record("expected a connect error")
        } catch let e as PostgresError {
            #expect(e.kind == .connect)
            #expect(!e.description.contains("s3cretpass"))
        }
    }

    @Test func bothURLFormsConnect() async throws {
        let pg = try await TestPostgres.sharedAsync()
        let url = try await pg.createDatabaseAsync()
        let name = String(url.split(separator: "=").last!)
        for u in [url, pg.uri(database: name)] {
            let c = PostgresConnection(PostgresConfiguration(url: u))
            let r = try await c.session { s in try s.query("SELECT current_database() AS d") }
            #expect(r.first?["d"].string == name)
        }
    }
}
