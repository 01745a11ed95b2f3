import Foundation

/// A result set in libpq's text format, decoded on demand by column name.
public struct PostgresRows: Sendable, Sequence {
    public var columns: [String]
    public var types: [UInt32]
    public var values: [[String?]]
    /// `UPDATE 1`, `SELECT 3`, `BEGIN`.
    public var commandStatus: String
    /// Rows affected by INSERT/UPDATE/DELETE (PQcmdTuples), 0 otherwise.
    public var affectedRows: Int

    public init(columns: [String], types: [UInt32], values: [[String?]], commandStatus: String = "", affectedRows: Int = 0) {
        self.columns = columns
        self.types = types
        self.values = values
        self.commandStatus = commandStatus
        self.affectedRows = affectedRows
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var first: PostgresRow? { values.isEmpty ? nil : self[0] }
    public subscript(i: Int) -> PostgresRow { PostgresRow(columns: columns, types: types, values: values[i]) }

    public func makeIterator() -> AnyIterator<PostgresRow> {
        var i = 0
        return AnyIterator {
            guard i < values.count else { return nil }
            defer { i += 1 }
            return self[i]
        }
    }
}

/// One row; cells by column name.
public struct PostgresRow: Sendable {
    public var columns: [String]
    public var types: [UInt32]
    public var values: [String?]

    public subscript(_ name: String) -> PostgresCell {
        guard let i = columns.firstIndex(of: name) else { return PostgresCell(column: name, text: nil, type: 0, exists: false) }
        return PostgresCell(column: name, text: values[i], type: types[i], exists: true)
    }

    public subscript(index i: Int) -> PostgresCell { PostgresCell(column: columns[i], text: values[i], type: types[i], exists: true) }
}

/// One value in text format, with typed accessors. Each returns nil for SQL NULL, and the
/// throwing `decode` names the column when a value is missing or malformed.
public struct PostgresCell: Sendable {
    public var column: String
    /// nil: SQL NULL.
    public var text: String?
    public var type: UInt32
    public var exists: Bool

    public var isNull: Bool { text == nil }
    public var string: String? { text }
    public var int: Int? { text.flatMap { Int($0) } }
    public var int64: Int64? { text.flatMap { Int64($0) } }
    public var double: Double? { text.flatMap { Double($0) } }
    /// `t`/`f` as PostgreSQL prints booleans.
    public var bool: Bool? {
        switch text {
        case "t", "true": true
        case "f", "false": false
        default: nil
        }
    }
    /// numeric as its exact decimal text.
    public var numeric: PostgresNumeric? { text.map(PostgresNumeric.init) }
    public var date: Date? { text.flatMap(PostgresTimestamp.parse) }
    public var uuid: UUID? { text.flatMap { UUID(uuidString: $0) } }

    public func decode<T>(_ get: (PostgresCell) -> T?, as what: String) throws -> T {
        guard exists else { throw PostgresError(.client, PostgresText.noColumn(column: column)) }
        guard let text else { throw PostgresError(.client, PostgresText.columnIsNull(column: column, expected: what)) }
        guard let v = get(self) else { throw PostgresError(.client, PostgresText.cannotRead(column: column, text: String(text.prefix(40)), expected: what)) }
        return v
    }
}
