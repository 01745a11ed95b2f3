import CLibPQ
import Foundation
import OpsbotSupport

/// How to reach the database. `url` is DATABASE_URL in either libpq form
/// (`postgresql://user:pw@host:5432/db?sslmode=require` or `host=… dbname=…`).
public struct PostgresConfiguration: Sendable {
    public var url: String
    /// Seconds; libpq's `connect_timeout` (it treats values below 2 as 2).
    public var connectTimeout: Int
    /// Default per-statement limit in seconds, sent as `statement_timeout`.
    public var statementTimeout: Double
    public var applicationName: String

    public init(url: String, connectTimeout: Int = 5, statementTimeout: Double = 30, applicationName: String = "opsbot") {
        self.url = url
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
    }
}

/// One libpq connection, used by one thread at a time.
///
/// Every call blocks, so the async entry point `session` hops to a thread of its own
/// (`runBlocking`) and holds the connection's lock there: the cooperative pool never waits on
/// the network and two threads never share the PGconn. A broken connection is noticed on
/// the failing call and replaced on the next use.
// @unchecked: the PGconn pointer and its settings are only touched under `lock`, on one thread at a time.
public final class PostgresConnection: @unchecked Sendable {
    public let configuration: PostgresConfiguration
    private let lock = NSLock()
    // Guarded by `lock`.
    private var conn: OpaquePointer?
    private var sessionTimeoutMS: Int?

    public init(_ configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    deinit { if let conn { PQfinish(conn) } }

    /// Runs `body` with exclusive use of the connection on a dedicated thread.
    /// When the connection turns out to be dead and `retryIfLost` is set (the body is safe to
    /// run again: a read, or a transaction that rechecks its precondition), it reconnects and
    /// runs the body once more.
    public func session<T: Sendable>(retryIfLost: Bool = true, _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await runBlocking(name: "opsbot.postgres") { try self.blockingSession(retryIfLost: retryIfLost, body) }
    }

    /// The blocking form of `session`, for callers already on a thread of their own.
    public func blockingSession<T>(retryIfLost: Bool = true, _ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            try connectIfNeeded()
            return try body(PostgresSession(connection: self))
        } catch let e as PostgresError where e.kind == .connectionLost && retryIfLost {
            Log.warning("database connection lost (\(e.message)); reconnecting")
            drop()
            try connectIfNeeded()
            return try body(PostgresSession(connection: self))
        }
    }

