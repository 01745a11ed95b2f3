import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// What the payment provider says next to a stored payment (`/payments`, `/complete`), the
/// `payment_providers` check and the provider directory's own reasons. Provider statuses,
/// ids and variable names stay exact.
enum ProviderViewText: MessageCatalog {
    case notConfigured
    case noProviderPaymentID
    case noAnswerWithin(provider: String, seconds: Double)
    case noAnswer(provider: String)
    case refuseUnknown(provider: String, reason: ErrorText)
    case refuseNotFound(provider: String, providerPaymentID: String?)
    case refusePending(provider: String, status: String)
    case refuseHeld(provider: String)
    case refuseCanceled(provider: String, cancellation: String?)
    case refuseExpired(provider: String)
    case amountDiffers(provider: String, theirs: Money, ours: Money)
    case cellUnknown(short: String)
    case cellNotFound
    case cellPaidMismatch(paid: Money)
    case cellPaid(provider: String, at: Date?)
    case cellPending
    case cellHeld
    case cellCanceled(reason: String?)
    case cellExpired
    case atProviderNotFound(provider: String, name: String)
    case atProviderUnknown(provider: String, name: String, reason: ErrorText)
    case paymentHeader(provider: String, name: String, id: String, status: String)
    case paymentAmount(amount: Money, paid: String?)
    case paymentTimes(created: Date?, paid: Date?, expires: Date?)
    case paymentCancellation(reason: String)
    case paymentTest(test: Bool)
    case paymentDescription(text: String)
    case compareFound(provider: String, status: String, at: Date?, amount: Money, test: Bool, row: Payment)
    case compareNotFound(provider: String, row: Payment)
    case compareUnknown(provider: String, reason: ErrorText, row: Payment)
    case whoYooKassa(account: String, test: Bool)
    case whoCryptoPay(app: String, bot: String)
    case whoStars(bot: String)
    case answers(who: LocalizedText)
    case credentialsAccepted(names: String, namesRU: String, provider: String)
    case providerAnswers(provider: String)
    case credentialsRefused(provider: String, name: String, error: ErrorText)
    case cannotBeAsked(provider: String, name: String, error: ErrorText)
    case credentialsUnchecked(provider: String, names: String, namesRU: String)
    case providerDown(provider: String, reason: ErrorText)
    case webhookLost(payment: Payment, provider: String, since: Date, providerPaymentID: String)
    case reason(ErrorText)
    case noWebhookLost(grace: Double, checked: Int)
    // alert evidence (opsbot's own prose, shown under the alert)
    case evidenceCheckCredentials(names: String, namesRU: String, provider: String)
    case evidenceCannotCheck(provider: String)
    indirect case evidenceMismatch(ProviderViewText)
    case evidenceAmountMatches
    case evidenceTypeCreated(type: String, created: String)

    static var samples: [ProviderViewText] {
        let row = Payment(id: "5", user: "3", amount: "549.00", currency: "RUB", type: "balance_topup", provider: "yookassa",
                          providerPaymentID: "2d8f1c3a-000f-5000-9000-1a2b3c4d5e04", status: "pending",
                          createdAt: Date(timeIntervalSince1970: 1_700_000_000), completedAt: nil, age: 8_100)
        let m = Money(amount: "549.00", currency: "RUB")
        let e = ErrorText(english: "YooKassa API unreachable: connection refused (/v3/me)", russian: "API YooKassa недоступен: в соединении отказано (/v3/me)")
        let t = Date(timeIntervalSince1970: 1_700_000_000)
        return [
            .notConfigured,
            .noProviderPaymentID,
            .noAnswerWithin(provider: "YooKassa", seconds: 5),
            .noAnswer(provider: "Crypto Pay"),
            .refuseUnknown(provider: "YooKassa", reason: e),
            .refuseNotFound(provider: "YooKassa", providerPaymentID: "2d8f1c3a"),
            .refusePending(provider: "YooKassa", status: "pending"),
            .refuseHeld(provider: "YooKassa"),
            .refuseCanceled(provider: "YooKassa", cancellation: "expired_on_confirmation"),
            .refuseExpired(provider: "Crypto Pay"),
            .amountDiffers(provider: "YooKassa", theirs: Money(amount: "300.00", currency: "RUB"), ours: Money(amount: "250.00", currency: "RUB")),
            .cellUnknown(short: "timeout"),
            .cellNotFound,
            .cellPaidMismatch(paid: m),
            .cellPaid(provider: "YooKassa", at: t),
            .cellPending,
            .cellHeld,
            .cellCanceled(reason: "expired_on_confirmation"),
            .cellExpired,
            .atProviderNotFound(provider: "YooKassa", name: "yookassa"),
            .atProviderUnknown(provider: "YooKassa", name: "yookassa", reason: e),
            .paymentHeader(provider: "YooKassa", name: "yookassa", id: "2d8f1c3a", status: "succeeded"),
            .paymentAmount(amount: m, paid: "6.1 USDT"),
            .paymentTimes(created: t, paid: t, expires: t),
            .paymentCancellation(reason: "expired_on_confirmation"),
            .paymentTest(test: true),
            .paymentDescription(text: "Пополнение баланса"),
            .compareFound(provider: "YooKassa", status: "succeeded", at: t, amount: m, test: true, row: row),
            .compareNotFound(provider: "YooKassa", row: row),
            .compareUnknown(provider: "YooKassa", reason: e, row: row),
            .whoYooKassa(account: "123456", test: true),
            .whoCryptoPay(app: "Магазин", bot: "CryptoBot"),
            .whoStars(bot: "sample_bot"),
            .answers(who: LocalizedText(en: "YooKassa shop 123456", ru: "магазин YooKassa 123456")),
            .credentialsAccepted(names: "YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY", namesRU: "YOOKASSA_SHOP_ID и YOOKASSA_SECRET_KEY", provider: "YooKassa"),
            .providerAnswers(provider: "YooKassa"),
            .credentialsRefused(provider: "YooKassa", name: "yookassa", error: e),
            .cannotBeAsked(provider: "YooKassa", name: "yookassa", error: e),
            .credentialsUnchecked(provider: "Crypto Pay", names: "CRYPTOBOT_TOKEN", namesRU: "CRYPTOBOT_TOKEN"),
            .providerDown(provider: "YooKassa", reason: e),
            .webhookLost(payment: row, provider: "YooKassa", since: t, providerPaymentID: "2d8f1c3a"),
            .reason(e),
            .noWebhookLost(grace: 600, checked: 3),
            .evidenceCheckCredentials(names: "YOOKASSA_SECRET_KEY", namesRU: "YOOKASSA_SECRET_KEY", provider: "YooKassa"),
            .evidenceCannotCheck(provider: "YooKassa"),
            .evidenceMismatch(.amountDiffers(provider: "YooKassa", theirs: Money(amount: "300.00", currency: "RUB"), ours: m)),
            .evidenceAmountMatches,
            .evidenceTypeCreated(type: "balance_topup", created: "14:02 UTC"),
        ]
    }
}
