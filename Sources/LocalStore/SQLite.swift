import CSQLite
import Foundation
import OpsbotSupport

/// SQLite's transient destructor: SQLite copies the bound bytes before the call returns.
private let SQLITE_TRANSIENT_PTR = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

public struct SQLiteError: Error, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "sqlite error \(code): \(message)" }
}

/// A value bound to or read from SQLite.
public enum SQLValue: Sendable, Hashable {
    case null, int(Int64), real(Double), text(String), blob(Data)

    public var int: Int64? { if case .int(let v) = self { v } else { nil } }
    public var double: Double? {
        switch self {
        case .real(let v): v
        case .int(let v): Double(v)
        default: nil
        }
    }
    public var text: String? { if case .text(let v) = self { v } else { nil } }
    public var blob: Data? { if case .blob(let v) = self { v } else { nil } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(_ s: String?) { self = s.map { .text($0) } ?? .null }
    public init(_ i: Int64?) { self = i.map { .int($0) } ?? .null }
    public init(_ d: Double?) { self = d.map { .real($0) } ?? .null }
}

/// One SQLite connection, serialized by a lock. Every value is bound, never spliced.
///
/// Local-disk SQLite calls take microseconds in WAL mode, so they run inline; the lock keeps
/// the connection to one thread at a time.
// @unchecked: the sqlite3 pointer is only used under `lock` (and opened FULLMUTEX).
public final class SQLiteDatabase: @unchecked Sendable {
    private var db: OpaquePointer?
    private let lock = NSRecursiveLock()
    public let path: String

    public init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close(handle) }
            throw SQLiteError(code: rc, message: "\(path): \(msg)")
        }
        db = handle
        sqlite3_busy_timeout(handle, 5000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
        // Detects a corrupt file at start rather than at the first write.
        let check = try query("PRAGMA quick_check")
        if let first = check.first?.first?.text, first != "ok" {
            throw SQLiteError(code: SQLITE_CORRUPT, message: "\(path) is corrupt: \(first)")
        }
    }

    deinit { sqlite3_close(db) }

    /// Runs statements that return nothing (several may be separated by `;` when no parameters).
    public func execute(_ sql: String, _ params: [SQLValue] = []) throws {
        if params.isEmpty {
            try withLock {
                var err: UnsafeMutablePointer<CChar>?
                let rc = sqlite3_exec(db, sql, nil, nil, &err)
                if rc != SQLITE_OK {
                    let msg = err.map { String(cString: $0) } ?? "error"
                    sqlite3_free(err)
                    throw SQLiteError(code: rc, message: msg)
                }
            }
            return
        }
        _ = try query(sql, params)
    }

    /// Runs one statement and returns every row.
    @discardableResult
    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> [[SQLValue]] {
        try withLock {
            var stmt: OpaquePointer?
            var rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
            guard rc == SQLITE_OK else { throw lastError(rc) }
            defer { sqlite3_finalize(stmt) }
            for (i, p) in params.enumerated() {
                let idx = Int32(i + 1)
                switch p {
                case .null: rc = sqlite3_bind_null(stmt, idx)
                case .int(let v): rc = sqlite3_bind_int64(stmt, idx, v)
                case .real(let v): rc = sqlite3_bind_double(stmt, idx, v)
                case .text(let v): rc = sqlite3_bind_text(stmt, idx, v, -1, SQLITE_TRANSIENT_PTR)
                case .blob(let v):
                    rc = v.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT_PTR) }
                }
                guard rc == SQLITE_OK else { throw lastError(rc) }
            }
            var rows: [[SQLValue]] = []
            while true {
                rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw lastError(rc) }
                let n = sqlite3_column_count(stmt)
                var row: [SQLValue] = []
                row.reserveCapacity(Int(n))
                for c in 0..<n {
                    switch sqlite3_column_type(stmt, c) {
                    case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(stmt, c)))
                    case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(stmt, c)))
                    case SQLITE_TEXT: row.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                    case SQLITE_BLOB:
                        let len = Int(sqlite3_column_bytes(stmt, c))
                        if let p = sqlite3_column_blob(stmt, c) { row.append(.blob(Data(bytes: p, count: len))) } else { row.append(.blob(Data())) }
                    default: row.append(.null)
                    }
                }
                rows.append(row)
            }
            return rows
        }
    }

    /// Rows changed by the last statement (for compare-and-set updates).
    public var changes: Int { withLock { Int(sqlite3_changes(db)) } }

    /// Runs `body` in one transaction, rolled back if it throws.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try withLock {
            try execute("BEGIN IMMEDIATE")
            do {
                let r = try body()
                try execute("COMMIT")
                return r
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    private func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func lastError(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(db)))
    }
}
