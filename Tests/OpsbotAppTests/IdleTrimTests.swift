import OpsbotApp
import OpsbotSupport
import ServiceLifecycleTestKit
import Testing
import TestKit

/// When `opsbot run` releases start-up's pages: once settled, then only after the resident set
/// grew by the policy's margin — on the manual clock, with the process's memory simulated.
struct IdleTrimTests {
    /// A resident set the test moves; a release drops it to `floor`.
    final class Memory: Sendable {
        let state = Locked((resident: 30_000, floor: 11_000, releases: 0))
        var releases: Int { state.current.releases }
        func grow(to kb: Int) { state.withLock { $0.resident = kb } }
        func release() -> Int {
            state.withLock { s in
                let held = s.resident - s.floor
                s.resident = s.floor
                s.releases += 1
                return held
            }
        }
    }

    @Test func releasesOnceSettledThenOnlyAfterGrowth() async throws {
        let clock = ManualClock(), memory = Memory()
        let trim = IdleTrim(policy: IdleTrimPolicy(), clock: clock, residentKB: { memory.state.current.resident },
                            release: { memory.release() })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await trim.run() }
                await clock.sleepers(atLeast: 1)
                clock.advance(by: .seconds(9))
                #expect(memory.releases == 0, "start-up has not settled")
                clock.advance(by: .seconds(1))
                await clock.sleepers(atLeast: 1)
                #expect(memory.releases == 1, "released once settled")

                memory.grow(to: 12_000)  // +1 MB: below the 2 MB margin
                clock.advance(by: .seconds(60))
                await clock.sleepers(atLeast: 1)
                #expect(memory.releases == 1, "small growth is left alone")

                memory.grow(to: 14_000)  // +3 MB since the last release
                clock.advance(by: .seconds(60))
                await clock.sleepers(atLeast: 1)
                #expect(memory.releases == 2, "a burst's pages are released at the next check")

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
