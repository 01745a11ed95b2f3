import OpsbotSupport

extension AlertingText {
    public var english: String {
        switch self {
        case .serviceDownDescription: "a configured service is not running"
        case .instancesDescription: "more instances than configured (a bot: 409 Conflict)"
        case .restartLoopDescription: "too many restarts in the last hour"
        case .memoryGrowthDescription: "memory keeps growing"
        case .healthDescription: "health endpoint does not answer 200"
        case .healthSlowDescription: "health endpoint slower than its `slow` threshold"
        case .databaseDescription: "the application database does not answer"
        case .schemaDescription: "schema drift: missing tables/columns, alembic not at head"
        case .diskDescription: "disk or inodes above disk.warn_percent (critical above disk.critical_percent)"
        case .diskFillDescription: "a mount will be full within disk.fill_warn (critical: disk.fill_critical) at the recent rate"
        case .logDescription: "a configured log pattern matched within its window"
        case .logGrowthDescription: "a log file grows faster than disk.log_growth.max_mb_per_hour (the disk fills with logs)"
        case .heartbeatDescription: "the service's heartbeat line is missing from its log"
        case .paymentsDescription: "payments stuck in pending, or credited twice"
        case .paymentWebhookLostDescription: "a payment pending here is paid at its provider for longer than payments.webhook_grace (the webhook never arrived)"
        case .providerUnreachableDescription: "a payment provider's API (YooKassa, Crypto Pay) does not answer its who-am-I call"
        case .providerCredentialsDescription: "a payment provider refuses opsbot's credentials (401): check the named environment variable"
        case .webhookDescription: "target bot webhook errors; a webhook set while the bot polls blocks getUpdates"
        case .targetBotDescription: "target bot getMe fails: token invalid or Telegram unreachable"
        case .dependencyDescription: "a dependency the app needs does not answer"
        case .envDescription: "environment rules failing (/env)"
        case .checkTimeoutDescription: "a check did not finish within its timeout; its alerts are unknown"
        case .restartLabel: "Restart {service}"
        case .conflictsLabel: "Conflicts"
        case .lastErrorsLabel: "Last errors"
        case .statusLabel: "Status"
        case .showSchemaLabel: "Show schema"
        case .showDiskLabel: "Show disk"
        case .paymentsLabel: "Payments {target}"
        case .completePaymentLabel: "Complete payment {target}"
        case .pendingPaymentsLabel: "Pending payments"
        case .envLabel: "Env of {service}"
        case .delayed(let s, let down): "\n<i>(delayed \(Durations.format(s)): \(down ? "Telegram unreachable" : "chat rate limit"))</i>"
        case .andMore(let line, let n): line + " — and \(n) more"
        case .checkUnknown(let check): "\(check) unknown"
        }
    }
}
