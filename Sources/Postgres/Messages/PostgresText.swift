import OpsbotSupport

/// opsbot's own words about the database, in every language; libpq's and the server's text
/// (`connection to server at … failed: …`, `relation "x" does not exist`) stays as it came.
public enum PostgresText: MessageCatalog {
    case cannotConnect(detail: String)
    case connectionLost(detail: String)
    case sqlState(message: String, code: String)
    case outOfMemory
    case noConnection
    case connectionClosed
    case poolBusy(connections: Int, seconds: Double)
    case queryDidNotFinish(seconds: Double)
    case queryCancelled(seconds: Double)
    case statementTimeout(seconds: Double)
    case noResult
    case noColumn(column: String)
    case columnIsNull(column: String, expected: String)
    case cannotRead(column: String, text: String, expected: String)
    case invalidIdentifier(name: String)
    case cannotQuote(detail: String)
    case unsupportedResult(status: String)

    public static var samples: [PostgresText] {
        [
            .cannotConnect(detail: "127.0.0.1:5432"),
            .connectionLost(detail: "08006"),
            .sqlState(message: "отношение \"payments\" не существует", code: "42P01"),
            .outOfMemory, .noConnection, .connectionClosed,
            .poolBusy(connections: 4, seconds: 15),
            .queryDidNotFinish(seconds: 30),
            .queryCancelled(seconds: 30),
            .statementTimeout(seconds: 30),
            .noResult,
            .noColumn(column: "user_id"),
            .columnIsNull(column: "user_id", expected: "integer"),
            .cannotRead(column: "user_id", text: "x1", expected: "integer"),
            .invalidIdentifier(name: ""),
            .cannotQuote(detail: "0x00"),
            .unsupportedResult(status: "PGRES_COPY_OUT"),
        ]
    }
}
