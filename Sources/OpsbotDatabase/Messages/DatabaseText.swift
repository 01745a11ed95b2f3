import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// The chat-facing texts of the database feature outside payments: not configured, errors,
/// `/schema`, the generic `sql` module and the `database`/`schema` checks. SQL, table and
/// column names, values and command names stay exact.
enum DatabaseText: MessageCatalog {
    case urlNotInEnvironment
    case schemaListsNothing
    case urlNotSet
    case failure(error: ErrorText, nothingChanged: Bool)
    case unknownFailure(error: ErrorText, nothingChanged: Bool)
    case redFailure(error: ErrorText, nothingChanged: Bool)
    case schemaNothingToCheck(source: String)
    case schemaDriftHeader(columns: Int)
    case reachable(milliseconds: Double)
    case unreachable(error: ErrorText)
    case sqlFailed(command: String, error: ErrorText)
    case sqlPreview(statement: String)
    case sqlRunLabel
    case sqlDone(command: String, status: String, rows: Int?)
    case sqlNoRows(command: String)
    case sqlRows(command: String, rows: Int)
    case sqlMoreRows(rows: Int)
    case sqlAsFile(command: String, rows: Int)

    static var samples: [DatabaseText] {
        let e = ErrorText(english: "cannot connect to the database: connection refused", russian: "не удаётся подключиться к базе: 127.0.0.1:5432")
        return [
            .urlNotInEnvironment,
            .schemaListsNothing,
            .urlNotSet,
            .failure(error: e, nothingChanged: true),
            .unknownFailure(error: e, nothingChanged: false),
            .redFailure(error: e, nothingChanged: true),
            .schemaNothingToCheck(source: "/etc/opsbot/opsbot.yaml"),
            .schemaDriftHeader(columns: 21),
            .reachable(milliseconds: 2.4),
            .unreachable(error: e),
            .sqlFailed(command: "stuck_jobs", error: e),
            .sqlPreview(statement: "DELETE FROM jobs WHERE id = $1"),
            .sqlRunLabel,
            .sqlDone(command: "cleanup", status: "DELETE 3", rows: 3),
            .sqlNoRows(command: "stuck_jobs"),
            .sqlRows(command: "stuck_jobs", rows: 22),
            .sqlMoreRows(rows: 5),
            .sqlAsFile(command: "stuck_jobs", rows: 41),
        ]
    }
}
