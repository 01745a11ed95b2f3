import Foundation
import LocalStore

/// Everything the router, the modules and the features share while opsbot runs.
public final class AppContext: @unchecked Sendable {
    public let config: Config
    public let store: Store
    public let clock: WallClock
    public let transport: ChatTransport
    public let catalog: Catalog
    /// Shared feature objects (database connection, service manager, alert engine).
    public let resources: ResourceBag
    /// Health checks installed by features, for `/status`, `opsbot check` and alerts.
    public let checks: CheckRegistry
    public let startedAt: Date

    public init(config: Config, store: Store, clock: WallClock = SystemWallClock(), transport: ChatTransport,
                catalog: Catalog, resources: ResourceBag = ResourceBag(), checks: CheckRegistry = CheckRegistry()) {
        self.config = config
        self.store = store
        self.clock = clock
        self.transport = transport
        self.catalog = catalog
        self.resources = resources
        self.checks = checks
        self.startedAt = clock.now()
    }
}
