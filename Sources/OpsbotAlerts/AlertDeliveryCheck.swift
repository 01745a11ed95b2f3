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
            return [CheckResult(check: name, target: "config", status: .critical, message: AlertText.deliveryCannotStart(error: "\(error)"))]
        }
        guard let chat = svc.chatID else {
            return [CheckResult(check: name, target: "chat", status: .warning, message: AlertText.deliveryNoChat)]
        }
        let target = "chat:\(chat)"
        let now = app.clock.now()
        let failures = ((try? svc.store.failures(limit: 20)) ?? []).filter { now.timeIntervalSince($0.doneAt ?? $0.createdAt) < 86400 }
        if !failures.isEmpty {
            return [CheckResult(check: name, target: target, status: .critical,
                                message: AlertText.deliveryFailed(count: failures.count, error: failures[0].lastError ?? "?"),
                                value: Double(failures.count),
                                evidence: failures.prefix(5).map { "#\($0.id) \($0.message.kind.rawValue) \($0.message.fingerprint ?? "") — \($0.lastError ?? "")" })]
        }
        let pending = (try? svc.store.pending()) ?? []
        if let oldest = pending.first, now.timeIntervalSince(oldest.createdAt) > 300 {
            return [CheckResult(check: name, target: target, status: .warning,
                                message: AlertText.deliveryWaiting(count: pending.count, seconds: now.timeIntervalSince(oldest.createdAt), lastError: oldest.lastError),
                                value: Double(pending.count))]
        }
        return [CheckResult(check: name, target: target, status: .ok,
                            message: pending.isEmpty ? AlertText.deliveryEmpty : AlertText.deliveryQueued(count: pending.count),
                            value: Double(pending.count))]
    }
}
