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
    private let commandHook = Locked<(@Sendable (IncomingMessage) async -> Void)?>(nil)

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
