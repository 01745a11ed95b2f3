import Foundation
import LocalStore
import OpsbotSupport

/// Alert state, mutes, the outbox and the sent alert messages in opsbot's local SQLite store.
/// Own tables, created on first use; rows hold JSON so that new fields need no migration.
public final class SQLiteAlertStore: AlertPersistence, Sendable {
    public let db: SQLiteDatabase
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    public init(db: SQLiteDatabase) throws {
        self.db = db
        try db.execute("""
            CREATE TABLE IF NOT EXISTS alert_state (fingerprint TEXT PRIMARY KEY, id TEXT NOT NULL, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS alert_mutes (key TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS alert_seq (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS alert_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, kind TEXT NOT NULL,
                fingerprint TEXT, json TEXT NOT NULL, state TEXT NOT NULL, created_at REAL NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, message_id INTEGER, done_at REAL);
            CREATE INDEX IF NOT EXISTS alert_outbox_state ON alert_outbox(state, id);
            CREATE TABLE IF NOT EXISTS alert_messages (
                chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, json TEXT NOT NULL, sent_at REAL NOT NULL,
                PRIMARY KEY (chat_id, message_id));
            CREATE TABLE IF NOT EXISTS alert_refs (
                alert_id TEXT NOT NULL, chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, sent_at REAL NOT NULL,
                PRIMARY KEY (alert_id, chat_id));
            """)
    }

    private func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
    private func decode<T: Decodable>(_ t: T.Type, _ s: String?) -> T? { s.flatMap { try? decoder.decode(T.self, from: Data($0.utf8)) } }

    // MARK: AlertPersistence

    public func loadAlerts() throws -> [AlertState] {
        try db.query("SELECT json FROM alert_state").compactMap { decode(AlertState.self, $0[0].text) }
    }

    public func saveAlerts(_ alerts: [AlertState]) throws {
        try db.transaction {
            for a in alerts {
                try db.execute("INSERT INTO alert_state(fingerprint, id, json) VALUES(?,?,?) ON CONFLICT(fingerprint) DO UPDATE SET id = excluded.id, json = excluded.json",
                               [.text(a.fingerprint), .text(a.id), .text(try json(a))])
            }
        }
    }

    public func deleteAlerts(_ fingerprints: [String]) throws {
        try db.transaction { for f in fingerprints { try db.execute("DELETE FROM alert_state WHERE fingerprint = ?", [.text(f)]) } }
    }

    public func loadMutes() throws -> [Mute] {
        try db.query("SELECT json FROM alert_mutes").compactMap { decode(Mute.self, $0[0].text) }
    }

    public func saveMute(_ m: Mute) throws {
        try db.execute("INSERT INTO alert_mutes(key, json) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET json = excluded.json",
                       [.text(m.key), .text(try json(m))])
    }

    public func deleteMute(_ key: String) throws { try db.execute("DELETE FROM alert_mutes WHERE key = ?", [.text(key)]) }

    public func nextAlertSequence() throws -> Int64 {
        try db.transaction {
            try db.execute("INSERT INTO alert_seq(name, value) VALUES('alert', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1")
            return try db.query("SELECT value FROM alert_seq WHERE name = 'alert'").first?.first?.int ?? 1
        }
    }

    // MARK: outbox

    /// Appends a message. A reminder digest replaces undelivered digests it covers; a resolved
    /// message drops the undelivered reminders of the alerts it resolves.
    @discardableResult
    public func enqueue(_ m: OutgoingMessage, now: Date) throws -> Int64 {
        try db.transaction {
            if m.kind == .reminder || m.kind == .resolved, let ids = m.alertIDs, !ids.isEmpty {
                try dropReminders(Set(ids), chatID: m.chatID)
            }
            try db.execute("INSERT INTO alert_outbox(chat_id, kind, fingerprint, json, state, created_at) VALUES(?,?,?,?, 'pending', ?)",
                           [.int(m.chatID), .text(m.kind.rawValue), SQLValue(m.fingerprint), .text(try json(m)), .real(now.timeIntervalSince1970)])
            return try db.query("SELECT last_insert_rowid()").first?.first?.int ?? 0
        }
    }

    /// Deletes undelivered reminders about nothing but `alertIDs` (resolved, acknowledged or
    /// covered by a newer digest).
    public func dropReminders(_ alertIDs: Set<String>, chatID: Int64? = nil) throws {
        let rows = try db.query("SELECT id, json, chat_id FROM alert_outbox WHERE state = 'pending' AND kind = 'reminder'")
        for r in rows {
            guard chatID == nil || r[2].int == chatID, let m = decode(OutgoingMessage.self, r[1].text) else { continue }
            let ids = Set(m.alertIDs ?? [])
            if !ids.isEmpty && ids.isSubset(of: alertIDs) {
                try db.execute("DELETE FROM alert_outbox WHERE id = ?", [.int(r[0].int ?? 0)])
            }
        }
    }

