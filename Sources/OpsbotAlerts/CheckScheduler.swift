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
    /// Sleeps between runs and times each run out.
    public var clock: any OpsClock

    public init(interval: Double, timeout: Double? = nil, jitter: Double = 0.1, clock: any OpsClock = SystemClock()) {
        self.interval = interval
        self.timeout = timeout ?? min(interval, 30)
        self.jitter = jitter
        self.clock = clock
    }

    /// Calls `run` until the task is cancelled; `sink` gets each run's results, or nil when
    /// the run timed out (then, later, the late results).
    public func loop(initialDelay: Double = 0, run: @escaping @Sendable () async -> [CheckResult],
                     sink: @escaping @Sendable ([CheckResult]?) -> Void) async {
        if initialDelay > 0 { try? await clock.sleep(seconds: initialDelay) }
        while !Task.isCancelled {
            let elapsed = clock.stopwatch()
            let worker = Task { await run() }
            // Awaiting `worker.value` in the deadline's operation: the deadline cancels the
            // waiting, not the worker, which is awaited below when it overstays.
            let result = await withDeadline(.seconds(timeout), clock: clock, fallback: nil) { Optional(await worker.value) }
            sink(result)
            if result == nil {
                // No overlap: wait for the slow run before the next — and report what it found
                // when it does finish (each probe has its own timeout, so a dead endpoint is still
                // reported per endpoint when the provider as a whole runs long).
                sink(await worker.value)
            }
            let spread = interval * jitter
            let wait = max(0.01, interval + Double.random(in: -spread...spread) - elapsed())
            do { try await clock.sleep(seconds: wait) } catch { return }
        }
    }
}
