import OpsbotSupport

extension PostgresText {
    public var english: String {
        switch self {
        case .cannotConnect(let d): "cannot connect to the database: \(d)"
        case .connectionLost(let d): "lost the database connection: \(d)"
        case .sqlState(let m, let c): "\(m) (SQLSTATE \(c))"
        case .outOfMemory: "out of memory"
        case .noConnection: "no connection"
        case .connectionClosed: "connection closed"
        case .poolBusy(let n, let s): "all \(n) database connections stayed busy for \(Durations.format(s))"
        case .queryDidNotFinish(let s): "query did not finish within \(Durations.format(s)); it was cancelled and the connection dropped"
        case .queryCancelled(let s): "query ran longer than \(Durations.format(s)) and was cancelled"
        case .statementTimeout(let s): "query ran longer than \(Durations.format(s)) and was cancelled (statement_timeout)"
        case .noResult: "no result"
        case .noColumn(let c): "the result has no column \(c)"
        case .columnIsNull(let c, let e): "column \(c) is NULL, expected \(e)"
        case .cannotRead(let c, let t, let e): "column \(c): cannot read \"\(t)\" as \(e)"
        case .invalidIdentifier(let n): "invalid identifier \"\(n)\""
        case .cannotQuote(let d): "cannot quote identifier: \(d)"
        case .unsupportedResult(let s): "unsupported result (\(s))"
        }
    }
}
