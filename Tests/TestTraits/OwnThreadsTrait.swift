import Testing

/// `@Suite(.ownThreads)`: each test runs on threads of its own (`OwnThreads`), not on the
/// cooperative pool, but alongside the rest of the suite (no turns, unlike `.exclusive`). For
/// light tests that bound wall time across task hops — a child's spawn and exit, a timeout, a
/// deadline: in the parallel run's first seconds every test starts at once and the pool's
/// queue is seconds deep, so each hop through it would count against the bound.
public struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }
        try await OwnThreads.run(name: "test.own", function)
    }
}

extension Trait where Self == OwnThreadsTrait {
    public static var ownThreads: Self { OwnThreadsTrait() }
}
