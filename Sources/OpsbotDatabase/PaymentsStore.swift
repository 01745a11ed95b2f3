import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// One row of the app's payments table, read through the configured column names.
public struct Payment: Sendable, Hashable {
    public var id: String
    public var user: String
    public var amount: String
    public var currency: String
    public var type: String
    public var provider: String?
    public var providerPaymentID: String?
    public var status: String
    public var createdAt: Date?
    public var completedAt: Date?
    /// Seconds since created_at, by the database's clock.
    public var age: Double
}

/// The payments queries: every table and column name comes from config (quoted as
/// identifiers), every value is a bind parameter.
public struct PaymentsStore: Sendable {
    public let config: PaymentsConfig

    public init(_ config: PaymentsConfig) { self.config = config }

    var table: PostgresQuery { "\(unsafeIdentifier: config.table)" }
    func col(_ role: String) -> PostgresQuery { "\(unsafeIdentifier: config.column(role)!)" }

    /// The select list: each configured role as `r_<role>`, plus the age.
    var selectList: PostgresQuery {
        var q: PostgresQuery = ""
        for role in PaymentsConfig.logicalColumns {
            guard let c = config.column(role) else { continue }
            q = q + "\(unsafeIdentifier: c)::text AS \(unsafeIdentifier: "r_" + role), "
        }
        return q + "extract(epoch FROM now() - \(unsafeIdentifier: config.column("created_at")!))::float8 AS r_age"
    }

    func payment(_ r: PostgresRow) -> Payment {
        Payment(id: r["r_id"].string ?? "?", user: r["r_user"].string ?? "?",
                amount: PaymentsStore.scaled(r["r_amount"].string ?? "?", config.amountScale),
                currency: r["r_currency"].string ?? config.currency, type: r["r_type"].string ?? "?",
                provider: r["r_provider"].string, providerPaymentID: r["r_provider_payment_id"].string,
                status: r["r_status"].string ?? "?", createdAt: r["r_created_at"].date, completedAt: r["r_completed_at"].date,
                age: r["r_age"].double ?? 0)
    }

    /// `12345` with scale 2 → `123.45` (amounts stored in minor units).
    static func scaled(_ amount: String, _ scale: Int) -> String {
        guard scale > 0, let d = Decimal(string: amount) else { return amount }
        var v = d / pow(Decimal(10), scale)
        var out = Decimal()
        NSDecimalRound(&out, &v, scale, .plain)
        return "\(out)"
    }

    var pendingWhere: PostgresQuery { "\(fragment: col("status")) = \(config.pendingStatus)" }

    func olderThan(_ seconds: Double) -> PostgresQuery {
        "\(fragment: pendingWhere) AND \(fragment: col("created_at")) < now() - make_interval(secs => \(seconds))"
    }

    /// Count and total per currency of pending payments older than `seconds`.
    public func summaryQuery(olderThan seconds: Double) -> PostgresQuery {
        let currency: PostgresQuery = config.column("currency").map { "\(unsafeIdentifier: $0)::text" } ?? "\(config.currency)::text"
        return """
            SELECT \(fragment: currency) AS cur, count(*) AS n, sum(\(fragment: col("amount")))::text AS total
            FROM \(fragment: table) WHERE \(fragment: olderThan(seconds)) GROUP BY 1 ORDER BY 1
            """
    }

    public func pendingSummary(_ s: PostgresSession, olderThan seconds: Double) throws -> (count: Int, totals: [(String, String)]) {
        let rows = try s.query(summaryQuery(olderThan: seconds))
        var n = 0
        var totals: [(String, String)] = []
        for r in rows {
            n += r["n"].int ?? 0
            totals.append((r["cur"].string ?? config.currency, PaymentsStore.scaled(r["total"].string ?? "0", config.amountScale)))
        }
        return (n, totals)
    }

    /// One page, oldest first.
    public func pageQuery(olderThan seconds: Double, offset: Int, limit: Int) -> PostgresQuery {
        """
        SELECT \(fragment: selectList) FROM \(fragment: table) WHERE \(fragment: olderThan(seconds))
        ORDER BY \(fragment: col("created_at")), \(fragment: col("id")) LIMIT \(limit) OFFSET \(offset)
        """
    }

    public func pendingPage(_ s: PostgresSession, olderThan seconds: Double, offset: Int, limit: Int) throws -> [Payment] {
        try s.query(pageQuery(olderThan: seconds, offset: offset, limit: limit)).map(payment)
    }

