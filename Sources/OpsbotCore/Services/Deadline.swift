import Foundation

/// Runs `operation` but answers `fallback` once `seconds` pass, without waiting for the
/// operation to notice its cancellation (a hung endpoint must never hold `/status` back;
/// a task group would wait for its slowest child).
func withDeadline<T: Sendable>(_ seconds: Double, fallback: T, _ operation: @escaping @Sendable () async -> T) async -> T {
    let once = Locked<CheckedContinuation<T, Never>?>(nil)
    return await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
        once.withLock { $0 = cont }
        let work = Task {
            let v = await operation()
            once.withLock { c in c?.resume(returning: v); c = nil }
        }
        Task {
            try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
            var fired = false
            once.withLock { c in if let c { c.resume(returning: fallback); fired = true }; c = nil }
            if fired { work.cancel() }
        }
    }
}
