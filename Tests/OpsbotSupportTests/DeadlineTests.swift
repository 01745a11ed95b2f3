import Foundation
import Testing
@testable import OpsbotSupport

/// `withDeadline` driven by a clock the test moves: no test here waits for wall time.
@Suite struct DeadlineTests {
    @Test func theOperationWinsAndTheTimerIsCancelled() async {
        let clock = StepClock()
        let v = await withDeadline(.seconds(5), clock: clock, fallback: -1) { 42 }
        #expect(v == 42)
        // The timer's sleep was cancelled (before or after it began), not left waiting.
        #expect(await eventually { clock.cancelledSleeps == 1 && clock.sleepers == 0 })
    }

    @Test func theFallbackAnswersAtTheDeadlineAndTheOperationIsCancelled() async {
        let clock = StepClock()
        let sawCancel = Locked(false)
        let answer = Task {
            await withDeadline(.seconds(5), clock: clock, fallback: "fallback") {
                // Hangs on the same clock until cancelled (an hour is never advanced).
                do { try await clock.sleep(for: .seconds(3600)) } catch { sawCancel.withLock { $0 = true } }
                return "late"
            }
        }
        #expect(await clock.waitForSleepers(2))          // the timer and the operation
        clock.advance(by: .milliseconds(4999))
        #expect(clock.sleepers == 2)                     // nothing due yet
        clock.advance(by: .milliseconds(1))
        #expect(await answer.value == "fallback")
        #expect(await eventually { sawCancel.current })
    }

    @Test func cancellingTheCallerCancelsTheOperation() async {
        let clock = StepClock()
        let answer = Task {
            await withDeadline(.seconds(5), clock: clock, fallback: "fallback") {
                do { try await clock.sleep(for: .seconds(3600)); return "slept" } catch { return "cancelled" }
            }
        }
        #expect(await clock.waitForSleepers(2))
        answer.cancel()
        // The operation saw the cancellation and answered before the deadline.
        #expect(await answer.value == "cancelled")
    }

    @Test func aZeroLimitAnswersTheFallbackAtOnce() async {
        let clock = StepClock()
        let v = await withDeadline(.zero, clock: clock, fallback: 0) {
            do { try await clock.sleep(for: .seconds(1)) } catch {}
            return 1
        }
        #expect(v == 0)
    }
}

/// True once `condition` holds, polling briefly (a second at most).
func eventually(_ condition: @Sendable () -> Bool) async -> Bool {
    for _ in 0..<1000 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}

/// A minimal manual `Clock<Duration>` for these tests: sleepers wake only when `advance`
/// passes their deadline, or throw when their task is cancelled.
final class StepClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by d: Duration) -> Instant { Instant(offset: offset + d) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }
    private struct Sleeper { var deadline: Instant; var cont: CheckedContinuation<Void, Error> }
    private struct State { var now = Instant(offset: .zero); var sleepers: [UUID: Sleeper] = [:]; var cancelled = 0 }
    private let state = Locked(State())

    var now: Instant { state.current.now }
    var minimumResolution: Duration { .zero }
    var sleepers: Int { state.current.sleepers.count }
    var cancelledSleeps: Int { state.current.cancelled }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, Error>) in
                let now = state.withLock { s -> Result<Void, Error>? in
                    if Task.isCancelled { s.cancelled += 1; return .failure(CancellationError()) }
                    if deadline <= s.now { return .success(()) }
                    s.sleepers[id] = Sleeper(deadline: deadline, cont: cont)
                    return nil
                }
                if let now { cont.resume(with: now) }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<Void, Error>? in
                guard let c = s.sleepers.removeValue(forKey: id)?.cont else { return nil }
                s.cancelled += 1
                return c
            }
            c?.resume(throwing: CancellationError())
        }
    }

    func advance(by d: Duration) {
        let due = state.withLock { s -> [CheckedContinuation<Void, Error>] in
            s.now = s.now.advanced(by: d)
            let ready = s.sleepers.filter { $0.value.deadline <= s.now }
            for id in ready.keys { s.sleepers[id] = nil }
            return ready.values.map(\.cont)
        }
        due.forEach { $0.resume() }
    }

    /// Waits (a second at most) until exactly `count` sleepers wait, so a test advances the
    /// clock only once the code under test sleeps.
    func waitForSleepers(_ count: Int) async -> Bool {
        await eventually { self.sleepers == count }
    }
}
