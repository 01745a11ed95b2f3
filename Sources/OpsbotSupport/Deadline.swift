/// Runs `operation` but answers `fallback` once `limit` passes on `clock`, without waiting for
/// the operation to notice its cancellation (a hung endpoint must never hold `/status` back;
/// a task group would wait for its slowest child). Whichever finishes first cancels the other;
/// cancelling the caller cancels the operation (the deadline still bounds the wait).
///
/// The one deadline helper: the router's command limit, status probes, the remote server and
/// the alert scheduler's run timeout all go through it. Tests pass a manual clock.
public func withDeadline<T: Sendable, C: Clock<Duration>>(
    _ limit: Duration,
    clock: C = ContinuousClock(),
    fallback: T,
    _ operation: @escaping @Sendable () async -> T
) async -> T {
    await race(limit, sleep: { try await clock.sleep(for: $0) }, fallback: fallback, operation)
}

/// The same on opsbot's injected clock (an existential: `any OpsClock`).
public func withDeadline<T: Sendable>(
    _ limit: Duration,
    clock: any OpsClock,
    fallback: T,
    _ operation: @escaping @Sendable () async -> T
) async -> T {
    await race(limit, sleep: { try await clock.sleep(for: $0) }, fallback: fallback, operation)
}

private func race<T: Sendable>(
    _ limit: Duration,
    sleep: @escaping @Sendable (Duration) async throws -> Void,
    fallback: T,
    _ operation: @escaping @Sendable () async -> T
) async -> T {
    let race = DeadlineRace<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
            race.start(cont)
            let work = Task {
                let value = await operation()
                race.finish(value)
            }
            let timer = Task {
                do { try await sleep(limit) } catch { return }
                race.finish(fallback)
            }
            race.hold(work: work, timer: timer)
        }
    } onCancel: {
        race.cancelWork()
    }
}

/// The shared state of one `withDeadline`: the first `finish` resumes the caller and cancels
/// both tasks (the winner is done anyway; the loser must stop).
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var cont: CheckedContinuation<T, Never>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var finished = false
        var cancelled = false
    }
    private let state = Locked(State())

    func start(_ cont: CheckedContinuation<T, Never>) { state.withLock { $0.cont = cont } }

    /// Stores the tasks; cancels them at once when the race is already over or the caller
    /// was cancelled before they existed.
    func hold(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let (finished, cancelled) = state.withLock { s in
            s.work = work
            s.timer = timer
            return (s.finished, s.cancelled)
        }
        if finished { work.cancel(); timer.cancel() } else if cancelled { work.cancel() }
    }

    func finish(_ value: T) {
        let won = state.withLock { s -> (CheckedContinuation<T, Never>, Task<Void, Never>?, Task<Void, Never>?)? in
            guard !s.finished, let c = s.cont else { return nil }
            s.finished = true
            s.cont = nil
            return (c, s.work, s.timer)
        }
        guard let (cont, work, timer) = won else { return }
        // Cancel before resuming: cancellation handlers run synchronously here, so the loser's
        // immediate reactions (a child process's SIGTERM) happen before the caller goes on
        // (and, for `opsbot remote`, before it answers and exits).
        work?.cancel()
        timer?.cancel()
        cont.resume(returning: value)
    }

    func cancelWork() {
        let work = state.withLock { s -> Task<Void, Never>? in
            s.cancelled = true
            return s.work
        }
        work?.cancel()
    }
}
