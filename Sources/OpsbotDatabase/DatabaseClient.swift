import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// The app database as opsbot's features see it: the `database:` settings and a small pool
/// over DATABASE_URL. Built with `DatabaseFeature`; it connects on first use, so a missing URL
/// or a database that is down never stops opsbot from starting.
public final class DatabaseClient: Sendable {
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
        guard let pool else { throw PostgresError(.connect, DatabaseText.urlNotSet) }
        return try await pool.session(retryIfLost: retryIfLost, body)
    }

    public func close() { pool?.close() }
}

/// How a database failure reads in a reply (in the current language): one line, no secrets,
/// says nothing changed when the caller passes `nothingChanged`.
func describe(_ error: Error, nothingChanged: Bool = false) -> String {
    DatabaseText.failure(error: ErrorText(error), nothingChanged: nothingChanged).text()
}
