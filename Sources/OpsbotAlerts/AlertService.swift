import Alerting
import LocalStore
import Foundation
import OpsbotCore
import OpsbotSupport

/// The alerting objects one opsbot process shares (engine, outbox, store), created on first
/// use from the app's config and local store, held by `AlertsFeature`.
public final class AlertService: Sendable {
    public let config: AlertsConfig
    public let engine: AlertEngine
    public let outbox: Outbox
    public let store: SQLiteAlertStore
    public let chatID: Int64?
    public let renderer: AlertRenderer?
    private let clock: any OpsClock
    private let inbox = Locked<[SourceResults]>([])
    /// The language of what is pushed to a chat (`alerts.language`, else the top-level one; under
    /// `auto` the app remembers who last wrote there).
    private let pushLanguage: @Sendable (Int64) -> Language

    public init(config: AlertsConfig, chatID: Int64?, db: SQLiteDatabase, clock: any OpsClock, instance: String? = nil,
                pushLanguage: (@Sendable (Int64) -> Language)? = nil) throws {
        self.config = config
        let fixed = config.language?.fixed ?? .en
        self.pushLanguage = pushLanguage ?? { _ in fixed }
        self.chatID = chatID
        self.clock = clock
        store = try SQLiteAlertStore(db: db)
        engine = try AlertEngine(rules: config.effectiveRules, settings: config.engineSettings, clock: clock, persistence: store)
        outbox = Outbox(store: store, clock: clock, settings: config.outboxSettings)
        renderer = chatID.map { AlertRenderer(chatID: $0, muteDurations: config.muteDurations, instance: instance ?? AlertRenderer.hostName,
                                              flapWindow: config.flapWindow) }
    }

    /// Wakes the alert worker before its next tick (`submit(…, wake: true)`).
    public let evaluationWakeup = Wakeup()

    /// A provider finished: its results join the next evaluation round. `unreachable`: it could
    /// not run (timed out), so what it reported before is unknown, not recovered. `wake`: evaluate
    /// now rather than at the next tick (an Alertmanager poll, which its webhook may have asked for).
    public func submit(_ source: String, _ results: [CheckResult], unreachable: String? = nil, wake: Bool = false) {
        inbox.withLock { $0.append(SourceResults(source: source, observations: results, unreachable: unreachable)) }
        if wake { evaluationWakeup.signal() }
    }

    /// `submit` with the reason it could not run in every language (shown on its unknown alerts).
    public func submit(_ source: String, _ results: [CheckResult], unreachable: LocalizedText, wake: Bool = false) {
        inbox.withLock { $0.append(SourceResults(source: source, observations: results, unreachable: unreachable.en, unreachableRU: unreachable.ru)) }
        if wake { evaluationWakeup.signal() }
    }

    /// The language messages pushed to `chatID` are rendered in right now.
    public func language(chat chatID: Int64) -> Language { pushLanguage(chatID) }

    /// Acknowledges and drops the alert's queued reminders.
    @discardableResult
    public func acknowledge(id: String, by who: String) -> AlertState? {
        guard let a = engine.acknowledge(id: id, by: who) else { return nil }
        try? store.dropReminders([id])
        return a
    }

    /// Evaluates everything submitted since the last round and queues the messages.
    /// Returns the notifications (for tests and the console).
    @discardableResult
    public func evaluateRound() -> [AlertNotification] {
        let batch = inbox.withLock { b -> [SourceResults] in defer { b = [] }; return b }
        guard !batch.isEmpty else { return [] }
        let notes = engine.evaluate(batch)
        guard !notes.isEmpty else { return notes }
        guard let renderer else {
            Log.warning("alerts: \(notes.count) notification(s) but no alert chat (set alerts.chat_id or admins.chats); kept in /alerts only")
            return notes
        }
        // Every message in the alert chat's language, whoever's task evaluates.
        Language.$current.withValue(pushLanguage(renderer.chatID)) {
            for n in notes {
                for m in renderer.render(n) { outbox.enqueue(m) }
            }
        }
        return notes
    }

