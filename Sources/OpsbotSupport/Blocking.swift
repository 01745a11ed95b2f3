import Foundation

/// Runs a blocking C call (libcurl, libpq, waitpid, a big read) on a thread of its own.
///
/// Swift's cooperative pool has one thread per core: two blocking calls on it and every task
/// in the process stalls. A fresh thread per call costs tens of microseconds, which is
/// nothing next to a network round trip, and needs no pool sizing.
public func runBlocking<T: Sendable>(
    name: String = "opsbot.blocking",
    _ body: @escaping @Sendable () throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, Error>) in
        let thread = Thread {
            do { cont.resume(returning: try body()) } catch { cont.resume(throwing: error) }
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Non-throwing variant of `runBlocking`.
public func runBlocking<T: Sendable>(
    name: String = "opsbot.blocking",
    _ body: @escaping @Sendable () -> T
) async -> T {
    await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
        let thread = Thread { cont.resume(returning: body()) }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }
}
