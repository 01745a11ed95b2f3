import Testing

/// `@Suite(.exclusive)`: the suite's tests run one at a time together with every other
/// `.exclusive` test in the process (swift-testing's `.serialized` orders tests only within
/// one suite), each on threads of its own (`OwnThreads`), not on the cooperative pool. For
/// tests that bound wall time on real I/O or start engines and binaries — a 2-core machine
/// running them all at once turns their bounds into noise, and their blocking engine calls
/// would starve the pool; the rest of the suite still runs in parallel alongside.
public struct ExclusiveTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }   // the suite itself: its tests take turns
        await ExclusiveTurn.shared.acquire()
        do {
            try await OwnThreads.run(name: "test.exclusive", function)
        } catch {
            await ExclusiveTurn.shared.release()
            throw error
        }
        await ExclusiveTurn.shared.release()
    }
}

extension Trait where Self == ExclusiveTrait {
    public static var exclusive: Self { ExclusiveTrait() }
}

/// A first-come first-served turn for `.exclusive` tests.
actor ExclusiveTurn {
    static let shared = ExclusiveTurn()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
