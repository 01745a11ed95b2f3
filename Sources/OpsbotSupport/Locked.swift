import Synchronization

/// A value behind a `Synchronization.Mutex`, for state shared between blocking threads and
/// tasks. A class so it can be a `let` in other classes; `Sendable` only when the value is,
/// so the compiler still checks what goes in.
public final class Locked<Value: ~Copyable> {
    private let mutex: Mutex<Value>

    public init(_ value: consuming sending Value) { mutex = Mutex(value) }
}

extension Locked: Sendable where Value: Sendable {}

extension Locked where Value: Sendable {
    @discardableResult
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try mutex.withLock { (value: inout sending Value) throws -> R in try body(&value) }
    }
}

extension Locked where Value: Sendable & Copyable {
    public var current: Value { withLock { $0 } }
}
