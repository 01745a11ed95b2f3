import Foundation
import OpsbotSupport

/// A few connections, so two admins (or a check and a command) do not queue behind each
/// other; each connection is still used by one thread at a time. Connections open lazily.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    private let connections: [PostgresConnection]
    private let free: Locked<[Int]>
    private let slots: DispatchSemaphore
    /// How long a caller waits for a free connection before giving up.
    public let acquireTimeout: Double

    public init(_ configuration: PostgresConfiguration, size: Int = 2, acquireTimeout: Double = 10) {
        self.configuration = configuration
        let n = max(1, size)
        connections = (0..<n).map { _ in PostgresConnection(configuration) }
        free = Locked(Array(0..<n))
        slots = DispatchSemaphore(value: n)
        self.acquireTimeout = acquireTimeout
    }

    /// Runs `body` on a free connection, on a thread of its own. See `PostgresConnection.session`.
    public func session<T: Sendable>(retryIfLost: Bool = true, _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await runBlocking(name: "opsbot.postgres") { try self.blockingSession(retryIfLost: retryIfLost, body) }
    }

    public func blockingSession<T>(retryIfLost: Bool = true, _ body: (PostgresSession) throws -> T) throws -> T {
        guard slots.wait(timeout: .now() + acquireTimeout) == .success else {
            throw PostgresError(.timeout, PostgresText.poolBusy(connections: connections.count, seconds: acquireTimeout))
        }
        let i = free.withLock { $0.removeLast() }
        defer {
            free.withLock { $0.append(i) }
            slots.signal()
        }
        return try connections[i].blockingSession(retryIfLost: retryIfLost, body)
    }

    public func close() { connections.forEach { $0.close() } }
}
