import Foundation

/// A task executor with threads of its own, for one `.exclusive` or `.ownThreads` test.
///
/// Swift's cooperative pool has one thread per core (two here) and the parallel run starts
/// every test at once. An engine test's blocking calls (`TestDocker.api`, `TestSystemd.exec`,
/// `TestSSHD.start`: a child process and its `waitpid`) held a pool thread for seconds, and a
/// CPU-bound test held the other, so a spawn's completion, a timer's wake-up or a cancellation
/// in a test that bounds wall time waited for the pool — 10 s once. Under this executor the
/// test's own code and its structured child tasks run here: its blocking calls leave the pool
/// free, and its continuations never queue behind the rest of the suite. (`runBlocking` moves
/// one call; this moves a whole test body.)
final class OwnThreads: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `closed` are only touched under `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var closed = false

    /// Two threads: a test that blocks one (a sync engine call) still runs its child tasks.
    init(threads: Int = 2, name: String) {
        for _ in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.stackSize = 8 << 20   // what a pool thread has: debug builds recurse deep
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        defer { condition.unlock() }
        if closed {
            // A job arriving after the test ended (nothing structured should): the pool runs it.
            globalConcurrentExecutor.enqueue(job)
            return
        }
        jobs.append(job)
        condition.signal()
    }

    /// Runs `body` in a child task on a fresh executor of its own, then ends its threads.
    ///
    /// At high priority: what the test still sends through the pool — swift-subprocess awaits
    /// an unstructured `Task` (its cleanup handler) in every run, and unstructured tasks do not
    /// follow an executor preference — then goes ahead of the suite's default-priority work.
    /// Measured in the parallel run's first 20 s: `ProcessRunner.run(["/bin/true"])` on own
    /// threads took up to 3.97 s at default priority, 0.16 s at high.
    static func run(name: String, _ body: @Sendable () async throws -> Void) async throws {
        let threads = OwnThreads(name: name)
        defer { threads.close() }
        try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask(executorPreference: threads, priority: .high) { try await body() }
                try await group.waitForAll()
            }
        }
    }

    /// Ends the threads once the queued jobs have run.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !closed { condition.wait() }
            guard !jobs.isEmpty else { condition.unlock(); return }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