    /// Closes the connection; the next use opens a new one.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        drop()
    }

    /// The server process id of the current connection (for tests that kill it).
    public func backendPID() async throws -> Int32 {
        try await session { _ in PQbackendPID(self.conn) }
    }

    // MARK: - Internals (called with `lock` held)

    private func drop() {
        if let conn { PQfinish(conn) }
        conn = nil
        sessionTimeoutMS = nil
    }

    private func connectIfNeeded() throws {
        if let conn, PQstatus(conn) == CONNECTION_OK { return }
        drop()
        let keys = ["dbname", "connect_timeout", "fallback_application_name", "client_encoding"]
        let values = [configuration.url, String(max(2, configuration.connectTimeout)), configuration.applicationName, "UTF8"]
        let c = withCStrings(keys) { k in
            withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let c else { throw PostgresError(.connect, PostgresText.outOfMemory) }
        guard PQstatus(c) == CONNECTION_OK else {
            let msg = String(cString: PQerrorMessage(c))
            PQfinish(c)
            throw PostgresError(.connect, msg)
        }
        conn = c
    }

    /// Quotes an identifier with PQescapeIdentifier (handles quotes and encoding).
    func escapeIdentifier(_ name: String) throws -> String {
        guard !name.isEmpty, !name.contains("\0") else { throw PostgresError(.client, PostgresText.invalidIdentifier(name: name)) }
        let utf8 = Array(name.utf8CString)
        guard let p = PQescapeIdentifier(conn, utf8, utf8.count - 1) else {
            throw PostgresError(.client, PostgresText.cannotQuote(detail: String(cString: PQerrorMessage(conn))))
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    /// `control`: BEGIN/COMMIT/ROLLBACK, sent as is (a SET in an aborted transaction would fail).
    @discardableResult
    func execute(_ query: PostgresQuery, timeout: Double?, control: Bool = false) throws -> PostgresRows {
        let limit = timeout ?? configuration.statementTimeout
        let ms = max(1, Int(limit * 1000))
        if !control && sessionTimeoutMS != ms {
            _ = try send("SELECT set_config('statement_timeout', $1, false)", [PostgresBind(text: "\(ms)ms")], limit: limit)
            sessionTimeoutMS = ms
        }
        let sql = try query.sql(quote: escapeIdentifier)
        return try send(sql, query.binds, limit: limit)
    }

    /// After a rolled-back transaction a SET inside it is undone: forget what we think it is.
    func forgetSessionSettings() { sessionTimeoutMS = nil }

    /// Sends one statement and waits for its result, polling the socket so that a statement
    /// the server does not stop on its own (network stall) is cancelled client-side, and the
    /// connection dropped if even the cancel goes unanswered.
    private func send(_ sql: String, _ binds: [PostgresBind], limit: Double) throws -> PostgresRows {
        guard let conn else { throw PostgresError(.connectionLost, PostgresText.noConnection) }
        let types = binds.map { Oid($0.typeOID) }
        let sent: Int32 = withOptionalCStrings(binds.map(\.text)) { values in
            PQsendQueryParams(conn, sql, Int32(binds.count), types, values, nil, nil, 0)
        }
        if sent == 0 { throw connectionError(conn) }

        // The server's statement_timeout fires at `limit`; the client waits a little longer.
        var deadline = Date().addingTimeInterval(limit + 2)
        var cancelled = false
        while PQisBusy(conn) != 0 {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                if !cancelled {
                    cancel(conn)
                    cancelled = true
                    deadline = Date().addingTimeInterval(3)
                    continue
                }
                drop()
                throw PostgresError(.timeout, PostgresText.queryDidNotFinish(seconds: limit))
            }
            var pfd = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, Int32(min(remaining, 1) * 1000) + 1)
            if r < 0 && errno != EINTR { throw connectionError(conn) }
            if PQconsumeInput(conn) == 0 { throw connectionError(conn) }
        }

        var last: OpaquePointer?
        var failure: PostgresError?
        while let r = PQgetResult(conn) {
            if let f = resultError(r, limit: limit) { failure = failure ?? f }
            if let last { PQclear(last) }
            last = r
        }
        defer { if let last { PQclear(last) } }
        if let failure {
            if PQstatus(conn) != CONNECTION_OK { throw PostgresError(.connectionLost, failure.message, sqlState: failure.sqlState) }
            throw failure
        }
        if cancelled { throw PostgresError(.timeout, PostgresText.queryCancelled(seconds: limit)) }
        guard let res = last else {
            if PQstatus(conn) != CONNECTION_OK { throw connectionError(conn) }
            throw PostgresError(.client, PostgresText.noResult)
        }
        return rows(res)
    }

    private func resultError(_ r: OpaquePointer, limit: Double) -> PostgresError? {
        let status = PQresultStatus(r)
        if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY { return nil }
        func field(_ c: Character) -> String? {
            guard let p = PQresultErrorField(r, Int32(c.asciiValue!)) else { return nil }
            return String(cString: p)
        }
        let state = field("C")
        let primary = field("M") ?? String(cString: PQresultErrorMessage(r))
        if state == PostgresError.queryCanceled {
            return PostgresError(.timeout, PostgresText.statementTimeout(seconds: limit), sqlState: state)
        }
        if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE {
            if state == nil, let conn, PQstatus(conn) != CONNECTION_OK {
                return PostgresError(.connectionLost, primary)
            }
            // 57P01 admin_shutdown (pg_terminate_backend), 08xxx connection exceptions.
            if let state, state == "57P01" || state == "57P02" || state == "57P03" || state.hasPrefix("08") {
                return PostgresError(.connectionLost, primary, sqlState: state)
            }
            return PostgresError(.server, primary, sqlState: state, detail: field("D"))
        }
        return PostgresError(.client, PostgresText.unsupportedResult(status: String(cString: PQresStatus(status))))
    }

    private func rows(_ r: OpaquePointer) -> PostgresRows {
        let nf = Int(PQnfields(r)), nt = Int(PQntuples(r))
        var cols: [String] = [], types: [UInt32] = []
        cols.reserveCapacity(nf)
        for f in 0..<nf {
            cols.append(String(cString: PQfname(r, Int32(f))))
            types.append(UInt32(PQftype(r, Int32(f))))
        }
        var values: [[String?]] = []
        values.reserveCapacity(nt)
        for t in 0..<nt {
            var row: [String?] = []
            row.reserveCapacity(nf)
            for f in 0..<nf {
                if PQgetisnull(r, Int32(t), Int32(f)) != 0 { row.append(nil) } else {
                    row.append(String(cString: PQgetvalue(r, Int32(t), Int32(f))))
                }
            }
            values.append(row)
        }
        let status = String(cString: PQcmdStatus(r))
        let affected = Int(String(cString: PQcmdTuples(r))) ?? 0
        return PostgresRows(columns: cols, types: types, values: values, commandStatus: status, affectedRows: affected)
    }

    private func cancel(_ conn: OpaquePointer) {
        guard let c = PQgetCancel(conn) else { return }
        var buf = [CChar](repeating: 0, count: 256)
        if PQcancel(c, &buf, 256) == 0 { Log.warning("PQcancel failed: \(Redactor.shared.redact(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))") }
        PQfreeCancel(c)
    }

    private func connectionError(_ conn: OpaquePointer) -> PostgresError {
        let msg = String(cString: PQerrorMessage(conn))
        if PQstatus(conn) != CONNECTION_OK { if msg.isEmpty { return PostgresError(.connectionLost, PostgresText.connectionClosed) }
        return PostgresError(.connectionLost, msg) }
        return PostgresError(.client, msg)
    }
}

