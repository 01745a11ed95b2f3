import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// What `/schema` and the `schema` check find, in every language. Table, column and type
/// names and alembic revisions stay exact.
public enum SchemaText: MessageCatalog {
    case relationMissing(table: String)
    case columnMissing(table: String, column: String)
    case columnType(table: String, column: String, actual: String, expected: String)
    case columnNullable(table: String, column: String, allowsNull: Bool)
    case unmergedHeads(heads: [String])
    case versionTableMissing(table: String)
    case versionTableEmpty(table: String, heads: [String])
    case unknownRevision(at: String, expected: String)
    case behind(at: String, expected: String, migrations: Int)
    case ahead(at: String, expected: String, migrations: Int)
    case revisionDiffers(at: [String], expected: [String])
    case notChecked(failure: String, failureRU: String)
    case schemaOK(columns: Int, head: String?)
    case drift(problem: String, problemRU: String)
    case driftMany(problems: Int)
    case versionsDirUnreadable(directory: String)
    case migrationUnreadable(path: String)
    case noRevisionLine(file: String)
    case noMigrationFiles(directory: String)

    public static var samples: [SchemaText] {
        [
            .relationMissing(table: "balance_transactions"),
            .columnMissing(table: "users", column: "notifications_enabled"),
            .columnType(table: "users", column: "id", actual: "integer", expected: "bigint"),
            .columnNullable(table: "users", column: "email", allowsNull: true),
            .unmergedHeads(heads: ["007_a", "007_b"]),
            .versionTableMissing(table: "alembic_version"),
            .versionTableEmpty(table: "alembic_version", heads: ["007_notifications"]),
            .unknownRevision(at: "009_x", expected: "007_notifications"),
            .behind(at: "005_x", expected: "007_notifications", migrations: 2),
            .ahead(at: "008_x", expected: "007_notifications", migrations: 1),
            .revisionDiffers(at: ["005_a", "005_b"], expected: ["007_notifications"]),
            .notChecked(failure: "query ran longer than 30 s and was cancelled", failureRU: "запрос выполнялся дольше 30 с и был отменён"),
            .schemaOK(columns: 23, head: "007_notifications"),
            .drift(problem: "users.notifications_enabled is missing", problemRU: "нет колонки users.notifications_enabled"),
            .driftMany(problems: 3),
            .versionsDirUnreadable(directory: "/srv/app/migrations/versions"),
            .migrationUnreadable(path: "/srv/app/migrations/versions/007_notifications.py"),
            .noRevisionLine(file: "007_notifications.py"),
            .noMigrationFiles(directory: "/srv/app/migrations/versions"),
        ]
    }
}
