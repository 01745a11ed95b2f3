import Foundation
import OpsbotCore
import OpsbotSupport

/// A one-slot wake signal: `wait` returns after `timeout` seconds or as soon as `signal` is
/// called (a signal while nobody waits is kept for the next wait; many coalesce into one).
public final class Wakeup: Sendable {
    private struct S { var pending = false; var cont: CheckedContinuation<Void, Never>?; var timer: Task<Void, Never>? }
    private let s = Locked(S())
    public init() {}

    /// A signal is waiting for the next `wait` (nobody was waiting when it came).
    public var pending: Bool { s.withLock { $0.pending } }

    public func signal() {
        let c = s.withLock { st -> CheckedContinuation<Void, Never>? in
            guard let c = st.cont else { st.pending = true; return nil }
            st.cont = nil
            st.timer?.cancel()
            st.timer = nil
            return c
        }
        c?.resume()
    }

    public func wait(timeout: Double, clock: any OpsClock = SystemClock()) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
                let now = s.withLock { st -> Bool in
                    if st.pending || Task.isCancelled { st.pending = false; return true }
                    st.cont = cont
                    st.timer = Task { [weak self] in
                        do { try await clock.sleep(seconds: timeout) } catch { return }
                        self?.signal()
                    }
                    return false
                }
                if now { cont.resume() }
            }
        } onCancel: { self.signal() }
    }
}
