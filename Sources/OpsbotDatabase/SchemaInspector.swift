import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// Compares the app database with what its code expects: required tables and columns
/// (optionally type and nullability) and the alembic revision. Problems are phrased the way
/// the app's own errors put them (`users.notifications_enabled is missing`).
public struct SchemaReport: Sendable {
    public var problems: [String] = []
    public var columnsChecked = 0
    /// The revision(s) the database is at, when migrations are checked and all is well.
    public var head: String?
    /// Could not inspect at all (database down, config wrong): exit code 2, not drift.
    public var failure: String?

    public var ok: Bool { failure == nil && problems.isEmpty }

    /// `schema OK (23 columns checked, at head 007_notifications)` or the first problem.
    public var summary: String {
        if let failure { return "schema not checked: \(failure)" }
        if problems.isEmpty {
            return "schema OK (\(columnsChecked) columns checked" + (head.map { ", at head \($0)" } ?? "") + ")"
        }
        return problems.count == 1 ? "schema drift: \(problems[0])" : "schema drift: \(problems.count) problems"
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
                report.failure = "\(error)"
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
                        versionError = "relation \(versionTable) does not exist (no migration has run)"
                    }
                }
                return Found(columns: cols, versions: versions, versionError: versionError)
            }
        } catch {
            report.failure = describe(error)
            return report
        }

        for (table, columns) in exp.tables {
            guard let have = found.columns[table] else {
                report.problems.append("relation \(table) does not exist")
                continue
            }
            for c in columns {
                report.columnsChecked += 1
                guard let col = have[c.name] else {
                    report.problems.append("\(table).\(c.name) is missing")
                    continue
                }
                if let t = c.type, !typeMatches(expected: t, dataType: col.type, udt: col.udt) {
                    report.problems.append("\(table).\(c.name) is \(col.type), expected \(t)")
                }
                if let n = c.nullable, n != col.nullable {
                    report.problems.append("\(table).\(c.name) " + (col.nullable ? "allows NULL, expected NOT NULL" : "is NOT NULL, expected nullable"))
                }
            }
        }

        if let m = exp.migrations {
            let heads = m.head.map { [$0] } ?? history?.heads ?? []
            if m.head == nil, heads.count > 1 {
                report.problems.append("code has \(heads.count) alembic heads (\(heads.joined(separator: ", "))): branches are not merged (alembic merge heads)")
            }
            if let e = found.versionError {
                report.problems.append(e)
            } else if let versions = found.versions {
                if versions.isEmpty {
                    report.problems.append("\(m.versionTable) is empty: no migration applied, code expects \(heads.joined(separator: ", "))")
                } else if Set(versions) == Set(heads) {
                    report.head = versions.joined(separator: ", ")
                } else if versions.count == 1, heads.count == 1 {
                    let at = versions[0], want = heads[0]
                    if let history, history.parents[at] == nil {
                        report.problems.append("database at \(at), which the code's migrations do not contain (ahead of the code, or from another branch); code expects \(want)")
                    } else if let n = history?.distance(from: at, to: want) {
                        report.problems.append("database at \(at), code expects \(want) (\(n) migration\(n == 1 ? "" : "s") behind)")
                    } else if let n = history?.distance(from: want, to: at) {
                        report.problems.append("database at \(at), code expects \(want) (database \(n) migration\(n == 1 ? "" : "s") ahead)")
                    } else {
                        report.problems.append("database at \(at), code expects \(want)")
                    }
                } else {
                    report.problems.append("database at \(versions.joined(separator: ", ")), code expects \(heads.joined(separator: ", "))")
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
