import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// An amount with its currency, as the database wrote it ("549.00", "RUB").
struct Money: Sendable, Hashable {
    var amount: String
    var currency: String
}

/// `/payments` (pending, lookup, duplicates), its page buttons and the `payments` check.
/// Ids, statuses, types, table names and commands stay exact; amounts and times are written
/// as each language writes them.
enum PaymentsText: MessageCatalog {
    case badDuration(got: String)
    case evidenceDuplicate(payment: String, evidence: PaymentStoreText)
    case usageProvider
    case duplicatesTakesNoArgument
    case usage
    case noPending(threshold: Double)
    case pendingHeader(count: Int, threshold: Double, totals: [Money])
    case pendingColumns(atProvider: Bool)
    case unknownNotUnpaid(reason: ErrorText)
    case pageOf(page: Int, pages: Int)
    case prevButton
    case nextButton
    case fileButton
    case pendingFooter(providersAsked: Bool)
    case pendingFileCaption(count: Int, threshold: Double, cap: Int?)
    case noPayment(id: String, table: String)
    case severalMatch(count: Int, id: String, ids: [String])
    case providerNotConfigured(payment: String, provider: String, configured: [String])
    case detailHeader(payment: String, status: String)
    case detailUser(user: String, amount: Money, type: String)
    case detailProvider(provider: String?, providerPaymentID: String?)
    case detailCreated(at: Date?, age: Double, completedAt: Date?)
    case noDuplicates
    case duplicateHeader(count: Int)
    case duplicateUnreversible(payments: String, evidence: PaymentStoreText)
    case duplicatePayment(payment: String, user: String?, amount: Money?, type: String?)
    case duplicateRows(rows: [CreditRow])
    case duplicateEffect(balances: [BalanceChange], extraRows: Int)
    case duplicateFix(payment: String)
    case duplicateByHand(reason: PaymentStoreText)
    case unknownButton
    case preparingFile
    case pageToast(page: Int)
    case checkNoPending(threshold: Double)
    case checkPending(count: Int, threshold: Double, totals: [Money])
    case checkNoDoubleCredits
    case checkDoubleCredits(count: Int)
    case markingUpdated(payment: String, rows: Int)
    case statementChanged(statement: String, rows: Int)

    static var samples: [PaymentsText] {
        let m = Money(amount: "549.00", currency: "RUB")
        let row = CreditRow(table: "balance_transactions", id: "12", user: "3", amount: "549.00")
        return [
            .badDuration(got: "15x"),
            .evidenceDuplicate(payment: "7", evidence: .creditedTimes(count: 2, tables: "balance_transactions")),
            .usageProvider,
            .duplicatesTakesNoArgument,
            .usage,
            .noPending(threshold: 86_400),
            .pendingHeader(count: 5, threshold: 900, totals: [m, Money(amount: "5.00", currency: "USD")]),
            .pendingColumns(atProvider: true),
            .unknownNotUnpaid(reason: ErrorText(english: "YooKassa API unreachable: connection refused (/v3/payments/x)", russian: "API YooKassa недоступен: в соединении отказано (/v3/payments/x)")),
            .pageOf(page: 1, pages: 3),
            .prevButton,
            .nextButton,
            .fileButton,
            .pendingFooter(providersAsked: true),
            .pendingFileCaption(count: 22, threshold: 900, cap: 50_000),
            .noPayment(id: "42", table: "payments"),
            .severalMatch(count: 2, id: "X1", ids: ["7", "9"]),
            .providerNotConfigured(payment: "5", provider: "pay_pal", configured: ["yookassa"]),
            .detailHeader(payment: "5", status: "pending"),
            .detailUser(user: "3", amount: m, type: "balance_topup"),
            .detailProvider(provider: "yookassa", providerPaymentID: "2d8f1c3a-000f-5000-9000-1a2b3c4d5e04"),
            .detailCreated(at: Date(timeIntervalSince1970: 1_700_000_000), age: 8_100, completedAt: Date(timeIntervalSince1970: 1_700_000_600)),
            .noDuplicates,
            .duplicateHeader(count: 2),
            .duplicateUnreversible(payments: "7, 9", evidence: .sharedProviderID(count: 2, providerPaymentID: "CB-1")),
            .duplicatePayment(payment: "3", user: "2", amount: m, type: "balance_topup"),
            .duplicateRows(rows: [row, row]),
            .duplicateEffect(balances: [BalanceChange(user: "3", amount: 549)], extraRows: 1),
            .duplicateFix(payment: "3"),
            .duplicateByHand(reason: .notCreditedTwice(payment: "3", rows: [])),
            .unknownButton,
            .preparingFile,
            .pageToast(page: 2),
            .checkNoPending(threshold: 900),
            .checkPending(count: 3, threshold: 900, totals: [m]),
            .checkNoDoubleCredits,
            .checkDoubleCredits(count: 1),
            .markingUpdated(payment: "5", rows: 0),
            .statementChanged(statement: "DELETE FROM balance_transactions WHERE id = '12'", rows: 0),
        ]
    }
}

/// How much a reversal takes off one user's balance.
struct BalanceChange: Sendable, Hashable {
    var user: String
    var amount: Decimal
}