    /// Sends what the outbox has due through the app's transport.
    @discardableResult
    public func deliver(_ app: AppContext) async -> Date? {
        await outbox.deliverDue({ m in
            let r = await Self.send(m, via: app.transport)
            if case .delivered(let mid) = r, m.kind == .firing { await self.sendCharts(m, replyTo: mid, app) }
            return r
        }, edit: { chat, mid, m in
            do {
                try await app.transport.edit(MessageRef(chatID: chat, messageID: mid),
                                             Reply(html: m.html, buttons: m.buttons.map { $0.map { Button($0.text, data: $0.data) } }, silent: true))
                return true
            } catch { return false }
        }, isStale: { m in
            // A reminder about nothing that still fires unacknowledged is not sent.
            !(m.alertIDs ?? []).contains { id in self.engine.alert(id: id).map { $0.isFiring && $0.ackedBy == nil } ?? false }
        })
    }

    /// A chart for each alert of a firing message that has one (`disk_fill`, `memory_growth`; at
    /// most three), as a silent photo replying to it. Best effort: the alert is already out.
    func sendCharts(_ m: OutgoingMessage, replyTo messageID: Int64, _ app: AppContext) async {
        let sources = app.wiring.features.compactMap { $0 as? any AlertChartSource }
        guard !sources.isEmpty else { return }
        for id in (m.alertIDs ?? []).prefix(3) {
            guard let a = engine.alert(id: id), Self.charted.contains(a.rule) else { continue }
            for s in sources {
                guard var reply = await s.alertChart(check: a.rule, target: a.target, app: app) else { continue }
                reply.silent = true
                reply.replyTo = messageID
                do { try await app.transport.send(reply, to: m.chatID) } catch {
                    Log.warning("alerts: the chart for \(a.fingerprint) was not sent: \(Redactor.shared.redact("\(error)"))")
                }
                break
            }
        }
    }

    /// Rules whose firing message gets a chart.
    static let charted: Set<String> = ["disk_fill", "memory_growth"]

    static func send(_ m: OutgoingMessage, via transport: ChatTransport) async -> DeliveryResult {
        let reply = Reply(html: m.html, buttons: m.buttons.map { $0.map { Button($0.text, data: $0.data) } }, silent: m.silent,
                          replyTo: m.replyToMessageID)
        do {
            let ref = try await transport.send(reply, to: m.chatID)
            return .delivered(messageID: ref.messageID)
        } catch let e as PermanentDeliveryError {
            return .permanent(Redactor.shared.redact(e.description))
        } catch {
            return .retry(after: retryAfter(error), error: Redactor.shared.redact("\(error)"))
        }
    }

    /// A 429's `retry_after`, when the transport's error says how long to wait.
    static func retryAfter(_ error: Error) -> Double? {
        (error as? RetryAfterHint)?.retryAfterSeconds
    }

    /// Providers a partial `alerts.checks` leaves out (never run by the scheduler, so they
    /// never alert): empty when `alerts.checks` is not set.
    public func unscheduledChecks(_ registry: CheckRegistry) -> [String] {
        AlertsConfig.unscheduledChecks(config, registry)
    }

    /// The check providers to schedule, with their intervals.
    public func scheduledChecks(_ registry: CheckRegistry) -> [(provider: CheckProvider, interval: Double)] {
        if config.checks.isEmpty {
            return registry.all.filter { $0.name != AlertDeliveryCheck.providerName && $0.scheduledByAlerts }.map { ($0, config.defaultInterval) }
        }
        return config.checks.sorted { $0.key < $1.key }.compactMap { name, interval in
            guard let p = registry.named(name), p.scheduledByAlerts else {
                if registry.named(name) != nil { return nil }   // polled by its own loop
                Log.warning("alerts: alerts.checks names \"\(name)\", which is not a check provider (known: \(registry.all.map(\.name).joined(separator: ", ")))")
                return nil
            }
            return (p, interval)
        }
    }
}
