import Foundation
import OpsbotCore
import OpsbotSupport

/// The `database:` config section (every key is documented in demo/config-database.yaml).
/// Defaults match the app in seed 002: `payments` with `pending`/`succeeded`, balance
/// top-ups and subscriptions, alembic migrations.
public struct DatabaseConfig: Decodable, Sendable {
    public var connectTimeout: Double = 5
    public var statementTimeout: Double = 30
    public var poolSize: Int = 2
    public var schema = SchemaExpectations()
    public var payments = PaymentsConfig()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case connectTimeout = "connect_timeout", statementTimeout = "statement_timeout", poolSize = "pool_size", schema, payments
    }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        connectTimeout = try c.duration(.connectTimeout, above: true) ?? connectTimeout
        statementTimeout = try c.duration(.statementTimeout, above: true) ?? statementTimeout
        poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize) ?? poolSize
        guard (1...20).contains(poolSize) else {
            throw DecodingError.dataCorruptedError(forKey: .poolSize, in: c, debugDescription: "must be 1–20, got \(poolSize)")
        }
        schema = try c.decodeIfPresent(SchemaExpectations.self, forKey: .schema) ?? schema
        payments = try c.decodeIfPresent(PaymentsConfig.self, forKey: .payments) ?? payments
    }
}

/// What `/schema` and `opsbot check schema` expect of the app's database.
public struct SchemaExpectations: Decodable, Sendable {
    /// The PostgreSQL schema the tables live in.
    public var namespace = "public"
    /// Table → expected columns, in file order.
    public var tables: [(table: String, columns: [ColumnExpectation])] = []
    public var migrations: Migrations?

    public struct Migrations: Decodable, Sendable {
        /// The expected head revision, when given directly.
        public var head: String?
        /// The app's alembic `versions/` directory, from which the heads are computed.
        public var versionsDir: String?
        public var versionTable = "alembic_version"
        enum CodingKeys: String, CodingKey { case head, versionsDir = "versions_dir", versionTable = "version_table" }
        public init(head: String? = nil, versionsDir: String? = nil) {
            self.head = head
            self.versionsDir = versionsDir
        }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            head = try c.decodeIfPresent(String.self, forKey: .head)
            versionsDir = try c.decodeIfPresent(String.self, forKey: .versionsDir)
            versionTable = try c.decodeIfPresent(String.self, forKey: .versionTable) ?? versionTable
            if head == nil && versionsDir == nil {
                throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "needs head or versions_dir"))
            }
        }
    }

    enum CodingKeys: String, CodingKey { case namespace = "schema_name", tables, migrations }

    public init(tables: [(table: String, columns: [ColumnExpectation])] = [], migrations: Migrations? = nil) {
        self.tables = tables
        self.migrations = migrations
    }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace) ?? namespace
        migrations = try c.decodeIfPresent(Migrations.self, forKey: .migrations)
        if c.contains(.tables) {
            let t = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .tables)
            // YAML mapping order is kept by Yams' keyed container.
            for key in t.allKeys {
                let specs = try t.decodeIfPresent([String].self, forKey: key) ?? []
                var cols: [ColumnExpectation] = []
                for (i, s) in specs.enumerated() {
                    guard let col = ColumnExpectation(parsing: s) else {
                        throw DecodingError.dataCorrupted(.init(codingPath: t.codingPath + [key, AnyKey(intValue: i)],
                            debugDescription: "expected \"name [type] [null|not null]\", got \"\(s)\""))
                    }
                    cols.append(col)
                }
                tables.append((key.stringValue, cols))
            }
        }
    }
}

/// `notifications_enabled boolean not null`: a column, optionally its type and nullability.
public struct ColumnExpectation: Sendable, Hashable {
    public var name: String
    public var type: String?
    public var nullable: Bool?

    public init(name: String, type: String? = nil, nullable: Bool? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    public init?(parsing s: String) {
        var words = s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0) }
        guard let first = words.first, !first.isEmpty else { return nil }
        name = first
        words.removeFirst()
        let lower = words.map { $0.lowercased() }
        if lower.suffix(2) == ["not", "null"] {
            nullable = false
            words.removeLast(2)
        } else if lower.last == "null" {
            nullable = true
            words.removeLast()
        }
        type = words.isEmpty ? nil : words.joined(separator: " ").lowercased()
    }
}