    /// Keyset paging for walking every pending row with flat memory (exports, the benchmark).
    public func pendingAfter(_ s: PostgresSession, olderThan seconds: Double, after: (created: String, id: String)?, limit: Int) throws -> [(Payment, String)] {
        var keyset: PostgresQuery = ""
        if let after {
            keyset = " AND (\(fragment: col("created_at")), \(fragment: col("id"))::text) > (\(after.created)::timestamptz, \(after.id))"
        }
        let rows = try s.query("""
            SELECT \(fragment: selectList), \(fragment: col("created_at"))::text AS k_created FROM \(fragment: table)
            WHERE \(fragment: olderThan(seconds))\(fragment: keyset)
            ORDER BY \(fragment: col("created_at")), \(fragment: col("id"))::text LIMIT \(limit)
            """)
        return rows.map { (payment($0), $0["k_created"].string ?? "") }
    }

    /// How `id` can match the id column, by the column's type: a malformed id matches nothing
    /// instead of making the server raise a cast error.
    func idMatch(_ s: PostgresSession, _ text: String) throws -> PostgresQuery? {
        let t = try s.query("""
            SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
            WHERE attrelid = to_regclass(\(PostgresQuery.quoteIdentifier(config.table))) AND attname = \(config.column("id")!)
            """).first?["t"].string ?? "text"
        switch t {
        case "integer", "bigint", "smallint":
            guard let n = Int64(text) else { return nil }
            return "\(fragment: col("id")) = \(n)"
        case "uuid":
            guard let u = UUID(uuidString: text) else { return nil }
            return "\(fragment: col("id")) = \(u)"
        default:
            return "\(fragment: col("id"))::text = \(text)"
        }
    }

    /// Payments whose id or provider payment id is `text` (several when a provider id repeats).
    public func find(_ s: PostgresSession, _ text: String) throws -> [Payment] {
        var conds: [PostgresQuery] = []
        if let m = try idMatch(s, text) { conds.append(m) }
        if let p = config.column("provider_payment_id") { conds.append("\(unsafeIdentifier: p) = \(text)") }
        guard !conds.isEmpty else { return [] }
        var whereQ = conds[0]
        for c in conds.dropFirst() { whereQ = whereQ + " OR " + c }
        return try s.query("SELECT \(fragment: selectList) FROM \(fragment: table) WHERE \(fragment: whereQ) ORDER BY \(fragment: col("created_at")) LIMIT 10").map(payment)
    }

    public struct Duplicate: Sendable, Hashable {
        public var paymentID: String
        /// What credited it: `credited 2× (balance_transactions, …)`, `2 succeeded payments share provider payment id X`.
        public var evidenceText: PaymentStoreText
        /// The same in English (logs, alert evidence).
        public var evidence: String { evidenceText.english }
        /// Credited twice through the credit tables (one payment id): `/reverse_duplicate` can undo it.
        public var reversible = false
    }

    /// Payments credited more than once. Read-only.
    public func duplicates(_ s: PostgresSession) throws -> [Duplicate] {
        var out: [Duplicate] = []
        if !config.credits.isEmpty {
            var union: PostgresQuery = ""
            for (i, c) in config.credits.enumerated() {
                if i > 0 { union = union + " UNION ALL " }
                union = union + "SELECT \(unsafeIdentifier: c.paymentColumn)::text AS pid, \(c.table)::text AS src FROM \(unsafeIdentifier: c.table) WHERE \(unsafeIdentifier: c.paymentColumn) IS NOT NULL"
            }
            let rows = try s.query("""
                SELECT pid, count(*) AS n, string_agg(src, ', ' ORDER BY src) AS srcs FROM (\(fragment: union)) x
                GROUP BY pid HAVING count(*) > 1 ORDER BY count(*) DESC, pid LIMIT 100
                """)
            for r in rows {
                out.append(Duplicate(paymentID: r["pid"].string ?? "?", evidenceText: .creditedTimes(count: r["n"].int ?? 0, tables: r["srcs"].string ?? ""), reversible: true))
            }
        }
        if let p = config.column("provider_payment_id") {
            let rows = try s.query("""
                SELECT \(unsafeIdentifier: p)::text AS ppid, count(*) AS n, string_agg(\(fragment: col("id"))::text, ', ' ORDER BY \(fragment: col("id"))) AS ids
                FROM \(fragment: table) WHERE \(fragment: col("status")) = \(config.succeededStatus) AND \(unsafeIdentifier: p) IS NOT NULL
                GROUP BY 1 HAVING count(*) > 1 LIMIT 100
                """)
            for r in rows {
                out.append(Duplicate(paymentID: r["ids"].string ?? "?", evidenceText: .sharedProviderID(count: r["n"].int ?? 0, providerPaymentID: r["ppid"].string ?? "")))
            }
        }
        return out
    }

