import Foundation

/// A SQL statement whose interpolated values become bind parameters, so chat text can never
/// become SQL: `"SELECT * FROM payments WHERE id = \(id)"` is sent as `… WHERE id = $1` with
/// `id` bound. Identifiers from the operator's config go through the explicitly named
/// `\(unsafeIdentifier:)`, quoted by libpq's `PQescapeIdentifier` when the query runs.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public enum Fragment: Sendable, Hashable {
        case sql(String)
        case bind(PostgresBind)
        case identifier(String)
    }

    public private(set) var fragments: [Fragment]

    public init(fragments: [Fragment]) { self.fragments = fragments }

    public init(stringLiteral value: String) { fragments = [.sql(value)] }

    public init(stringInterpolation: StringInterpolation) { fragments = stringInterpolation.fragments }

    /// Trusted SQL text from the operator's config (`settings.statement`) with its own `$1…`
    /// placeholders, and the values for them. The text never contains chat input.
    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        fragments = [.sql(sql)] + binds.map { .bind($0) }
        prebound = true
    }

    /// `unsafeSQL`: binds are numbered by the text itself, not by their position in it.
    private var prebound = false

    public struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { fragments.append(.sql(literal)) }
        /// A value: becomes `$n`.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) { fragments.append(.bind(value.postgresBind)) }
        /// A table or column name from config, quoted as an identifier (never chat text).
        public mutating func appendInterpolation(unsafeIdentifier name: String) { fragments.append(.identifier(name)) }
        /// `schema.table` from config: each part quoted.
        public mutating func appendInterpolation(unsafeQualified parts: [String]) {
            for (i, p) in parts.enumerated() {
                if i > 0 { fragments.append(.sql(".")) }
                fragments.append(.identifier(p))
            }
        }
        /// Another query spliced in; its binds are renumbered.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            precondition(!fragment.prebound, "an unsafeSQL query cannot be spliced")
            fragments.append(contentsOf: fragment.fragments)
        }
    }

    /// Appends another query (binds renumbered).
    public static func + (a: PostgresQuery, b: PostgresQuery) -> PostgresQuery {
        precondition(!a.prebound && !b.prebound, "an unsafeSQL query cannot be concatenated")
        return PostgresQuery(fragments: a.fragments + b.fragments)
    }

    /// The values in `$n` order.
    public var binds: [PostgresBind] {
        fragments.compactMap { if case .bind(let b) = $0 { b } else { nil } }
    }

    /// The SQL text with `$n` placeholders; identifiers quoted by `quote`.
    public func sql(quote: (String) throws -> String) rethrows -> String {
        var out = ""
        var n = 0
        for f in fragments {
            switch f {
            case .sql(let s): out += s
            case .bind:
                if !prebound {
                    n += 1
                    out += "$\(n)"
                }
            case .identifier(let name): out += try quote(name)
            }
        }
        return out
    }

    /// SQL with identifiers quoted the way PQescapeIdentifier does, for display and tests.
    public var sql: String { sql(quote: PostgresQuery.quoteIdentifier) }

    /// `"name"` with embedded quotes doubled: what PQescapeIdentifier produces for valid UTF-8.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Exactly what runs: the statement, then each parameter's value, for confirmation previews.
    public var description: String {
        let b = binds
        if b.isEmpty { return sql }
        return sql + "\n  -- " + b.enumerated().map { "$\($0.offset + 1) = \($0.element)" }.joined(separator: ", ")
    }
}
