import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// One row that credited a payment (`balance_transactions #12: 500.00 to user 3`).
public struct CreditRow: Sendable, Hashable {
    public var table: String
    public var id: String
    public var user: String?
    /// Nil when the table credits no amount (a subscription row).
    public var amount: String?
}

/// `/reverse_duplicate`: a payment credited twice in one credit table keeps its first row;
/// the extra rows are deleted and their amounts subtracted from the balance — in one
/// transaction that locks the rows and refuses unless they are exactly those of the preview,
/// so two presses, two admins or a retry reverse it once.
extension PaymentsStore {
    public struct Reversal: Sendable, Hashable {
        public var paymentID: String
        public var kept: [CreditRow]
        public var removed: [CreditRow]
        public var statements: [PostgresQuery]
        /// user → total subtracted from the balance.
        public var balanceEffect: [(user: String, amount: Decimal)] {
            var out: [String: Decimal] = [:]
            for r in removed { if let u = r.user, let a = r.amount.flatMap({ Decimal(string: $0) }) { out[u, default: 0] += a } }
            return out.sorted { $0.key < $1.key }.map { (user: $0.key, amount: $0.value) }
        }
        public static func == (a: Reversal, b: Reversal) -> Bool { a.paymentID == b.paymentID && a.removed == b.removed && a.kept == b.kept }
        public func hash(into h: inout Hasher) { h.combine(paymentID); h.combine(removed) }
    }

    public enum ReversalResult: Sendable, Hashable {
        case reversed(Reversal)
        case refused(PaymentStoreText)
    }

    /// Every credit row of a payment, oldest first per table; `lock` takes row locks.
    public func creditRows(_ s: PostgresSession, paymentID: String, lock: Bool = false) throws -> [CreditRow] {
        var out: [CreditRow] = []
        for c in config.credits {
            let amount: PostgresQuery = c.amountColumn.map { "\(unsafeIdentifier: $0)::text" } ?? "NULL::text"
            let rows = try s.query("""
                SELECT \(unsafeIdentifier: c.idColumn)::text AS rid, \(unsafeIdentifier: c.userColumn)::text AS ruser, \(fragment: amount) AS ramount
                FROM \(unsafeIdentifier: c.table) WHERE \(unsafeIdentifier: c.paymentColumn)::text = \(paymentID)
                ORDER BY \(unsafeIdentifier: c.idColumn)\(fragment: lock ? " FOR UPDATE" : "")
                """)
            out += rows.map { CreditRow(table: c.table, id: $0["rid"].string ?? "?", user: $0["ruser"].string, amount: $0["ramount"].string) }
        }
        return out
    }

    /// What reversing would do, or why it cannot.
    public func reversalPlan(paymentID: String, rows: [CreditRow]) -> Result<Reversal, ReversalRefusal> {
        var kept: [CreditRow] = [], removed: [CreditRow] = []
        for c in config.credits {
            let mine = rows.filter { $0.table == c.table }
            guard let first = mine.first else { continue }
            kept.append(first)
            removed += mine.dropFirst()
        }
        guard !removed.isEmpty else {
            return .failure(ReversalRefusal(.notCreditedTwice(payment: paymentID, rows: rows.map { "\($0.table) #\($0.id)" })))
        }
        var statements: [PostgresQuery] = []
        for r in removed {
            let c = config.credits.first { $0.table == r.table }!
            statements.append("DELETE FROM \(unsafeIdentifier: c.table) WHERE \(unsafeIdentifier: c.idColumn)::text = \(r.id) AND \(unsafeIdentifier: c.paymentColumn)::text = \(paymentID)")
        }
        var plan = Reversal(paymentID: paymentID, kept: kept, removed: removed, statements: statements)
        if let b = config.balance {
            for e in plan.balanceEffect {
                plan.statements.append("UPDATE \(unsafeIdentifier: b.table) SET \(unsafeIdentifier: b.column) = \(unsafeIdentifier: b.column) - \("\(e.amount)")::numeric WHERE \(unsafeIdentifier: b.key)::text = \(e.user)")
            }
        }
        return .success(plan)
    }

    public struct ReversalRefusal: Error, Sendable {
        public var text: PaymentStoreText
        public var message: String { text.english }
        init(_ t: PaymentStoreText) { text = t }
    }

    /// Reverses `expected` exactly once (see the type's note).
    public func reverseDuplicate(_ s: PostgresSession, _ expected: Reversal) throws -> ReversalResult {
        try s.transaction { tx in
            let rows = try creditRows(tx, paymentID: expected.paymentID, lock: true)
            let plan: Reversal
            switch reversalPlan(paymentID: expected.paymentID, rows: rows) {
            case .failure(let why): return .refused(why.text)
            case .success(let p): plan = p
            }
            guard plan == expected else {
                return .refused(.creditRowsChanged(payment: expected.paymentID, rows: rows.map { "\($0.table) #\($0.id)" }))
            }
            for q in plan.statements {
                let r = try tx.query(q)
                guard r.affectedRows == 1 else { throw PostgresError(.client, PaymentsText.statementChanged(statement: q.description, rows: r.affectedRows)) }
            }
            return .reversed(plan)
        }
    }
}
