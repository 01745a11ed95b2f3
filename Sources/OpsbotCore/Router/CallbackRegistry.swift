import Foundation

/// Handles inline-button presses whose `callback_data` starts with `prefix:`.
///
/// The router has already checked that the presser is an admin in an admin chat and has
/// answered nothing yet: the handler's return value becomes the callback answer (≤ 200
/// characters, shown as a toast), so it must return quickly and do slow work in a Task.
public protocol CallbackHandler: Sendable {
    func handle(_ callback: IncomingCallback, app: AppContext) async -> String?
}

/// Button prefixes to their handlers. `c` is the confirmation state machine's; features
/// register theirs (alerts use `a`).
public final class CallbackRegistry: Sendable {
    private let handlers = Locked<[String: CallbackHandler]>([:])
    public init() {}
    public func register(prefix: String, _ handler: CallbackHandler) {
        precondition(!prefix.contains(":"), "callback prefixes cannot contain ':'")
        handlers.withLock { $0[prefix] = handler }
    }
    public func handler(for data: String) -> CallbackHandler? {
        guard let colon = data.firstIndex(of: ":") else { return nil }
        let prefix = String(data[..<colon])
        return handlers.withLock { $0[prefix] }
    }
}
