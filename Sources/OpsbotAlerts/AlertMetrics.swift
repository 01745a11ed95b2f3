import Foundation
import OpsbotCore
import OpsbotSupport

extension OpsMetrics {
    /// Alert and outbox gauges, set at scrape time (`GET /metrics`) before `render`.
    public func setAlertGauges(_ svc: AlertService, now: Date) {
        let firing = svc.engine.active.filter(\.isFiring)
        for sev in ["warning", "critical"] {
            gauge("opsbot_alerts_firing", [("severity", sev)], Double(firing.filter { $0.severity.label == sev }.count))
        }
        let queued = (try? svc.store.pending()) ?? []
        gauge("opsbot_outbox_pending", [], Double(queued.count))
        gauge("opsbot_outbox_oldest_age_seconds", [], queued.map { now.timeIntervalSince($0.createdAt) }.max() ?? 0)
    }
}