    // MARK: - Completion

    public enum CompletionResult: Sendable, Hashable {
        case completed(Payment)
        case refused(PaymentStoreText)
    }

    /// The statements completion runs for `p`, with their values: shown in the preview and
    /// run as they are.
    public func completionPlan(for p: Payment, idMatch: PostgresQuery) -> [PostgresQuery]? {
        guard let steps = config.completion[p.type] else { return nil }
        let values: [String: String?] = [
            "id": p.id, "user": p.user, "amount": p.amount, "currency": p.currency, "type": p.type, "provider": p.provider,
            "provider_payment_id": p.providerPaymentID, "status": p.status,
        ]
        var out = steps.map { CompletionSQL.query($0, values: values) }
        var set: PostgresQuery = "UPDATE \(fragment: table) SET \(fragment: col("status")) = \(config.succeededStatus)"
        if let c = config.column("completed_at") { set = set + ", \(unsafeIdentifier: c) = now()" }
        out.append(set + " WHERE \(fragment: idMatch) AND \(fragment: col("status")) = \(config.pendingStatus)")
        return out
    }

    /// Completes `expected` exactly once: locks the row, refuses unless it is still pending and
    /// unchanged since the preview, runs the steps and marks it succeeded, all in one transaction.
    /// `verify` runs with the row locked, before any write (the payment provider asked again):
    /// a reason it returns refuses, and the transaction rolls back having changed nothing.
    public func complete(_ s: PostgresSession, _ expected: Payment, verify: (@Sendable (Payment) -> PaymentStoreText?)? = nil) throws -> CompletionResult {
        try s.transaction { tx in
            guard let idQ = try idMatch(tx, expected.id) else { return .refused(.paymentNotFound(payment: expected.id)) }
            guard let row = try tx.query("SELECT \(fragment: selectList) FROM \(fragment: table) WHERE \(fragment: idQ) FOR UPDATE").first else {
                return .refused(.paymentGone(payment: expected.id))
            }
            let now = payment(row)
            guard now.status == config.pendingStatus else {
                return .refused(.alreadyStatus(payment: now.id, status: now.status, at: now.completedAt))
            }
            guard now.user == expected.user, now.amount == expected.amount, now.type == expected.type, now.currency == expected.currency else {
                return .refused(.changedSincePreview(payment: now.id, user: now.user, amount: now.amount, currency: now.currency, type: now.type))
            }
            guard let plan = completionPlan(for: now, idMatch: idQ) else { return .refused(.typeHasNoSteps(type: now.type)) }
            if let verify, let why = verify(now) { return .refused(why) }
            for (i, q) in plan.enumerated() {
                let r = try tx.query(q)
                if i == plan.count - 1, r.affectedRows != 1 {
                    throw PostgresError(.client, PaymentsText.markingUpdated(payment: now.id, rows: r.affectedRows))
                }
            }
            var done = now
            done.status = config.succeededStatus
            return .completed(done)
        }
    }

    /// `12:03 UTC` today, `2024-05-01 12:03 UTC` otherwise.
    static func clock(_ d: Date) -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = Calendar.current.isDate(d, inSameDayAs: Date()) ? "HH:mm 'UTC'" : "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: d)
    }
}

extension PaymentsStore {
    /// Pending rows created more than `seconds` ago but within `window`, newest first: what
    /// the provider check asks about (a row paid longer ago than the grace was created earlier still).
    public func recentPending(_ s: PostgresSession, olderThan seconds: Double, within window: Double, limit: Int) throws -> [Payment] {
        try s.query("""
            SELECT \(fragment: selectList) FROM \(fragment: table) WHERE \(fragment: olderThan(seconds))
            AND \(fragment: col("created_at")) > now() - make_interval(secs => \(window))
            ORDER BY \(fragment: col("created_at")) DESC LIMIT \(limit)
            """).map(payment)
    }
}
