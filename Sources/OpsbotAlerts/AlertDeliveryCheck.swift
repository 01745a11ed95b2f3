import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport

/// `opsbot check alert_delivery` and /status: are alerts reaching the chat? Critical when a
/// message failed for good in the last day; warning when messages wait longer than 5 minutes.
public struct AlertDeliveryCheck: CheckProvider {
    public static let providerName = "alert_delivery"
    public var name: String { Self.providerName }
    let alerts: AlertsFeature
    public init(alerts: AlertsFeature) { self.alerts = alerts }

    public func run(_ app: AppContext) async -> [CheckResult] {
        let svc: AlertService
        do { svc = try alerts.service() } catch {
            return [CheckResult(check: name, target: "config", status: .critical, summary: "alerts cannot start: \(error)")]
        }
        guard let chat = svc.chatID else {
            return [CheckResult(check: name, target: "chat", status: .warning, summary: "no alert chat: set alerts.chat_id or admins.chats")]
        }
        let target = "chat:\(chat)"
        let now = app.clock.now()
        let failures = ((try? svc.store.failures(limit: 20)) ?? []).filter { now.timeIntervalSince($0.doneAt ?? $0.createdAt) < 86400 }
        if !failures.isEmpty {
            return [CheckResult(check: name, target: target, status: .critical,
                                summary: "\(failures.count) alert message(s) could not be delivered in the last 24 h: \(failures[0].lastError ?? "?")",
                                value: Double(failures.count),
                                evidence: failures.prefix(5).map { "#\($0.id) \($0.message.kind.rawValue) \($0.message.fingerprint ?? "") — \($0.lastError ?? "")" })]
        }
        let pending = (try? svc.store.pending()) ?? []
        if let oldest = pending.first, now.timeIntervalSince(oldest.createdAt) > 300 {
            return [CheckResult(check: name, target: target, status: .warning,
                                summary: "\(pending.count) alert message(s) waiting since \(Durations.format(now.timeIntervalSince(oldest.createdAt))) (last error: \(oldest.lastError ?? "none"))",
                                value: Double(pending.count))]
        }
        return [CheckResult(check: name, target: target, status: .ok,
                            summary: pending.isEmpty ? "alert outbox empty" : "\(pending.count) alert message(s) queued",
                            value: Double(pending.count))]
    }
}
