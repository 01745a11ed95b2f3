import Foundation

/// Telegram allows about 20 messages a minute to a group. The bucket holds `burst` tokens and
/// refills at `(perMinute − burst) / 60` per second, so no 60-second window ever carries more
/// than `perMinute` messages — however the sends are spread.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    public let refillPerSecond: Double
    private var tokens: Double
    private var last: Date

    public init(perMinute: Int, burst: Int, now: Date) {
        let b = max(1, min(burst, perMinute - 1))
        capacity = Double(b)
        refillPerSecond = Double(max(1, perMinute - b)) / 60
        tokens = Double(b)
        last = now
    }

    private mutating func refill(_ now: Date) {
        let dt = max(0, now.timeIntervalSince(last))
        tokens = min(capacity, tokens + dt * refillPerSecond)
        last = max(last, now)
    }

    /// Takes a token when one is there.
    public mutating func take(now: Date) -> Bool {
        refill(now)
        guard tokens >= 1 - 1e-9 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token will be there.
    public mutating func nextToken(now: Date) -> Date {
        refill(now)
        if tokens >= 1 - 1e-9 { return now }
        return now.addingTimeInterval((1 - tokens) / refillPerSecond)
    }
}
