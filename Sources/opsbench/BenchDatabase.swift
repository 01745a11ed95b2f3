import Foundation
import OpsbotCore
import Postgres
import TestSupport
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbench database`: /payments pending and /schema against 1,000,000 payments and 50 extra
/// tables, next to the queries' own EXPLAIN ANALYZE time, and RSS while walking every
/// pending row with keyset paging (memory must stay flat).
enum BenchDatabase {
    static func run() async throws {
        let total = Date()
        let pg = try TestPostgres.shared()
        let demo = try String(contentsOfFile: TestApp.repositoryRoot + "/demo/app-db.sql", encoding: .utf8)
        let url = try pg.createDatabase(sql: demo)
        let db = String(url.split(separator: "=").last!)
        var t = Date()
        try pg.psql(database: db, command: """
            INSERT INTO payments (user_id, amount, payment_type, provider, provider_payment_id, status, created_at, completed_at)
            SELECT 1 + g % 4, (g % 1000) + 0.99, CASE WHEN g % 2 = 0 THEN 'balance_topup' ELSE 'subscription' END, 'yookassa',
                   'bench-' || g, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'succeeded' END,
                   now() - interval '20 minutes' - g * interval '1 second', NULL
            FROM generate_series(1, 1000000) g
            """)
        try pg.psql(database: db, command: """
            DO $$ BEGIN FOR i IN 1..50 LOOP
              EXECUTE format('CREATE TABLE bench_%s (id bigserial PRIMARY KEY, name text NOT NULL, amount numeric, flag boolean, created_at timestamptz DEFAULT now())', i);
            END LOOP; END $$;
            ANALYZE;
            """)
        print(String(format: "database: loaded 1,000,000 payments (100,000 pending) + 50 tables in %.1f s", Date().timeIntervalSince(t)))

        var tables = ""
        for i in 1...50 { tables += "      bench_\(i): [id bigint not null, name text not null, amount numeric, flag boolean, created_at timestamptz]\n" }
        let demoConfig = try String(contentsOfFile: TestApp.repositoryRoot + "/demo/config-database.yaml", encoding: .utf8)
        let config = DefaultConfig.yaml + "\n" + demoConfig.replacingOccurrences(of: "    tables:\n", with: "    tables:\n" + tables)
        let (app, _) = try TestApp.make(configYAML: config, environment: ["DATABASE_URL": url])
        let client = try app.databaseFeature.client()
        let store = PaymentsStore(client.settings.payments)

        func median(_ runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
            try await body()  // warm-up (connect, plan cache)
            var times: [Double] = []
            for _ in 0..<runs {
                let s = Date()
                try await body()
                times.append(Date().timeIntervalSince(s) * 1000)
            }
            return times.sorted()[runs / 2]
        }
        func explain(_ q: PostgresQuery) async throws -> Double {
            let rows = try await client.session { s in try s.query("EXPLAIN (ANALYZE, TIMING OFF) " + q) }
            let line = rows.compactMap { $0[index: 0].string }.first { $0.contains("Execution Time") } ?? ""
            return Double(line.split(separator: " ").dropLast().last ?? "") ?? -1
        }
        func reply(_ name: String, _ words: [String: ArgumentValue]) async -> String {
            let entry = app.catalog.entry(name)!
            let out = await entry.module.handle(ModuleContext(app: app, request: CommandRequest(command: entry.command, arguments: words, chatID: 1, userID: 1), progress: NoProgress()))
            if case .reply(let r) = out { return HTML.toPlainText(r.html) }
            return ""
        }

        var first = ""
        let pending = await median(5) { first = await reply("payments", ["what": .string("pending")]) }
        let summaryMS = try await explain(store.summaryQuery(olderThan: 900))
        let pageMS = try await explain(store.pageQuery(olderThan: 900, offset: 0, limit: 10))
        print(String(format: "database: /payments pending reply median %.1f ms; its queries' execution: count+total %.1f ms + first page %.1f ms",
                     pending, summaryMS, pageMS))
        print("database:   → \(first.split(separator: "\n").first ?? "")")
        let deepMS = try await explain(store.pageQuery(olderThan: 900, offset: 99_990, limit: 10))
        print(String(format: "database: last page (OFFSET 99,990) query execution %.1f ms (buttons use OFFSET; the file export uses keyset)", deepMS))

        var schemaText = ""
        let schema = await median(5) { schemaText = await reply("schema", [:]) }
        let columnsMS = try await explain(SchemaInspector.columnsQuery("public"))
        print(String(format: "database: /schema reply median %.1f ms; information_schema.columns query execution %.1f ms", schema, columnsMS))
        print("database:   → \(schemaText.split(separator: "\n").first ?? "")")

        // Walk every pending row with keyset paging, sampling RSS.
        t = Date()
        let rssStart = rssMB()
        let (rows, rssMax) = try await client.session { s -> (Int, Double) in
            var after: (String, String)?
            var n = 0
            var peak = rssMB()
            while true {
                let page = try store.pendingAfter(s, olderThan: 900, after: after, limit: 1000)
                n += page.count
                if let last = page.last { after = (last.1, last.0.id) }
                peak = max(peak, rssMB())
                if page.count < 1000 { break }
            }
            return (n, peak)
        }
        print(String(format: "database: paged through %d pending rows (keyset, 1000/page) in %.1f s; RSS %.1f MB at start, peak %.1f MB, end %.1f MB",
                     rows, Date().timeIntervalSince(t), rssStart, rssMax, rssMB()))
        client.close()
        print(String(format: "database: total %.1f s", Date().timeIntervalSince(total)))
    }

    static func rssMB() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kb / 1024
    }
}
