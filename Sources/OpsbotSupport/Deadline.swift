import Foundation

/// Runs `operation` but answers `fallback` once `seconds` pass, without waiting for the
/// operation to notice its cancellation (a hung endpoint must never hold `/status` back;
/// a task group would wait for its slowest child). Whichever finishes first cancels the other.
public func withDeadline<T: Sendable>(_ seconds: Double, fallback: T, _ operation: @escaping @Sendable () async -> T) async -> T {
    let state = Locked<(cont: CheckedContinuation<T, Never>?, work: Task<Void, Never>?, timer: Task<Void, Never>?)>((nil, nil, nil))
    return await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
        state.withLock { $0.cont = cont }
        let work = Task {
            let v = await operation()
            let timer = state.withLock { s -> Task<Void, Never>? in
                s.cont?.resume(returning: v)
                s.cont = nil
                return s.timer
            }
            timer?.cancel()
        }
        let timer = Task {
            try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
            if Task.isCancelled { return }
            let fired = state.withLock { s -> Bool in
                guard let c = s.cont else { return false }
                c.resume(returning: fallback)
                s.cont = nil
                return true
            }
            if fired { work.cancel() }
        }
        let finished = state.withLock { s -> Bool in
            s.work = work
            s.timer = timer
            return s.cont == nil
        }
        if finished { timer.cancel() }
    }
}
