import Foundation
import Testing
import TestTraits
@testable import SystemOps
import OpsbotSupport

/// Real children: the timeout counts to the child's exit (not to the end of its output), it
/// stops the whole process group, and the output cap keeps the head without blocking the child.
@Suite(.ownThreads) struct ProcessRunnerTests {
    /// A `sleep` argument no other process has, so `/proc` tells whether it still runs.
    static func marker() -> String { "60.\(Int.random(in: 100_000...999_999))" }

    static func running(_ marker: String) -> Bool {
        ProcInfo.allPIDs().contains { ProcInfo.argv($0)?.contains(marker) == true }
    }

    /// The whole group got its signal before the run returned, but a grandchild dies a moment
    /// later (signal delivery is asynchronous): allow it up to 2 s.
    static func stopped(_ marker: String) async -> Bool {
        for _ in 0..<100 where running(marker) { try? await Task.sleep(for: .milliseconds(20)) }
        return !running(marker)
    }

    static func waitUntilRunning(_ marker: String) async throws {
        for _ in 0..<200 {
            if running(marker) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        try #require(running(marker))
    }

    /// The gap this runner closes: with both pipes at EOF the old loop went straight to an
    /// unbounded waitpid and returned only when the child ended by itself (60 s here).
    @Test func aChildThatClosesItsOutputAndHangsIsStoppedAtTheTimeout() async throws {
        let marker = Self.marker()
        let r = try await ProcessRunner.run(["sh", "-c", "exec >&- 2>&-; sleep \(marker)"], timeout: 1)
        #expect(r.timedOut && !r.succeeded, "\(r)")
        #expect(r.signal == SIGTERM, "\(r)")
        #expect(r.duration >= 1 && r.duration < 10, "\(r)")
        #expect(r.summary.contains("timeout"))
        #expect(await Self.stopped(marker))
    }

    @Test func aChildThatIgnoresSIGTERMIsKilled() async throws {
        let marker = Self.marker()
        let r = try await ProcessRunner.run(["sh", "-c", "trap '' TERM; exec >&- 2>&-; sleep \(marker)"], timeout: 1)
        #expect(r.timedOut && r.signal == SIGKILL, "\(r)")
        #expect(r.duration < 10, "\(r)")
        #expect(await Self.stopped(marker))
    }

    /// The grandchild keeps the pipes open and is in the child's group: both are stopped, and
    /// what was printed before the timeout is kept.
    @Test func theTimeoutStopsTheWholeProcessGroupAndKeepsTheOutputSoFar() async throws {
        let marker = Self.marker()
        let r = try await ProcessRunner.run(["sh", "-c", "echo started; sleep \(marker) & wait"], timeout: 1)
        #expect(r.timedOut, "\(r)")
        #expect(r.stdout == "started\n")
        #expect(await Self.stopped(marker))
    }

    /// 300 kB into a 1 kB cap: the head is kept, the rest read and dropped (the child would
    /// block on a full pipe otherwise), and the run is a success flagged as truncated.
    @Test func outputBeyondTheCapIsDroppedAndTheChildFinishes() async throws {
        let r = try await ProcessRunner.run(["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; echo done >&2"],
                                            timeout: 20, maxOutput: 1000)
        #expect(r.succeeded && !r.timedOut, "\(r.summary)")
        #expect(r.truncated)
        #expect(r.stdout.utf8.count == 1000 && r.stdout.allSatisfy { $0 == "a" })
        #expect(r.stderr == "done\n")

        let small = try await ProcessRunner.run(["printf", "12345"], timeout: 20, maxOutput: 5)
        #expect(small.stdout == "12345" && !small.truncated)
    }

    @Test func exitCodeStdinEnvironmentAndWorkingDirectory() async throws {
        let dir = FileManager.default.temporaryDirectory.path
        let r = try await ProcessRunner.run(["sh", "-c", "cat; echo \"$X $OPSBOT_SECRET\"; pwd; exit 3"], timeout: 20,
                                            environment: ["PATH": "/usr/bin:/bin", "X": "1"], workingDirectory: dir,
                                            stdin: Data("in\n".utf8))
        #expect(r.exitCode == 3 && r.signal == nil && !r.succeeded)
        let realDir = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        #expect(r.stdout == "in\n1 \n\(realDir)\n" || r.stdout == "in\n1 \n\(dir)\n", "\(r.stdout)")
        #expect(r.summary.hasPrefix("exit 3"))
    }

    @Test func cancellingTheCallerStopsTheChild() async throws {
        let marker = Self.marker()
        let run = Task { try await ProcessRunner.run(["sleep", marker], timeout: 60) }
        try await Self.waitUntilRunning(marker)
        let started = ContinuousClock.now
        run.cancel()
        await #expect(throws: CancellationError.self) { _ = try await run.value }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(await Self.stopped(marker))
    }

    /// The router's command deadline and the remote server's go through `withDeadline`: the
    /// loser is cancelled, and a cancelled run stops its child (it used to run to its own timeout).
    @Test func aDeadlineThatCancelsTheRunStopsTheChild() async throws {
        let marker = Self.marker()
        // A child task (not `Task {}`): it runs on this test's own threads, not the pool.
        async let seen: Bool = {
            for _ in 0..<500 {
                if Self.running(marker) { return true }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return false
        }()
        let r: ProcessResult? = await withDeadline(.seconds(1.5), fallback: nil) { () -> ProcessResult? in
            try? await ProcessRunner.run(["sleep", marker], timeout: 60)
        }
        #expect(r == nil)
        #expect(await seen, "the child never ran")
        var gone = !Self.running(marker)
        for _ in 0..<100 where !gone {
            try await Task.sleep(for: .milliseconds(50))
            gone = !Self.running(marker)
        }
        #expect(gone, "the child outlived the cancelled run")
    }

    @Test func aMissingProgramOrEmptyArgvIsAnError() async {
        await #expect(throws: ProcessError.self) { _ = try await ProcessRunner.run([], timeout: 5) }
        await #expect(throws: ProcessError.self) { _ = try await ProcessRunner.run(["opsbot-no-such-program-x"], timeout: 5) }
    }
}
