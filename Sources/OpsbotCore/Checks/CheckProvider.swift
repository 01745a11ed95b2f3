import Foundation

/// A named group of checks (`schema`, `services`, `disk`) that `opsbot check NAME` can run.
public protocol CheckProvider: Sendable {
    var name: String { get }
    /// Every `CheckResult.check` this provider can return (the names alert rules key on);
    /// a test holds the default rules against these, both ways.
    var emits: [String] { get }
    func run(_ app: AppContext) async -> [CheckResult]
    /// False for a provider that runs its own loop (Alertmanager's, which the webhook wakes).
    var scheduledByAlerts: Bool { get }
}

extension CheckProvider {
    public var scheduledByAlerts: Bool { true }
}

extension CheckProvider {
    public var emits: [String] { [name] }
}

/// The check providers features install; `opsbot check` and the alert scheduler run them.
public final class CheckRegistry: Sendable {
    private let providers = Locked<[CheckProvider]>([])
    public init() {}
    public func register(_ p: CheckProvider) { providers.withLock { $0.append(p) } }
    public var all: [CheckProvider] { providers.current }
    public func named(_ name: String) -> CheckProvider? { providers.current.first { $0.name == name } }
}