    /// Deletes an undelivered message (a reminder that went stale before its turn).
    public func drop(_ id: Int64) throws { try db.execute("DELETE FROM alert_outbox WHERE id = ? AND state = 'pending'", [.int(id)]) }

    /// Where an alert's firing message is, once delivered.
    public func saveRef(alertID: String, chatID: Int64, messageID: Int64, now: Date) throws {
        try db.execute("INSERT INTO alert_refs(alert_id, chat_id, message_id, sent_at) VALUES(?,?,?,?) ON CONFLICT(alert_id, chat_id) DO UPDATE SET message_id = excluded.message_id, sent_at = excluded.sent_at",
                       [.text(alertID), .int(chatID), .int(messageID), .real(now.timeIntervalSince1970)])
    }

    public func ref(alertID: String, chatID: Int64) throws -> Int64? {
        try db.query("SELECT message_id FROM alert_refs WHERE alert_id = ? AND chat_id = ?", [.text(alertID), .int(chatID)]).first?.first?.int
    }

    private func item(_ r: [SQLValue]) -> OutboxItem? {
        guard let m = decode(OutgoingMessage.self, r[1].text) else { return nil }
        return OutboxItem(id: r[0].int ?? 0, message: m, state: OutboxItem.State(rawValue: r[2].text ?? "") ?? .pending,
                          createdAt: Date(timeIntervalSince1970: r[3].double ?? 0), attempts: Int(r[4].int ?? 0),
                          lastError: r[5].text, messageID: r[6].int, doneAt: r[7].double.map { Date(timeIntervalSince1970: $0) })
    }

    private static let columns = "id, json, state, created_at, attempts, last_error, message_id, done_at"

    /// Undelivered messages in delivery order.
    public func pending(limit: Int = 1000) throws -> [OutboxItem] {
        // Reminders never hold up a firing or resolved message.
        try db.query("SELECT \(Self.columns) FROM alert_outbox WHERE state = 'pending' ORDER BY CASE kind WHEN 'reminder' THEN 1 ELSE 0 END, id LIMIT ?",
                     [.int(Int64(limit))]).compactMap(item)
    }

    public func failures(limit: Int = 10) throws -> [OutboxItem] {
        try db.query("SELECT \(Self.columns) FROM alert_outbox WHERE state = 'failed' ORDER BY id DESC LIMIT ?", [.int(Int64(limit))]).compactMap(item)
    }

    public func recentlySent(limit: Int = 10) throws -> [OutboxItem] {
        try db.query("SELECT \(Self.columns) FROM alert_outbox WHERE state = 'sent' ORDER BY id DESC LIMIT ?", [.int(Int64(limit))]).compactMap(item)
    }

    public func markSent(_ id: Int64, messageID: Int64, now: Date) throws {
        try db.execute("UPDATE alert_outbox SET state = 'sent', message_id = ?, done_at = ?, attempts = attempts + 1 WHERE id = ?",
                       [.int(messageID), .real(now.timeIntervalSince1970), .int(id)])
    }

    public func markAttempt(_ id: Int64, error: String) throws {
        try db.execute("UPDATE alert_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", [.text(error), .int(id)])
    }

    public func markFailed(_ id: Int64, error: String, now: Date) throws {
        try db.execute("UPDATE alert_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, done_at = ? WHERE id = ?",
                       [.text(error), .real(now.timeIntervalSince1970), .int(id)])
    }

    /// Keeps the history small: delivered rows older than `age`, the newest 100 failures.
    public func prune(olderThan age: Double, now: Date) throws {
        let cut = now.timeIntervalSince1970 - age
        try db.execute("DELETE FROM alert_outbox WHERE state = 'sent' AND done_at < ?", [.real(cut)])
        try db.execute("DELETE FROM alert_outbox WHERE state = 'failed' AND id NOT IN (SELECT id FROM alert_outbox WHERE state = 'failed' ORDER BY id DESC LIMIT 100)")
        try db.execute("DELETE FROM alert_messages WHERE sent_at < ?", [.real(cut)])
        try db.execute("DELETE FROM alert_refs WHERE sent_at < ?", [.real(cut)])
    }

    // MARK: sent messages (for Acknowledge edits)

    public func saveMessage(chatID: Int64, messageID: Int64, _ m: OutgoingMessage, now: Date) throws {
        try db.execute("INSERT INTO alert_messages(chat_id, message_id, json, sent_at) VALUES(?,?,?,?) ON CONFLICT(chat_id, message_id) DO UPDATE SET json = excluded.json",
                       [.int(chatID), .int(messageID), .text(try json(m)), .real(now.timeIntervalSince1970)])
    }

    public func message(chatID: Int64, messageID: Int64) throws -> OutgoingMessage? {
        decode(OutgoingMessage.self, try db.query("SELECT json FROM alert_messages WHERE chat_id = ? AND message_id = ?",
                                                  [.int(chatID), .int(messageID)]).first?.first?.text)
    }
}
