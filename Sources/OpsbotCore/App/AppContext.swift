import Foundation
import LocalStore

/// Everything the router, the modules and the features share while opsbot runs.
public final class AppContext: Sendable {
    public let store: Store
    public let clock: any OpsClock
    public let transport: ChatTransport
    /// Shared feature objects (database connection, service manager, alert engine).
    public let resources: ResourceBag
    public let startedAt: Date
    /// Config, catalog and checks: replaced together by a reload (SIGHUP).
    private let live: Locked<(config: Config, catalog: Catalog, checks: CheckRegistry)>

    public var config: Config { live.current.config }
    public var catalog: Catalog { live.current.catalog }
    /// Health checks installed by features, for `/status`, `opsbot check` and alerts.
    public var checks: CheckRegistry { live.current.checks }

    /// Swaps in a new config and catalog. Feature objects built from the old config (service
    /// manager, database pool, alert service) are dropped and rebuilt on next use; alert state
    /// lives in the store and confirmations in the router, so both survive.
    public func reload(config: Config, catalog: Catalog, checks: CheckRegistry) {
        live.withLock { $0 = (config, catalog, checks) }
        resources.removeAll()
    }
    private let commandHook = Locked<(@Sendable (IncomingMessage) async -> Void)?>(nil)

    public init(config: Config, store: Store, clock: any OpsClock = SystemClock(), transport: ChatTransport,
                catalog: Catalog, resources: ResourceBag = ResourceBag(), checks: CheckRegistry = CheckRegistry()) {
        self.live = Locked((config, catalog, checks))
        self.store = store
        self.clock = clock
        self.transport = transport
        self.resources = resources
        self.startedAt = clock.now()
    }

    /// Runs a command line as if `message.userID` had typed it in `message.chatID` (alert
    /// remediation buttons use this, so the command still goes through ACL, validation and
    /// its confirmation). Set by the router when it starts.
    public func runCommand(_ message: IncomingMessage) async {
        guard let hook = commandHook.current else {
            Log.warning("runCommand before the router started: \(message.text)")
            return
        }
        await hook(message)
    }

    public func setCommandHook(_ hook: @escaping @Sendable (IncomingMessage) async -> Void) {
        commandHook.withLock { $0 = hook }
    }
}
