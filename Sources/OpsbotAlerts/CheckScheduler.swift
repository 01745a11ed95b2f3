import Foundation
import OpsbotCore
import OpsbotSupport

/// Runs one check provider at its interval, jittered, each run with a timeout, never two runs
/// of the same provider at once (a run that overstays its timeout is reported, then awaited
/// before the next one starts).
public struct CheckScheduler: Sendable {
    public var interval: Double
    public var timeout: Double
    public var jitter: Double

    public init(interval: Double, timeout: Double? = nil, jitter: Double = 0.1) {
        self.interval = interval
        self.timeout = timeout ?? min(interval, 30)
        self.jitter = jitter
    }

    /// Calls `run` until the task is cancelled; `sink` gets each run's results, or nil when
    /// the run timed out (then, later, the late results).
    public func loop(initialDelay: Double = 0, run: @escaping @Sendable () async -> [CheckResult],
                     sink: @escaping @Sendable ([CheckResult]?) -> Void) async {
        if initialDelay > 0 { try? await Task.sleep(for: .seconds(initialDelay)) }
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let worker = Task { await run() }
            let result = await Self.race(worker, timeout: timeout)
            sink(result)
            if result == nil {
                // No overlap: wait for the slow run before the next — and report what it found
                // when it does finish (each probe has its own timeout, so a dead endpoint is still
                // reported per endpoint when the provider as a whole runs long).
                sink(await worker.value)
            }
            let spread = interval * jitter
            let wait = max(0.01, interval + Double.random(in: -spread...spread) - (ContinuousClock.now - started).seconds)
            do { try await Task.sleep(for: .seconds(wait)) } catch { return }
        }
    }

    /// The worker's value, or nil when `timeout` passes first.
    static func race(_ worker: Task<[CheckResult], Never>, timeout: Double) async -> [CheckResult]? {
        let done = Locked(false)
        return await withCheckedContinuation { (cont: CheckedContinuation<[CheckResult]?, Never>) in
            let finish: @Sendable ([CheckResult]?) -> Void = { r in
                if done.withLock({ d in defer { d = true }; return !d }) { cont.resume(returning: r) }
            }
            let timer = Task {
                do { try await Task.sleep(for: .seconds(timeout)) } catch { return }
                finish(nil)
            }
            Task {
                let r = await worker.value
                finish(r)
                timer.cancel()
            }
        }
    }
}
