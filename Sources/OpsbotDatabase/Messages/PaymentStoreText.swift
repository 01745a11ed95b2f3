import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// Why the payments store refused a completion or a reversal, and what a double credit is,
/// in every language (the store's results carry it; the chat renders it).
public enum PaymentStoreText: MessageCatalog, Hashable {
    case paymentNotFound(payment: String)
    case paymentGone(payment: String)
    case alreadyStatus(payment: String, status: String, at: Date?)
    case changedSincePreview(payment: String, user: String, amount: String, currency: String, type: String)
    case typeHasNoSteps(type: String)
    case askedAgainNoAnswer(provider: String, seconds: Double)
    case askedAgainRefused(reason: LocalizedText)
    case notCreditedTwice(payment: String, rows: [String])
    case creditRowsChanged(payment: String, rows: [String])
    case creditedTimes(count: Int, tables: String)
    case sharedProviderID(count: Int, providerPaymentID: String)

    public static var samples: [PaymentStoreText] {
        [
            .paymentNotFound(payment: "5"),
            .paymentGone(payment: "5"),
            .alreadyStatus(payment: "5", status: "succeeded", at: Date(timeIntervalSince1970: 1_700_000_000)),
            .changedSincePreview(payment: "5", user: "3", amount: "549.00", currency: "RUB", type: "balance_topup"),
            .typeHasNoSteps(type: "gift_card"),
            .askedAgainNoAnswer(provider: "YooKassa", seconds: 7),
            .askedAgainRefused(reason: LocalizedText(en: "the customer has not paid yet: YooKassa says pending", ru: "клиент ещё не оплатил: YooKassa отвечает pending")),
            .notCreditedTwice(payment: "5", rows: []),
            .creditRowsChanged(payment: "5", rows: ["balance_transactions #12"]),
            .creditedTimes(count: 2, tables: "balance_transactions, balance_transactions"),
            .sharedProviderID(count: 2, providerPaymentID: "CB-771203"),
        ]
    }

    /// Searched by its English, as the tests and logs read it.
    public func contains(_ s: some StringProtocol) -> Bool { english.contains(s) }
}
