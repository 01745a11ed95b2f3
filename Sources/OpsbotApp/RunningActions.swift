import Foundation
import OpsbotCore
import OpsbotSupport
import Synchronization

/// The actions (update handlers) running now, so that a stop can wait for them: bounded by a
/// timeout on the injected clock, and woken by the last one finishing rather than by polling.
public final class RunningActions: Sendable {
    private struct State {
        var running = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Runs `body` as an unstructured task (a stop of polling does not cancel it), counted.
    public func start(_ body: @escaping @Sendable () async -> Void) {
        state.withLock { $0.running += 1 }
        Task {
            await body()
            let woken = self.state.withLock { s -> [CheckedContinuation<Void, Never>] in
                s.running -= 1
                guard s.running == 0 else { return [] }
                defer { s.waiters = [:] }
                return Array(s.waiters.values)
            }
            for w in woken { w.resume() }
        }
    }

    public var count: Int { state.withLock { $0.running } }

    /// Waits until none is running or `timeout` passes on `clock`; returns how many still run.
    public func waitUntilIdle(timeout: Duration, clock: any OpsClock) async -> Int {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.idle() }
            group.addTask { try? await clock.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return count
    }

    /// Returns when none is running, or at once when the task is cancelled.
    private func idle() async {
        let id = state.withLock { s -> UInt64 in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                // `Task.isCancelled` is set before the cancel handler runs: checked under the lock,
                // a cancel either finds this waiter or is seen here.
                let now = state.withLock { s -> Bool in
                    if s.running == 0 || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
