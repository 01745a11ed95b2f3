import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// The app database as opsbot's features see it: the `database:` settings and a small pool
/// over DATABASE_URL. Built with `DatabaseFeature`; it connects on first use, so a missing URL
/// or a database that is down never stops opsbot from starting.
public final class DatabaseClient: @unchecked Sendable {
    public let settings: DatabaseConfig
    private let pool: PostgresPool?

    public init(settings: DatabaseConfig, url: String?) {
        self.settings = settings
        if let url, !url.isEmpty {
            pool = PostgresPool(PostgresConfiguration(url: url, connectTimeout: Int(settings.connectTimeout.rounded(.up)),
                                                      statementTimeout: settings.statementTimeout),
                                size: settings.poolSize, acquireTimeout: settings.connectTimeout + settings.statementTimeout)
        } else {
            pool = nil
        }
    }

    public var isConfigured: Bool { pool != nil }

    /// Runs `body` on a pooled connection on its own thread (see PostgresConnection.session).
    public func session<T: Sendable>(retryIfLost: Bool = true, _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        guard let pool else { throw PostgresError(.connect, "DATABASE_URL is not set") }
        return try await pool.session(retryIfLost: retryIfLost, body)
    }

    public func close() { pool?.close() }
}

/// How a database failure reads in a reply: one line, no secrets, says nothing changed when
/// the caller passes `nothingChanged`.
func describe(_ error: Error, nothingChanged: Bool = false) -> String {
    let tail = nothingChanged ? " Nothing was changed." : ""
    switch error {
    case let e as PostgresError: return e.description + tail
    case let e as ConfigError: return "configuration problem: \(e.description)" + tail
    default: return Redactor.shared.redact("\(error)") + tail
    }
}
