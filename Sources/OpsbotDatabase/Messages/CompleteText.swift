import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// `/complete` and `/reverse_duplicate`: previews, confirm labels, refusals and results.
/// Ids, statuses, SQL and the commands to type back stay exact.
enum CompleteText: MessageCatalog {
    case usage(command: String)
    case usageForce(command: String)
    case noPayment(id: String, table: String)
    case severalMatch(count: Int, id: String, ids: [String])
    case alreadyDone(payment: String, status: String, at: Date?, pendingStatus: String)
    case noCompletionSteps(payment: String, type: String, configured: [String])
    case transaction(pendingStatus: String, statements: String)
    case forceNeedsReason(command: String, payment: String)
    case question
    case checkAtProvider(provider: String?, listed: Bool)
    case confirmLabel(payment: String)
    case providerConfirms(provider: String)
    case forceNotNeeded
    case askedAgainAtConfirm(provider: String)
    case notOffering(payment: String)
    case refusedReason(reason: ProviderViewText)
    case overrideHint(command: String, payment: String)
    case overridePrompt(payment: String)
    case auditReason(reason: String)
    case secondConfirmation(payment: String, reason: String)
    case overrideLabel(payment: String)
    case overrideChoice
    case overrideResult(provider: String, said: String, reason: String)
    case connectionDropped(payment: String, reason: PaymentStoreText)
    case completed(payment: Payment)
    case notCompleted(reason: PaymentStoreText)
    case completionFailed(error: ErrorText)
    case reverseUsage(command: String)
    case reverseNoPayment(id: String)
    case nothingToReverse(reason: PaymentStoreText)
    case reverseQuestion
    case reverseTransaction(statements: String)
    case reverseLabel(payment: String)
    case reversal(kept: [CreditRow], removed: [CreditRow], balances: [BalanceChange])
    case reversed(payment: String)
    case notReversed(reason: PaymentStoreText)
    case reversalFailed(error: ErrorText)

    static var samples: [CompleteText] {
        let row = Payment(id: "5", user: "3", amount: "549.00", currency: "RUB", type: "balance_topup", provider: "yookassa",
                          providerPaymentID: "2d8f1c3a", status: "succeeded", createdAt: nil, completedAt: nil, age: 60)
        let credit = CreditRow(table: "balance_transactions", id: "12", user: "3", amount: "549.00")
        let e = ErrorText(english: "query ran longer than 30 s and was cancelled", russian: "запрос выполнялся дольше 30 с и был отменён")
        return [
            .usage(command: "complete"),
            .usageForce(command: "complete"),
            .noPayment(id: "42", table: "payments"),
            .severalMatch(count: 2, id: "X1", ids: ["7", "9"]),
            .alreadyDone(payment: "3", status: "succeeded", at: Date(timeIntervalSince1970: 1_700_000_000), pendingStatus: "pending"),
            .noCompletionSteps(payment: "5", type: "gift_card", configured: ["balance_topup"]),
            .transaction(pendingStatus: "pending", statements: "UPDATE payments SET status = 'succeeded' WHERE id = 5;"),
            .forceNeedsReason(command: "complete", payment: "5"),
            .question,
            .checkAtProvider(provider: "pay_pal", listed: true),
            .confirmLabel(payment: "5"),
            .providerConfirms(provider: "YooKassa"),
            .forceNotNeeded,
            .askedAgainAtConfirm(provider: "YooKassa"),
            .notOffering(payment: "5"),
            .refusedReason(reason: .refusePending(provider: "YooKassa", status: "pending")),
            .overrideHint(command: "complete", payment: "5"),
            .overridePrompt(payment: "5"),
            .auditReason(reason: "оплачен по личному кабинету, тикет 123"),
            .secondConfirmation(payment: "5", reason: "тикет 123"),
            .overrideLabel(payment: "5"),
            .overrideChoice,
            .overrideResult(provider: "YooKassa", said: "ждёт оплаты у провайдера", reason: "тикет 123"),
            .connectionDropped(payment: "5", reason: .alreadyStatus(payment: "5", status: "succeeded", at: nil)),
            .completed(payment: row),
            .notCompleted(reason: .alreadyStatus(payment: "5", status: "succeeded", at: nil)),
            .completionFailed(error: e),
            .reverseUsage(command: "reverse_duplicate"),
            .reverseNoPayment(id: "42"),
            .nothingToReverse(reason: .notCreditedTwice(payment: "5", rows: [])),
            .reverseQuestion,
            .reverseTransaction(statements: "DELETE FROM balance_transactions WHERE id = '13';"),
            .reverseLabel(payment: "3"),
            .reversal(kept: [credit], removed: [credit], balances: [BalanceChange(user: "3", amount: 549)]),
            .reversed(payment: "3"),
            .notReversed(reason: .creditRowsChanged(payment: "3", rows: ["balance_transactions #12"])),
            .reversalFailed(error: e),
        ]
    }
}
