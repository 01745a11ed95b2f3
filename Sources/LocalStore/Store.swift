import Foundation
import OpsbotSupport

/// opsbot's own state, on the machine running it (never in the monitored database: when the
/// app's PostgreSQL is down the admin needs the bot most).
public final class Store: Sendable {
    public let db: SQLiteDatabase
    public let directory: String
    /// Measured values for charts and trends (`History`).
    public let history: History

    /// Opens (creating when needed) `<directory>/opsbot.sqlite3`.
    /// Throws a message that names the directory when it cannot be created, written or read.
    public init(directory: String) throws {
        self.directory = directory
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDir) {
            guard isDir.boolValue else { throw StoreError("state directory \(directory) is a file, not a directory") }
        } else {
            if let why = Store.makeDirectories(directory) {
                throw StoreError("cannot create the state directory \(directory): \(why) (set --state-dir or OPSBOT_STATE_DIR)")
            }
        }
        guard fm.isWritableFile(atPath: directory) else {
            throw StoreError("the state directory \(directory) is not writable by this user (set --state-dir or OPSBOT_STATE_DIR)")
        }
        let path = (directory as NSString).appendingPathComponent("opsbot.sqlite3")
        do {
            db = try SQLiteDatabase(path: path)
            try Store.migrate(db)
            history = try History(db: db)
        } catch let e as SQLiteError {
            throw StoreError("cannot use the state database \(path): \(e.message) (move it aside to start afresh)")
        }
    }

    static func migrate(_ db: SQLiteDatabase) throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL, chat_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
                username TEXT, command TEXT NOT NULL, arguments TEXT NOT NULL DEFAULT '',
                outcome TEXT NOT NULL, duration_ms INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
            CREATE TABLE IF NOT EXISTS confirmations (
                nonce TEXT PRIMARY KEY, chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
                initiator INTEGER NOT NULL, action TEXT NOT NULL, state TEXT NOT NULL,
                created_at REAL NOT NULL, expires_at REAL NOT NULL, decided_by INTEGER);
            """)
    }

    // MARK: key/value

    public func value(_ key: String) throws -> String? {
        try db.query("SELECT value FROM kv WHERE key = ?", [.text(key)]).first?.first?.text
    }

    public func setValue(_ value: String, for key: String) throws {
        try db.execute("INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       [.text(key), .text(value)])
    }

    // MARK: update offset

    /// The next `getUpdates` offset. Stored before an update's command runs, so that a
    /// restart never runs an update twice.
    public func updateOffset() throws -> Int64? {
        try value("telegram.offset").flatMap { Int64($0) }
    }

    public func setUpdateOffset(_ offset: Int64) throws {
        try setValue(String(offset), for: "telegram.offset")
    }

    // MARK: audit

    public struct AuditEntry: Sendable, Hashable {
        public var id: Int64 = 0
        public var at: Date
        public var chatID: Int64
        public var userID: Int64
        public var username: String?
        public var command: String
        public var arguments: String
        public var outcome: String
        public var durationMS: Int
        public init(at: Date, chatID: Int64, userID: Int64, username: String?, command: String, arguments: String, outcome: String, durationMS: Int) {
            self.at = at
            self.chatID = chatID
            self.userID = userID
            self.username = username
            self.command = command
            self.arguments = arguments
            self.outcome = outcome
            self.durationMS = durationMS
        }
    }

    /// Every text column passes the redactor: a chat can put a token in any of them.
    public func audit(_ e: AuditEntry) {
        do {
            try db.execute("INSERT INTO audit(at, chat_id, user_id, username, command, arguments, outcome, duration_ms) VALUES(?,?,?,?,?,?,?,?)",
                           [.real(e.at.timeIntervalSince1970), .int(e.chatID), .int(e.userID), SQLValue(e.username.map { Redactor.shared.redact($0) }),
                            .text(Redactor.shared.redact(e.command)), .text(Redactor.shared.redact(e.arguments)), .text(Redactor.shared.redact(e.outcome)), .int(Int64(e.durationMS))])
        } catch {
            Log.error("audit log write failed: \(error)")
        }
    }

    /// The newest `limit` entries, newest first; `since` bounds them in time.
    public func recentAudit(limit: Int, since: Date? = nil) throws -> [AuditEntry] {
        let rows = try db.query("""
            SELECT id, at, chat_id, user_id, username, command, arguments, outcome, duration_ms
            FROM audit WHERE at >= ? ORDER BY id DESC LIMIT ?
            """, [.real(since?.timeIntervalSince1970 ?? 0), .int(Int64(limit))])
        return rows.map { r in
            var e = AuditEntry(at: Date(timeIntervalSince1970: r[1].double ?? 0), chatID: r[2].int ?? 0, userID: r[3].int ?? 0,
                               username: r[4].text, command: r[5].text ?? "", arguments: r[6].text ?? "",
                               outcome: r[7].text ?? "", durationMS: Int(r[8].int ?? 0))
            e.id = r[0].int ?? 0
            return e
        }
    }
}

public struct StoreError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Store {
    /// `mkdir -p` with mode 0700, returning the reason in plain words when it fails
    /// (Foundation's error reads "NSCocoaErrorDomain error 512").
    static func makeDirectories(_ path: String) -> String? {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: built, isDirectory: &isDir) {
                if !isDir.boolValue { return "\(built) is a file, not a directory" }
                continue
            }
            if mkdir(built, 0o700) != 0 {
                let err = errno
                let parent = (built as NSString).deletingLastPathComponent
                switch err {
                case EACCES, EPERM: return "\(parent.isEmpty ? "/" : parent) is not writable by this user"
                case EROFS: return "\(parent) is on a read-only file system"
                case ENOSPC: return "no space left on the device"
                default: return String(cString: strerror(err))
                }
            }
        }
        return nil
    }
}
