import Foundation
import OpsbotSupport

/// The test clock: time moves only when a test says so. Modelled on postgres-nio's
/// `MockClock`: `sleep` parks the caller until `advance` moves past its deadline; sleepers
/// wake in deadline order (ties in the order they slept); `sleepers(atLeast:)` waits until
/// the code under test has gone to sleep, so a test advances only once it is waiting.
/// Wall time moves with the monotonic instant (it starts at `start`).
public final class ManualClock: OpsClock {
    public struct Instant: InstantProtocol {
        public var offset: Swift.Duration
        public init(_ offset: Swift.Duration) { self.offset = offset }
        public func advanced(by duration: Swift.Duration) -> Instant { Instant(offset + duration) }
        public func duration(to other: Instant) -> Swift.Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private struct Sleeper {
        let id: UInt64
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Waiter {
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(.zero)
        var wall: Date
        var nextID: UInt64 = 0
        /// Sorted by deadline, then by arrival.
        var sleepers: [Sleeper] = []
        var waiters: [Waiter] = []
        /// Everyone who ever slept, for tests that assert the waits asked for.
        var requested: [Swift.Duration] = []
    }

    private let state: Locked<State>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Locked(State(wall: start))
    }

    public var now: Instant { state.withLock { $0.now } }
    public var wallTime: Date { state.withLock { $0.wall } }
    public var minimumResolution: Swift.Duration { .nanoseconds(1) }

    /// How many tasks are asleep on this clock right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Every sleep asked for so far (deadline minus the instant it was asked at), in order.
    public var requestedSleeps: [Swift.Duration] { state.withLock { $0.requested } }

    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        let id = state.withLock { s -> UInt64 in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, cancel, park }
                let (action, ready) = state.withLock { s -> (Action, [Waiter]) in
                    s.requested.append(s.now.duration(to: deadline))
                    if Task.isCancelled { return (.cancel, []) }
                    if deadline <= s.now { return (.resume, []) }
                    let at = s.sleepers.firstIndex { $0.deadline > deadline } ?? s.sleepers.endIndex
                    s.sleepers.insert(Sleeper(id: id, deadline: deadline, continuation: c), at: at)
                    let count = s.sleepers.count
                    let ready = s.waiters.filter { $0.count <= count }
                    s.waiters.removeAll { $0.count <= count }
                    return (.park, ready)
                }
                switch action {
                case .resume: c.resume()
                case .cancel: c.resume(throwing: CancellationError())
                case .park: break
                }
                for w in ready { w.continuation.resume() }
            }
        } onCancel: {
            let parked = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i).continuation
            }
            parked?.resume(throwing: CancellationError())
        }
    }

    /// Moves time (monotonic and wall) forward and wakes, in deadline order, every sleeper
    /// whose deadline has passed.
    public func advance(by duration: Swift.Duration) {
        precondition(duration >= .zero, "time only moves forward")
        let due = state.withLock { s -> [Sleeper] in
            s.now = s.now.advanced(by: duration)
            s.wall = s.wall.addingTimeInterval(duration.seconds)
            let n = s.sleepers.firstIndex { $0.deadline > s.now } ?? s.sleepers.endIndex
            defer { s.sleepers.removeFirst(n) }
            return Array(s.sleepers[..<n])
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// `advance(by:)` in seconds, as most config values are.
    public func advance(by seconds: TimeInterval) { advance(by: .seconds(seconds)) }

    /// Jumps to a wall time (forward moves the monotonic time too and wakes who is due).
    public func set(_ date: Date) {
        let delta = date.timeIntervalSince(wallTime)
        if delta > 0 { advance(by: delta) } else { state.withLock { $0.wall = date } }
    }

    /// Returns once at least `count` tasks are asleep on this clock (at once, if they are).
    public func sleepers(atLeast count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.sleepers.count >= count { return true }
                s.waiters.append(Waiter(count: count, continuation: c))
                return false
            }
            if now { c.resume() }
        }
    }

    /// Runs `body` and, whenever anything sleeps on this clock meanwhile, advances by `step`:
    /// for code that waits in a loop (restart verification), so it runs in simulated time.
    public func drive<T: Sendable>(by step: Swift.Duration, _ body: @escaping @Sendable () async -> T) async -> T {
        let done = Locked(false)
        let task = Task { let r = await body(); done.withLock { $0 = true }; return r }
        while !done.current {
            if sleeperCount > 0 { advance(by: step) } else { try? await Task.sleep(for: .milliseconds(1)) }
        }
        return await task.value
    }

    /// Waits until someone sleeps, then advances by `duration`: one step of a loop under test.
    public func advanceWhenAsleep(by duration: Swift.Duration, sleepers count: Int = 1) async {
        await sleepers(atLeast: count)
        advance(by: duration)
    }
}
