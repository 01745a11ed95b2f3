import Foundation
import OpsbotSupport

/// What the alert engine itself puts into the chat: the default rules' descriptions and button
/// labels (`{service}`/`{target}` are filled in later), the outbox's delay note, and why an
/// alert became unknown when its check said nothing.
public enum AlertingText: MessageCatalog {
    case serviceDownDescription
    case instancesDescription
    case restartLoopDescription
    case memoryGrowthDescription
    case healthDescription
    case healthSlowDescription
    case databaseDescription
    case schemaDescription
    case diskDescription
    case diskFillDescription
    case logDescription
    case logGrowthDescription
    case heartbeatDescription
    case paymentsDescription
    case paymentWebhookLostDescription
    case providerUnreachableDescription
    case providerCredentialsDescription
    case webhookDescription
    case targetBotDescription
    case dependencyDescription
    case envDescription
    case checkTimeoutDescription
    case restartLabel
    case conflictsLabel
    case lastErrorsLabel
    case statusLabel
    case showSchemaLabel
    case showDiskLabel
    case paymentsLabel
    case completePaymentLabel
    case pendingPaymentsLabel
    case envLabel
    /// `(delayed 5 min: Telegram unreachable)` under a message that waited.
    case delayed(seconds: Double, telegramDown: Bool)
    /// One line for a storm message's many annotations.
    case andMore(line: String, count: Int)
    /// An unknown result that gave no reason.
    case checkUnknown(check: String)

    public static var samples: [AlertingText] {
        [.serviceDownDescription, .instancesDescription, .restartLoopDescription, .memoryGrowthDescription, .healthDescription,
         .healthSlowDescription, .databaseDescription, .schemaDescription, .diskDescription, .diskFillDescription, .logDescription,
         .logGrowthDescription, .heartbeatDescription, .paymentsDescription, .paymentWebhookLostDescription,
         .providerUnreachableDescription, .providerCredentialsDescription, .webhookDescription, .targetBotDescription,
         .dependencyDescription, .envDescription, .checkTimeoutDescription, .restartLabel, .conflictsLabel, .lastErrorsLabel,
         .statusLabel, .showSchemaLabel, .showDiskLabel, .paymentsLabel, .completePaymentLabel, .pendingPaymentsLabel, .envLabel,
         .delayed(seconds: 420, telegramDown: true), .andMore(line: "✅ <b>в норме</b>", count: 5), .checkUnknown(check: "payments")]
    }
}
