import Foundation
@testable import OpsbotSupport
import Testing

/// `runBlocking`: every call has a thread to itself (a long poll never delays a reply), and a
/// thread that finished is reused instead of a new one being started.
@Suite struct BlockingTests {
    @Test func aBlockedCallNeverDelaysAnother() async throws {
        let gate = DispatchSemaphore(value: 0)
        let first = Task { await runBlocking { gate.wait(); return 1 } }
        // While the first call blocks its thread, ten more calls all finish.
        for i in 0..<10 {
            let value = await runBlocking { i }
            #expect(value == i)
        }
        gate.signal()
        #expect(await first.value == 1)
    }

    @Test func aFinishedThreadTakesTheNextCall() async throws {
        let pool = BlockingThreads()  // its own threads: no other test takes them
        func onPool() async -> pthread_t {
            await withCheckedContinuation { cont in pool.run(name: "test") { cont.resume(returning: pthread_self()) } }
        }
        let first = await onPool()
        // The thread parks itself just after handing the result back.
        let deadline = Date().addingTimeInterval(5)
        while pool.idleCount == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(1)) }
        #expect(pool.idleCount == 1)
        let second = await onPool()
        #expect(pthread_equal(first, second) != 0, "the parked thread ran the next call")
    }

    @Test func errorsReachTheCaller() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await runBlocking { () throws -> Int in throw Boom() } }
    }
}
