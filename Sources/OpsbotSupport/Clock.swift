import Foundation

/// The one clock opsbot sleeps and times with, injected everywhere (poller, transport retries,
/// router expiry, alert scheduler, restart verification) so tests move time instead of waiting.
///
/// It is a standard `Clock` over `Duration` for sleeping and measuring, plus the wall time that
/// people read and the store keeps (expiry stamps, "first seen"). A test clock (`ManualClock`
/// in test support) advances both together.
public protocol OpsClock: Clock, WallClock where Duration == Swift.Duration {}

/// Wall time only: what is shown and stored. Prefer `OpsClock` for anything that also sleeps.
public protocol WallClock: Sendable {
    /// Wall time now (`wallTime`, not `now`: `Clock.now` is the monotonic instant).
    var wallTime: Date { get }
}

extension WallClock {
    /// Kept for call sites written before `OpsClock`; same as `wallTime`.
    public func now() -> Date { wallTime }
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

/// Old name of `SystemClock`.
public typealias SystemWallClock = SystemClock

/// A clock that moves only when told to (wall time only; the sleeping test clock is in test support).
public final class ManualClock: WallClock, @unchecked Sendable {
    private let current: Locked<Date>
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Locked(start) }
    public var wallTime: Date { current.current }
    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
    public func set(_ date: Date) { current.withLock { $0 = date } }
}