/// Exclusive use of a connection inside `PostgresConnection.session`; do not keep it.
public struct PostgresSession {
    let connection: PostgresConnection

    /// Runs one statement. `timeout` (seconds) overrides the configured statement_timeout.
    @discardableResult
    public func query(_ query: PostgresQuery, timeout: Double? = nil) throws -> PostgresRows {
        try connection.execute(query, timeout: timeout)
    }

    /// BEGIN … COMMIT; any error rolls back and is rethrown. `readOnly` makes the server
    /// refuse writes (`BEGIN READ ONLY`).
    public func transaction<T>(readOnly: Bool = false, _ body: (PostgresSession) throws -> T) throws -> T {
        try connection.execute(readOnly ? "BEGIN READ ONLY" : "BEGIN", timeout: nil, control: true)
        do {
            let v = try body(self)
            try connection.execute("COMMIT", timeout: nil, control: true)
            return v
        } catch {
            if (error as? PostgresError)?.isUnreachable != true {
                do { _ = try connection.execute("ROLLBACK", timeout: nil, control: true) } catch {
                    Log.warning("ROLLBACK failed: \(error)")
                }
            }
            // A SET inside the transaction was undone with it.
            connection.forgetSessionSettings()
            throw error
        }
    }
}

// MARK: - C string helpers

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let dup = strings.map { strdup($0) }
    defer { dup.forEach { free($0) } }
    return body(dup.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let dup = strings.map { $0.map { strdup($0) } ?? nil }
    defer { dup.forEach { free($0) } }
    return body(dup.map { UnsafePointer($0) })
}
