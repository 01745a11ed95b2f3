import Synchronization

/// One answer for one waiter: the first `give` wins, later ones are dropped, and a `give`
/// before `wait` is kept for it.
public final class FirstAnswer<T: Sendable>: Sendable {
    private enum State { case idle, waiting(CheckedContinuation<T, Never>), given(T), done }
    private let state = Mutex(State.idle)

    public init() {}

    public func give(_ value: T) {
        let waiter = state.withLock { s -> CheckedContinuation<T, Never>? in
            switch s {
            case .idle: s = .given(value); return nil
            case .waiting(let c): s = .done; return c
            case .given, .done: return nil
            }
        }
        waiter?.resume(returning: value)
    }

    /// Calls `start` once, then waits for the first answer.
    public func wait(start: () -> Void) async -> T {
        start()
        return await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            let ready = state.withLock { s -> T? in
                if case .given(let v) = s { s = .done; return v }
                s = .waiting(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
