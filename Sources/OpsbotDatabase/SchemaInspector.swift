import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// Compares the app database with what its code expects: required tables and columns
/// (optionally type and nullability) and the alembic revision. Problems are phrased the way
/// the app's own errors put them (`users.notifications_enabled is missing`).
public struct SchemaReport: Sendable {
    /// What differs, in every language.
    public var issues: [SchemaText] = []
    /// The problems in English (logs, `opsbot check`, alert evidence).
    public var problems: [String] { issues.map(\.english) }
    public var columnsChecked = 0
    /// The revision(s) the database is at, when migrations are checked and all is well.
    public var head: String?
    /// Could not inspect at all (database down, config wrong): exit code 2, not drift.
    public var failure: String?
    /// The failure in Russian, when it was opsbot's words (libpq's text stays as it came).
    public var failureRU: String?

    public var ok: Bool { failure == nil && issues.isEmpty }

    /// `schema OK (23 columns checked, at head 007_notifications)` or the first problem.
    public var summary: String { summaryText.english }

    /// The summary in every language.
    public var summaryText: SchemaText {
        if let failure { return .notChecked(failure: failure, failureRU: failureRU ?? failure) }
        if issues.isEmpty { return .schemaOK(columns: columnsChecked, head: head) }
        return issues.count == 1 ? .drift(problem: issues[0].english, problemRU: issues[0].russian) : .driftMany(problems: issues.count)
    }
}

public enum SchemaInspector {
    /// Every column of every table in `namespace` (one round trip, whatever the table count).
    public static func columnsQuery(_ namespace: String) -> PostgresQuery {
        """
        SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
        WHERE table_schema = \(namespace)
        """
    }

    public static func inspect(_ db: DatabaseClient, resolvePath: (String) -> String) async -> SchemaReport {
        var report = SchemaReport()
        let exp = db.settings.schema
        var history: AlembicHistory?
        if let dir = exp.migrations?.versionsDir {
            do { history = try AlembicHistory.load(directory: resolvePath(dir)) } catch {
                let e = ErrorText(error)
                report.failure = e.english
                report.failureRU = e.russian
                return report
            }
        }
        struct Found: Sendable { var columns: [String: [String: (type: String, udt: String, nullable: Bool)]]; var versions: [String]?; var versionError: String? }
        let ns = exp.namespace
        let versionTable = exp.migrations?.versionTable
        let found: Found
        do {
            found = try await db.session { s in
                let rows = try s.query(columnsQuery(ns))
                var cols: [String: [String: (type: String, udt: String, nullable: Bool)]] = [:]
                for r in rows {
                    cols[r["table_name"].string ?? "", default: [:]][r["column_name"].string ?? ""] =
                        (r["data_type"].string ?? "", r["udt_name"].string ?? "", r["is_nullable"].string == "YES")
                }
                var versions: [String]?
                var versionError: String?
                if let versionTable {
                    do {
                        versions = try s.query("SELECT version_num FROM \(unsafeQualified: [ns, versionTable]) ORDER BY 1").compactMap { $0["version_num"].string }
                    } catch let e as PostgresError where e.sqlState == PostgresError.undefinedTable {
                        versionError = versionTable
                    }
                }
                return Found(columns: cols, versions: versions, versionError: versionError)
            }
        } catch {
            let e = ErrorText(error)
            report.failure = e.english
            report.failureRU = e.russian
            return report
        }

        for (table, columns) in exp.tables {
            guard let have = found.columns[table] else {
                report.issues.append(.relationMissing(table: table))
                continue
            }
            for c in columns {
                report.columnsChecked += 1
                guard let col = have[c.name] else {
                    report.issues.append(.columnMissing(table: table, column: c.name))
                    continue
                }
                if let t = c.type, !typeMatches(expected: t, dataType: col.type, udt: col.udt) {
                    report.issues.append(.columnType(table: table, column: c.name, actual: col.type, expected: t))
                }
                if let n = c.nullable, n != col.nullable {
                    report.issues.append(.columnNullable(table: table, column: c.name, allowsNull: col.nullable))
                }
            }
        }

        if let m = exp.migrations {
            let heads = m.head.map { [$0] } ?? history?.heads ?? []
            if m.head == nil, heads.count > 1 {
                report.issues.append(.unmergedHeads(heads: heads))
            }
            if let e = found.versionError {
                report.issues.append(.versionTableMissing(table: e))
            } else if let versions = found.versions {
                if versions.isEmpty {
                    report.issues.append(.versionTableEmpty(table: m.versionTable, heads: heads))
                } else if Set(versions) == Set(heads) {
                    report.head = versions.joined(separator: ", ")
                } else if versions.count == 1, heads.count == 1 {
                    let at = versions[0], want = heads[0]
                    if let history, history.parents[at] == nil {
                        report.issues.append(.unknownRevision(at: at, expected: want))
                    } else if let n = history?.distance(from: at, to: want) {
                        report.issues.append(.behind(at: at, expected: want, migrations: n))
                    } else if let n = history?.distance(from: want, to: at) {
                        report.issues.append(.ahead(at: at, expected: want, migrations: n))
                    } else {
                        report.issues.append(.revisionDiffers(at: [at], expected: [want]))
                    }
                } else {
                    report.issues.append(.revisionDiffers(at: versions, expected: heads))
                }
            }
        }
        return report
    }

    static let aliases: [String: String] = [
        "int": "integer", "int4": "integer", "serial": "integer", "int8": "bigint", "bigserial": "bigint", "int2": "smallint",
        "bool": "boolean", "varchar": "character varying", "char": "character", "bpchar": "character",
        "timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
        "decimal": "numeric", "float8": "double precision", "float": "double precision", "float4": "real",
        "timetz": "time with time zone", "time": "time without time zone",
    ]

    /// `varchar(20)` matches `character varying`; `int4` matches `integer`; user types by udt name.
    static func typeMatches(expected: String, dataType: String, udt: String) -> Bool {
        var e = expected.lowercased()
        if let p = e.firstIndex(of: "(") { e = String(e[..<p]).trimmingCharacters(in: .whitespaces) }
        let canonical = aliases[e] ?? e
        return canonical == dataType.lowercased() || e == udt.lowercased() || (dataType == "USER-DEFINED" && e == udt)
    }
}
