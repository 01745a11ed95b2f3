import Foundation
import OpsbotSupport

/// Why a database call failed, with the server's own words and SQLSTATE when it answered.
///
/// Messages pass through the Redactor: libpq connection errors can echo parts of the
/// connection string, and DATABASE_URL passwords must never reach a reply or a log.
public struct PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Could not connect (refused, DNS, auth, connect_timeout).
        case connect
        /// The connection broke while in use (server restart, pg_terminate_backend, network).
        case connectionLost
        /// The server rejected the statement; `sqlState` says why.
        case server
        /// The statement ran longer than its timeout and was cancelled.
        case timeout
        /// A value could not be decoded, or the query was malformed before it was sent.
        case client
    }

    public var kind: Kind
    public var message: String
    /// Five-character SQLSTATE (e.g. `42P01` undefined_table), when the server sent one.
    public var sqlState: String?
    public var detail: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = Redactor.shared.redact(PostgresError.oneLine(message))
        self.sqlState = sqlState
        self.detail = detail.map { Redactor.shared.redact(PostgresError.oneLine($0)) }
    }

    /// libpq's text on one line, whole: its continuation lines ("\n\tIs the server running on
    /// that host…?") joined with single spaces, so a reply, a table cell or a log line shows
    /// every word and no tab.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    public var description: String {
        var s: String
        switch kind {
        case .connect: s = "cannot connect to the database: \(message)"
        case .connectionLost: s = "lost the database connection: \(message)"
        case .timeout: s = message
        case .server, .client: s = message
        }
        if let sqlState, kind == .server { s += " (SQLSTATE \(sqlState))" }
        return s
    }

    /// True when the database could not be reached at all (vs. a statement problem).
    public var isUnreachable: Bool { kind == .connect || kind == .connectionLost }

    // A few SQLSTATEs callers care about.
    public static let undefinedTable = "42P01"
    public static let undefinedColumn = "42703"
    public static let queryCanceled = "57014"
    public static let readOnlyTransaction = "25006"
}