/// The payments table in the app's own names.
public struct PaymentsConfig: Decodable, Sendable {
    public var table = "payments"
    /// Logical name → the app's column (`user` → `user_id`). Empty string: the app has none.
    public var columns: [String: String] = PaymentsConfig.defaultColumns
    public var pendingStatus = "pending"
    public var succeededStatus = "succeeded"
    /// `/payments pending` without an argument, and the `payments` check's threshold.
    public var pendingAfter: Double = 15 * 60
    /// Shown when the table has no currency column.
    public var currency = "RUB"
    /// Amounts are stored in minor units (kopecks) when 2: shown divided by 10^scale.
    public var amountScale = 0
    public var pageSize = 10
    /// Tables whose rows credit a payment; two rows for one payment = double credit.
    public var credits: [Credit] = [Credit(table: "balance_transactions", paymentColumn: "payment_id", amountColumn: "amount"),
                                    Credit(table: "subscriptions", paymentColumn: "payment_id")]
    /// Where a credit's amount lands (`users.balance` by `users.id`): `/reverse_duplicate`
    /// subtracts the extra rows' amounts here. nil: no balance to correct.
    public var balance: Balance? = Balance()

    public struct Balance: Decodable, Sendable, Hashable {
        public var table = "users"
        public var column = "balance"
        /// The balance table's column the credit rows' `user_column` refers to.
        public var key = "id"
        public init() {}
        enum CodingKeys: String, CodingKey { case table, column, key }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            table = try c.decodeIfPresent(String.self, forKey: .table) ?? table
            column = try c.decodeIfPresent(String.self, forKey: .column) ?? column
            key = try c.decodeIfPresent(String.self, forKey: .key) ?? key
        }
    }
    /// Payment type → the SQL that credits it, run in the completion's transaction.
    /// `{id}`, `{user}`, `{amount}` … (logical column names) become bind parameters.
    public var completion: [String: [String]] = PaymentsConfig.defaultCompletion
    /// Value of the `provider` column → the provider API that holds the truth about its
    /// payments (`yookassa`, `cryptobot`). Rows of other providers are shown as before.
    public var providers: [String: PaymentProviderConfig] = [:]
    /// `payment_webhook_lost` fires for a payment pending here but paid at the provider longer than this.
    public var webhookGrace: Double = 10 * 60
    /// One deadline for all provider calls of a `/payments pending` page or a check round.
    public var providerDeadline: Double = 8

    public struct Credit: Decodable, Sendable, Hashable {
        public var table: String
        public var paymentColumn: String
        /// The row's own id (shown, and what `/reverse_duplicate` deletes by).
        public var idColumn = "id"
        /// The credited user; with `amount_column`, the balance to correct.
        public var userColumn = "user_id"
        /// The credited amount; nil when the row credits no balance (a subscription).
        public var amountColumn: String?
        enum CodingKeys: String, CodingKey {
            case table, paymentColumn = "payment_column", idColumn = "id_column", userColumn = "user_column", amountColumn = "amount_column"
        }
        public init(table: String, paymentColumn: String, amountColumn: String? = nil) {
            self.table = table
            self.paymentColumn = paymentColumn
            self.amountColumn = amountColumn
        }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            table = try c.decode(String.self, forKey: .table)
            paymentColumn = try c.decode(String.self, forKey: .paymentColumn)
            idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn) ?? idColumn
            userColumn = try c.decodeIfPresent(String.self, forKey: .userColumn) ?? userColumn
            amountColumn = try c.decodeIfPresent(String.self, forKey: .amountColumn)
        }
    }

    public static let logicalColumns = ["id", "user", "amount", "currency", "type", "provider", "provider_payment_id", "status", "created_at", "completed_at"]
    public static let defaultColumns: [String: String] = [
        "id": "id", "user": "user_id", "amount": "amount", "currency": "", "type": "payment_type", "provider": "provider",
        "provider_payment_id": "provider_payment_id", "status": "status", "created_at": "created_at", "completed_at": "completed_at",
    ]
    public static let defaultCompletion: [String: [String]] = [
        "balance_topup": [
            "INSERT INTO balance_transactions (user_id, amount, type, payment_id) VALUES ({user}, {amount}, 'topup', {id})",
            "UPDATE users SET balance = balance + {amount} WHERE id = {user}",
        ],
        "subscription": [
            "INSERT INTO subscriptions (user_id, tier, payment_id, starts_at, expires_at) VALUES ({user}, 'premium', {id}, now(), now() + interval '30 days')",
            "UPDATE users SET tier = 'premium' WHERE id = {user}",
        ],
    ]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case table, columns, pendingStatus = "pending_status", succeededStatus = "succeeded_status", pendingAfter = "pending_after",
             currency, amountScale = "amount_scale", pageSize = "page_size", credits, completion, balance
        case providers, webhookGrace = "webhook_grace", providerDeadline = "provider_deadline"
    }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        table = try c.decodeIfPresent(String.self, forKey: .table) ?? table
        if let cols = try c.decodeIfPresent([String: String].self, forKey: .columns) {
            for k in cols.keys where !PaymentsConfig.logicalColumns.contains(k) {
                throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [CodingKeys.columns, AnyKey(k)],
                    debugDescription: "unknown column role (known: \(PaymentsConfig.logicalColumns.joined(separator: ", ")))"))
            }
            columns.merge(cols) { $1 }
        }
        for required in ["id", "user", "amount", "type", "status", "created_at"] where (columns[required] ?? "").isEmpty {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [CodingKeys.columns, AnyKey(required)], debugDescription: "is required"))
        }
        pendingStatus = try c.decodeIfPresent(String.self, forKey: .pendingStatus) ?? pendingStatus
        succeededStatus = try c.decodeIfPresent(String.self, forKey: .succeededStatus) ?? succeededStatus
        pendingAfter = try c.duration(.pendingAfter, above: true) ?? pendingAfter
        currency = try c.decodeIfPresent(String.self, forKey: .currency) ?? currency
        amountScale = try c.decodeIfPresent(Int.self, forKey: .amountScale) ?? amountScale
        pageSize = try c.decodeIfPresent(Int.self, forKey: .pageSize) ?? pageSize
        guard (1...50).contains(pageSize) else {
            throw DecodingError.dataCorruptedError(forKey: .pageSize, in: c, debugDescription: "must be 1–50, got \(pageSize)")
        }
        credits = try c.decodeIfPresent([Credit].self, forKey: .credits) ?? credits
        if c.contains(.balance) { balance = try c.decodeNil(forKey: .balance) ? nil : try c.decode(Balance.self, forKey: .balance) }
        if let steps = try c.decodeIfPresent([String: [String]].self, forKey: .completion) { completion = steps }
        if c.contains(.providers) {
            let p = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .providers)
            for key in p.allKeys { providers[key.stringValue] = try p.decode(PaymentProviderConfig.self, forKey: key) }
        }
        webhookGrace = try c.duration(.webhookGrace, above: true) ?? webhookGrace
        providerDeadline = try c.duration(.providerDeadline, above: true) ?? providerDeadline
        guard providerDeadline <= 60 else {
            throw DecodingError.dataCorruptedError(forKey: .providerDeadline, in: c, debugDescription: "must be at most 60s (a chat reply waits for it)")
        }
        let known = Set(PaymentsConfig.logicalColumns)
        for (type, steps) in completion {
            for (i, s) in steps.enumerated() {
                for p in CompletionSQL.placeholders(in: s) where !known.contains(p) {
                    throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [CodingKeys.completion, AnyKey(type), AnyKey(intValue: i)],
                        debugDescription: "placeholder {\(p)} is not a payment column role (known: \(PaymentsConfig.logicalColumns.joined(separator: ", ")))"))
                }
            }
        }
    }

    /// The app's column for a role, nil when it has none.
    public func column(_ role: String) -> String? {
        guard let c = columns[role], !c.isEmpty else { return nil }
        return c
    }
}
