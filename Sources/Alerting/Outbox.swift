import Foundation
import OpsbotSupport

/// Delivers queued alert messages in order, per chat, within the chat's token bucket; a failed
/// send is retried with capped exponential backoff (or exactly `retry_after`), never skipped,
/// so nothing is lost or reordered while Telegram is away. Permanent failures are recorded.
///
/// `deliverDue` is called by one loop at a time (the alert worker, or a test).
public final class Outbox: Sendable {
    public struct Settings: Sendable {
        public var perMinute: Int = 20
        public var burst: Int = 3
        public var retryInitial: Double = 2
        public var retryMax: Double = 30
        public init() {}
    }

    public let store: SQLiteAlertStore
    private let clock: any OpsClock
    private let settings: Settings
    private struct ChatState { var bucket: TokenBucket; var notBefore: Date?; var failures: Int = 0; var lastFailure: Date? }
    private let chats = Locked<[Int64: ChatState]>([:])
    /// True once a read found the queue empty and nothing was queued since: the idle worker
    /// then skips the database entirely (false at start: a restart may find messages queued).
    private let quiet = Locked(false)

    public init(store: SQLiteAlertStore, clock: any OpsClock, settings: Settings = Settings()) {
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

    /// A message that waited longer than this says so when it finally goes out.
    public static let delayNote: Double = 30

    /// Sends what is due now. Returns when something will be due next (nil: queue empty).
    /// `edit` changes an earlier message (annotations: resolved, unknown); `isStale` drops a
    /// reminder whose alerts all resolved or were acknowledged while it waited.
    @discardableResult
    public func deliverDue(_ send: (OutgoingMessage) async -> DeliveryResult,
                           edit: ((_ chatID: Int64, _ messageID: Int64, OutgoingMessage) async -> Bool)? = nil,
                           isStale: (OutgoingMessage) -> Bool = { _ in false }) async -> Date? {
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
            if item.message.kind == .reminder && isStale(item.message) {
                try? store.drop(item.id)
                continue
            }
            // Edits only: done without a message when every firing message is known.
            if item.message.kind == .annotate, let edit, await annotate(item.message, edit: edit, requireAll: true) {
                try? store.markSent(item.id, messageID: 0, now: clock.now())
                continue
            }
            let now = clock.now()
            var cs = chats.withLock { $0[chat] } ?? ChatState(bucket: TokenBucket(perMinute: settings.perMinute, burst: settings.burst, now: now))
            if let nb = cs.notBefore, nb > now {
                blocked.insert(chat); later(nb); chats.withLock { $0[chat] = cs }; continue
            }
            guard cs.bucket.take(now: now) else {
                blocked.insert(chat); later(cs.bucket.nextToken(now: now)); chats.withLock { $0[chat] = cs }; continue
            }
            var message = item.message
            let waited = now.timeIntervalSince(item.createdAt)
            if waited > Self.delayNote {
                let failed = item.lastError != nil || (cs.lastFailure.map { $0 >= item.createdAt } ?? false)
                message.html += AlertingText.delayed(seconds: waited, telegramDown: failed).text(message.language ?? .en)
            }
            if let alert = message.replyToAlert { message.replyToMessageID = try? store.ref(alertID: alert, chatID: chat) }
            let result = await send(message)
            let after = clock.now()
            switch result {
            case .delivered(let messageID):
                cs.failures = 0
                cs.notBefore = nil
                do {
                    try store.markSent(item.id, messageID: messageID, now: after)
                    if !message.buttons.isEmpty { try store.saveMessage(chatID: chat, messageID: messageID, message, now: after) }
                    if message.kind == .firing || message.kind == .settled {
                        for id in message.alertIDs ?? [] { try store.saveRef(alertID: id, chatID: chat, messageID: messageID, now: after) }
                    }
                } catch { Log.error("alerts: delivered message \(item.id) but cannot record it: \(error)") }
                if let edit, message.annotations?.isEmpty == false { _ = await annotate(message, edit: edit, requireAll: false) }
            case .retry(let retryAfter, let error):
                cs.failures += 1
                cs.lastFailure = after
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

    /// Appends each annotation to its alert's firing message and removes that alert's buttons
    /// (or keeps or restores them, as the message says), one edit per message. With `requireAll`, does nothing (false) unless every alert's
    /// firing message is known.
    func annotate(_ m: OutgoingMessage, edit: (Int64, Int64, OutgoingMessage) async -> Bool, requireAll: Bool) async -> Bool {
        var byMessage: [Int64: [(String, String)]] = [:]
        for (id, line) in (m.annotations ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let mid = try? store.ref(alertID: id, chatID: m.chatID),
                  (try? store.message(chatID: m.chatID, messageID: mid)) != nil else {
                if requireAll { return false }
                continue
            }
            byMessage[mid, default: []].append((id, line))
        }
        if byMessage.isEmpty { return !requireAll || (m.annotations ?? [:]).isEmpty }
        let now = clock.now()
        for (mid, notes) in byMessage.sorted(by: { $0.key < $1.key }) {
            guard var old = try? store.message(chatID: m.chatID, messageID: mid) else { continue }
            let ids = Set(notes.map(\.0))
            // A storm message gets one line for all of its alerts, not one each.
            let lines = notes.count > 3 ? [AlertingText.andMore(line: notes[0].1, count: notes.count - 1).text(m.language ?? .en)] : notes.map(\.1)
            for line in lines where !old.html.contains(line) { old.html += "\n" + line }
            func alertID(_ b: AlertButton) -> String? {
                let p = b.data.split(separator: ":").map(String.init)
                return p.count >= 3 && p[0] == "a" ? p[2] : nil
            }
            if let restore = m.restoreButtons {
                for id in ids.sorted() where !old.buttons.joined().contains(where: { alertID($0) == id }) {
                    old.buttons += restore[id] ?? []
                }
            } else if m.keepButtons != true {
                old.buttons = old.buttons.map { row in row.filter { b in alertID(b).map { !ids.contains($0) } ?? true } }.filter { !$0.isEmpty }
            }
            try? store.saveMessage(chatID: m.chatID, messageID: mid, old, now: now)
            if !(await edit(m.chatID, mid, old)) { Log.warning("alerts: cannot edit alert message \(mid)") }
        }
        return true
    }
}
