import Foundation

/// Shared objects that features create once and modules look up by type: the database
/// connection, the service manager, the alert engine.
///
/// Keeps OpsbotCore's context free of every feature's concrete types, so that each feature
/// (database, services, alerts) lives in its own folder and wires itself in.
public final class ResourceBag: Sendable {
    private let items = Locked<[ObjectIdentifier: any Sendable]>([:])

    public init() {}

    public func set<T: Sendable>(_ value: T, as type: T.Type = T.self) {
        items.withLock { $0[ObjectIdentifier(type)] = value }
    }

    public func get<T: Sendable>(_ type: T.Type = T.self) -> T? {
        items.withLock { $0[ObjectIdentifier(type)] as? T }
    }

    /// Forgets every resource (a reload rebuilds them from the new config on next use).
    public func removeAll() {
        items.withLock { $0.removeAll() }
    }

    /// Returns the resource, creating it on first use.
    public func getOrCreate<T: Sendable>(_ type: T.Type = T.self, _ make: () throws -> T) rethrows -> T {
        try items.withLock {
            if let v = $0[ObjectIdentifier(type)] as? T { return v }
            let v = try make()
            $0[ObjectIdentifier(type)] = v
            return v
        }
    }
}
