import Foundation

/// Who may run what. Both must hold: the chat is an admin chat AND the user is an admin
/// user — an admin in a foreign chat is refused, and so is a stranger in the admin chat.
public struct AccessControl: Sendable {
    public let chats: Set<Int64>
    public let users: [Int64: Config.AdminUser]

    public init(_ admins: Config.Admins) {
        chats = Set(admins.chats)
        var u: [Int64: Config.AdminUser] = [:]
        for a in admins.users { u[a.id] = a }
        users = u
    }

    public enum Decision: Equatable, Sendable {
        case allowed
        case foreignChat
        case unknownUser
    }

    public func check(chatID: Int64, userID: Int64) -> Decision {
        guard chats.contains(chatID) else { return .foreignChat }
        guard users[userID] != nil else { return .unknownUser }
        return .allowed
    }

    /// Whether an admin user holds one of `roles` (an empty list allows every admin; an
    /// admin without roles holds them all).
    public func may(userID: Int64, roles: [String]) -> Bool {
        guard let user = users[userID] else { return false }
        if roles.isEmpty || user.roles.isEmpty { return true }
        return !Set(roles).isDisjoint(with: user.roles)
    }

    public func isAdmin(_ userID: Int64) -> Bool { users[userID] != nil }
}

/// At most one "not authorized" reply per chat per window, so a stranger cannot make the
/// bot spam (or hit Telegram's limits) by sending commands.
public final class RefusalLimiter: Sendable {
    private let last = Locked<[Int64: Date]>([:])
    private let window: TimeInterval

    public init(window: TimeInterval = 600) { self.window = window }

    public func shouldReply(chatID: Int64, now: Date) -> Bool {
        last.withLock { map in
            if let t = map[chatID], now.timeIntervalSince(t) < window { return false }
            map[chatID] = now
            return true
        }
    }
}
