import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a blocking C call (libcurl, libpq, waitpid, a big read) on a thread of its own.
///
/// Swift's cooperative pool has one thread per core: two blocking calls on it and every task
/// in the process stalls. Each call gets a thread to itself, so a long poll never holds up a
/// reply; threads that finish wait 10 s for the next call before they exit, which takes thread
/// creation (tens of microseconds) off every Bot API call of a busy minute.
public func runBlocking<T: Sendable>(
    name: String = "opsbot.blocking",
    _ body: @escaping @Sendable () throws -> T
) async throws -> T {
    // The thread is not a task: it gets the caller's language explicitly.
    let language = Language.current
    return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, Error>) in
        BlockingThreads.shared.run(name: name) {
            do { cont.resume(returning: try Language.$current.withValue(language) { try body() }) } catch { cont.resume(throwing: error) }
        }
    }
}

/// Non-throwing variant of `runBlocking`.
public func runBlocking<T: Sendable>(
    name: String = "opsbot.blocking",
    _ body: @escaping @Sendable () -> T
) async -> T {
    let language = Language.current
    return await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
        BlockingThreads.shared.run(name: name) { cont.resume(returning: Language.$current.withValue(language) { body() }) }
    }
}

/// The threads behind `runBlocking`: a job goes to an idle thread if one waits, else to a new
/// one — never queued behind another job.
final class BlockingThreads: Sendable {
    static let shared = BlockingThreads()
    static let idleLifetime = 10.0

    /// One thread waiting for a job, handed over through its own semaphore.
    final class Worker: @unchecked Sendable {
        let wake = DispatchSemaphore(value: 0)
        var job: (@Sendable () -> Void)?  // set by `run` before `wake` is signalled
        var name = ""
    }

    private let idle = Locked<[Worker]>([])

    /// Threads waiting for a job now (tests).
    var idleCount: Int { idle.withLock { $0.count } }

    func run(name: String, _ job: @escaping @Sendable () -> Void) {
        if let worker = idle.withLock({ $0.popLast() }) {
            worker.job = job
            worker.name = name
            worker.wake.signal()
            return
        }
        let worker = Worker()
        worker.job = job
        worker.name = name
        let thread = Thread { [self] in loop(worker) }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func loop(_ worker: Worker) {
        var named = worker.name
        while true {
            if worker.name != named {
                named = worker.name
                Thread.current.name = named
            }
            worker.job?()
            worker.job = nil
            idle.withLock { $0.append(worker) }
            if worker.wake.wait(timeout: .now() + Self.idleLifetime) == .timedOut {
                let retired = idle.withLock { list -> Bool in
                    guard let i = list.firstIndex(where: { $0 === worker }) else { return false }
                    list.remove(at: i)
                    return true
                }
                if retired { return }
                worker.wake.wait()  // taken just as it timed out: its job is on the way
            }
        }
    }
}
