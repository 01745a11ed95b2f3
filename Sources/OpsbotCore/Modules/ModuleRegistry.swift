import Foundation

/// Module names (as written in `Commands/*.yaml`, `module: restart`) to their factories.
///
/// Each feature registers its modules in `Features.swift`; the catalog loader refuses a
/// command whose module is unknown, naming the file.
public final class ModuleRegistry: Sendable {
    private let factories = Locked<[String: ModuleFactory]>([:])

    public init() {}

    public func register(_ name: String, _ factory: @escaping ModuleFactory) {
        factories.withLock { $0[name] = factory }
    }

    public func factory(_ name: String) -> ModuleFactory? {
        factories.withLock { $0[name] }
    }

    public var names: [String] { factories.withLock { $0.keys.sorted() } }
}
