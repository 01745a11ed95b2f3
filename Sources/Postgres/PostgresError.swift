import Foundation
import OpsbotSupport

/// Why a database call failed, with the server's own words and SQLSTATE when it answered.
///
/// Messages pass through the Redactor: libpq connection errors can echo parts of the
/// connection string, and DATABASE_URL passwords must never reach a reply or a log.
public struct PostgresError: Error, CustomStringConvertible, Sendable, Equatable, Localizable {
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
    /// `message` in Russian when opsbot wrote it (libpq's and the server's own text has none).
    public var russianMessage: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = Redactor.shared.redact(PostgresError.oneLine(message))
        self.sqlState = sqlState
        self.detail = detail.map { Redactor.shared.redact(PostgresError.oneLine($0)) }
    }

    /// opsbot's own words (a catalog message), kept in every language.
    public init(_ kind: Kind, _ text: some Localizable, sqlState: String? = nil) {
        self.init(kind, text.english, sqlState: sqlState)
        russianMessage = Redactor.shared.redact(PostgresError.oneLine(text.russian))
    }

    /// libpq's text on one line, whole: its continuation lines ("\n\tIs the server running on
    /// that host…?") joined with single spaces, so a reply, a table cell or a log line shows
    /// every word and no tab.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    public var description: String { text(.en) }

    public var english: String { text(.en) }

    /// In Russian: opsbot's words translated, libpq's and the server's as they came.
    public var russian: String { text(.ru) }

    func text(_ language: Language) -> String {
        let m = language == .ru ? (russianMessage ?? message) : message
        let s: PostgresText? = switch kind {
        case .connect: .cannotConnect(detail: m)
        case .connectionLost: .connectionLost(detail: m)
        case .server: sqlState.map { .sqlState(message: m, code: $0) }
        case .timeout, .client: nil
        }
        return s.map { language == .ru ? $0.russian : $0.english } ?? m
    }

    /// True when the database could not be reached at all (vs. a statement problem).
    public var isUnreachable: Bool { kind == .connect || kind == .connectionLost }

    // A few SQLSTATEs callers care about.
    public static let undefinedTable = "42P01"
    public static let undefinedColumn = "42703"
    public static let queryCanceled = "57014"
    public static let readOnlyTransaction = "25006"
}
