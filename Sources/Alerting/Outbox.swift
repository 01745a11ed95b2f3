import Foundation
import OpsbotSupport

/// Delivers queued alert messages in order, per chat, within the chat's token bucket; a failed
/// send is retried with capped exponential backoff (or exactly `retry_after`), never skipped,
/// so nothing is lost or reordered while Telegram is away. Permanent failures are recorded.
///
/// `deliverDue` is called by one loop at a time (the alert worker, or a test).
public final class Outbox: @unchecked Sendable {
    public struct Settings: Sendable {
        public var perMinute: Int = 20
        public var burst: Int = 3
        public var retryInitial: Double = 2
        public var retryMax: Double = 30
        public init() {}
    }

    public let store: SQLiteAlertStore
    private let clock: WallClock
    private let settings: Settings
    private struct ChatState { var bucket: TokenBucket; var notBefore: Date?; var failures: Int = 0 }
    private let chats = Locked<[Int64: ChatState]>([:])
    /// True once a read found the queue empty and nothing was queued since: the idle worker
    /// then skips the database entirely (false at start: a restart may find messages queued).
    private let quiet = Locked(false)

    public init(store: SQLiteAlertStore, clock: WallClock, settings: Settings = Settings()) {
        self.store = store
        self.clock = clock
        self.settings = settings
    }

    public func enqueue(_ m: OutgoingMessage) {
        do { try store.enqueue(m, now: clock.now()) } catch {
            Log.error("alerts: cannot queue an alert message (it is lost): \(error)")
        }
        quiet.withLock { $0 = false }
    }

    public var pendingCount: Int { (try? store.pending().count) ?? 0 }

    /// Sends what is due now. Returns when something will be due next (nil: queue empty).
    @discardableResult
    public func deliverDue(_ send: (OutgoingMessage) async -> DeliveryResult) async -> Date? {
        // Set before reading, so a message queued during the read clears it again.
        if quiet.withLock({ q -> Bool in defer { q = true }; return q }) { return nil }
        let items: [OutboxItem]
        do { items = try store.pending() } catch {
            quiet.withLock { $0 = false }
            Log.error("alerts: cannot read the outbox: \(error)")
            return clock.now().addingTimeInterval(settings.retryMax)
        }
        if !items.isEmpty { quiet.withLock { $0 = false } }
        var blocked = Set<Int64>()
        var next: Date?
        func later(_ d: Date) { next = min(next ?? d, d) }
        for item in items {
            let chat = item.message.chatID
            if blocked.contains(chat) { continue }
            let now = clock.now()
            var cs = chats.withLock { $0[chat] } ?? ChatState(bucket: TokenBucket(perMinute: settings.perMinute, burst: settings.burst, now: now))
            if let nb = cs.notBefore, nb > now {
                blocked.insert(chat); later(nb); chats.withLock { $0[chat] = cs }; continue
            }
            guard cs.bucket.take(now: now) else {
                blocked.insert(chat); later(cs.bucket.nextToken(now: now)); chats.withLock { $0[chat] = cs }; continue
            }
            let result = await send(item.message)
            let after = clock.now()
            switch result {
            case .delivered(let messageID):
                cs.failures = 0
                cs.notBefore = nil
                do {
                    try store.markSent(item.id, messageID: messageID, now: after)
                    if !item.message.buttons.isEmpty { try store.saveMessage(chatID: chat, messageID: messageID, item.message, now: after) }
                } catch { Log.error("alerts: delivered message \(item.id) but cannot record it: \(error)") }
            case .retry(let retryAfter, let error):
                cs.failures += 1
                let backoff = retryAfter ?? min(settings.retryMax, settings.retryInitial * pow(2, Double(cs.failures - 1))) * Double.random(in: 0.8...1.0)
                cs.notBefore = after.addingTimeInterval(backoff)
                try? store.markAttempt(item.id, error: error)
                if cs.failures == 1 || cs.failures % 10 == 0 {
                    Log.warning("alerts: delivery to chat \(chat) failed (\(error)); \(items.count) queued, retrying in \(Int(backoff)) s")
                }
                blocked.insert(chat)
                later(cs.notBefore!)
            case .permanent(let error):
                Log.error("ALERT DELIVERY FAILED PERMANENTLY to chat \(chat): \(error) — message \(item.id) (\(item.message.kind.rawValue) \(item.message.fingerprint ?? "")) dropped; see /alerts and `opsbot check alert_delivery`")
                try? store.markFailed(item.id, error: error, now: after)
            }
            chats.withLock { $0[chat] = cs }
        }
        return next
    }
}
