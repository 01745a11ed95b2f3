import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension CompleteText {
    var english: String {
        switch self {
        case .usage(let c): "Usage: /\(HTML.escape(c)) &lt;payment id or provider payment id&gt;"
        case .usageForce(let c): "Usage: /\(HTML.escape(c)) &lt;id&gt; [force &lt;reason&gt;]. Nothing was changed."
        case .noPayment(let id, let table): "No payment with id or provider payment id \"\(id)\" in \(table). Nothing was changed."
        case .severalMatch(let n, let id, let ids): "\(n) payments match \"\(id)\" (ids \(ids.joined(separator: ", "))); use the payment id. Nothing was changed."
        case .alreadyDone(let p, let s, let at, let pending):
            "Payment \(p) is already \(s)\(at.map { " at \(PaymentsStore.clock($0))" } ?? ""); only \(pending) payments can be completed. Nothing was changed."
        case .noCompletionSteps(let p, let t, let known):
            "Payment \(p) has type \"\(t)\", which has no completion steps in database.payments.completion (configured: \(known.isEmpty ? "none" : known.joined(separator: ", "))). Nothing was changed."
        case .transaction(let pending, let sql): "In one transaction, after locking the row and checking it is still \(HTML.escape(pending)):\n<pre>\(HTML.escape(sql))</pre>"
        case .forceNeedsReason(let c, let p):
            "/\(c) \(p) force needs a reason for the audit, e.g. /\(c) \(p) force paid per the YooKassa dashboard, support ticket 123. Nothing was changed."
        case .question: "Complete this payment?\n"
        case .checkAtProvider(let provider, let listed):
            "\nCheck at the provider first that it was really paid" + (listed ? " (\(HTML.escape(provider ?? "no provider")) is not in database.payments.providers)" : "") + "."
        case .confirmLabel(let p): "Complete payment \(p)"
        case .providerConfirms(let p): "\n✅ \(HTML.escape(p)) says the money arrived and the amount matches."
        case .forceNotNeeded: "\n(force is not needed: the provider confirms the payment)"
        case .askedAgainAtConfirm(let p): "\n\(HTML.escape(p)) is asked again when you press Confirm."
        case .notOffering(let p): "Not offering Confirm for payment \(HTML.escape(p)):\n"
        case .refusedReason(let why): "\n🚫 " + HTML.escape(why.english) + "."
        case .overrideHint(let c, let p):
            "\n\nNothing was changed. If you are sure the money arrived (checked in the dashboard), override with "
                + "/\(HTML.escape(c)) \(HTML.escape(p)) force &lt;reason&gt; — it needs a second confirmation and the reason goes to the audit."
        case .overridePrompt(let p): "⚠️ <b>Override</b>: complete payment \(HTML.escape(p)) although the provider does not confirm it?\n"
        case .auditReason(let r): "\nReason for the audit: <i>\(HTML.escape(r))</i>"
        case .secondConfirmation(let p, let r): "⚠️ <b>Second confirmation</b> — override for payment \(HTML.escape(p)), reason: <i>\(HTML.escape(r))</i>\n"
        case .overrideLabel(let p): "Override: complete payment \(p)"
        case .overrideChoice: "⚠️ Override, continue"
        case .overrideResult(let p, let said, let r): "\n(override; \(HTML.escape(p)) at Confirm: \(HTML.escape(said)); reason: \(HTML.escape(r)))"
        case .connectionDropped(let p, let why):
            "⚠️ The connection dropped while completing payment \(p); on the retry: \(why.english). The first attempt may have completed it before the drop; either way it was not credited twice. Check with /payments \(p)."
        case .completed(let d):
            "✅ Payment \(HTML.escape(d.id)) completed: \(HTML.escape("\(d.amount) \(d.currency)")) \(HTML.escape(d.type)) for user \(HTML.escape(d.user)), status \(HTML.escape(d.status))."
        case .notCompleted(let why): "⚠️ Not completed: \(why.english). Nothing was changed."
        case .completionFailed(let e): "🔴 Completion failed and was rolled back: \(e.english). Nothing was changed."
        case .reverseUsage(let c): "Usage: /\(HTML.escape(c)) &lt;payment id&gt;"
        case .reverseNoPayment(let id): "No payment with id \"\(id)\". Nothing was changed."
        case .nothingToReverse(let why): "Nothing to reverse: \(why.english). Nothing was changed."
        case .reverseQuestion: "Reverse the double credit of this payment?\n"
        case .reverseTransaction(let sql): "\n\nIn one transaction, after locking the credit rows and checking they are still exactly these:\n<pre>" + HTML.escape(sql) + "</pre>"
        case .reverseLabel(let p): "Reverse duplicate of \(p)"
        case .reversal(let kept, let removed, let balances):
            "keep: " + Self.rows(kept) + "\ndelete: " + Self.rows(removed)
                + (balances.isEmpty ? "" : "\nbalance: " + balances.map { "user \(HTML.escape($0.user)) −\(HTML.escape("\($0.amount)"))" }.joined(separator: ", "))
        case .reversed(let p): "✅ Double credit of payment \(HTML.escape(p)) reversed:\n"
        case .notReversed(let why): "⚠️ Not reversed: \(why.english). Nothing was changed."
        case .reversalFailed(let e): "🔴 Reversal failed and was rolled back: \(e.english). Nothing was changed."
        }
    }

    static func rows(_ rows: [CreditRow], decimalComma: Bool = false) -> String {
        rows.map { "\(HTML.escape($0.table)) #\(HTML.escape($0.id))" + ($0.amount.map { " (\(HTML.escape(decimalComma ? $0.replacingOccurrences(of: ".", with: ",") : $0)))" } ?? "") }
            .joined(separator: ", ")
    }
}
