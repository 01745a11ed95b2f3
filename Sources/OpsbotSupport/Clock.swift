import Foundation

/// The one clock opsbot sleeps and times with, injected everywhere (poller, transport retries,
/// router expiry, alert scheduler and outbox, restart verification, progress timers) so tests
/// move time instead of waiting for it.
///
/// It is a standard `Clock` over `Duration` for sleeping and measuring, plus the wall time that
/// people read and the store keeps (expiry stamps, "first seen"). The test clock (`ManualClock`
/// in test support) advances both together.
public protocol OpsClock: Clock, Sendable where Duration == Swift.Duration {
    /// Wall time now (`wallTime`, not `now`: `Clock.now` is the monotonic instant).
    var wallTime: Date { get }
}

extension OpsClock {
    /// Wall time now; same as `wallTime` (the name call sites used before `OpsClock`).
    public func now() -> Date { wallTime }

    /// Sleeps `seconds` (a config value or a computed backoff); negative means not at all.
    /// Throws `CancellationError` when the task is cancelled.
    public func sleep(seconds: Double) async throws {
        try await sleep(for: .seconds(max(0, seconds)))
    }

    /// A stopwatch started now: each call returns the seconds since, on this clock's
    /// monotonic time (usable through `any OpsClock`, where `Instant` is not nameable).
    public func stopwatch() -> @Sendable () -> Double {
        let start = now
        return { start.duration(to: self.now).seconds }
    }
}

/// The real clock: monotonic `ContinuousClock` instants for sleeping, `Date()` for wall time.
public struct SystemClock: OpsClock {
    public typealias Instant = ContinuousClock.Instant
    public init() {}
    public var now: Instant { ContinuousClock.now }
    public var minimumResolution: Swift.Duration { ContinuousClock().minimumResolution }
    public var wallTime: Date { Date() }
    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        try await ContinuousClock().sleep(until: deadline, tolerance: tolerance)
    }
}
