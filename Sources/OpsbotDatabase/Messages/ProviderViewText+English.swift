import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension ProviderViewText {
    var english: String {
        switch self {
        case .notConfigured: "not configured"
        case .noProviderPaymentID: "the row has no provider payment id"
        case .noAnswerWithin(let p, let s): "\(p) gave no answer within \(Durations.format(s))"
        case .noAnswer(let p): "\(p) gave no answer"
        case .refuseUnknown(let p, let why): "\(p) could not be asked (\(why.english)): the status is unknown, which is not the same as paid"
        case .refuseNotFound(let p, let id): "\(p) has no payment \(id ?? "?") under these credentials (a wrong id, another shop or app, or test vs. live)"
        case .refusePending(let p, let s): "the customer has not paid yet: \(p) says \(s)"
        case .refuseHeld(let p): "the money is only held (\(p) waiting_for_capture): capturing is done in the shop, opsbot never captures"
        case .refuseCanceled(let p, let c): "\(p) canceled it\(c.map { " (\($0))" } ?? ""): it will never be paid"
        case .refuseExpired(let p): "the invoice expired unpaid at \(p): it will never be paid"
        case .amountDiffers(let p, let theirs, let ours): "the amount differs: \(theirs.amount) \(theirs.currency) at \(p), \(ours.amount) \(ours.currency) here"
        case .cellUnknown(let short): "❔ unknown (\(short))"
        case .cellNotFound: "not found at provider"
        case .cellPaidMismatch(let m): "⚠️ paid \(m.amount) \(m.currency) ≠ row"
        case .cellPaid(let p, let at): "paid at \(p)\(at.map { " " + ProviderText.clock($0).replacingOccurrences(of: " UTC", with: "") } ?? "") ✅"
        case .cellPending: "pending at provider"
        case .cellHeld: "held at provider (not captured)"
        case .cellCanceled(let r): "canceled at provider" + (r.map { " (\($0))" } ?? "")
        case .cellExpired: "expired at provider"
        case .atProviderNotFound(let p, let n):
            "<b>\(HTML.escape(p))</b> (\(HTML.escape(n))): not found — no such payment under these credentials (wrong id, another shop or app, or test vs. live)"
        case .atProviderUnknown(let p, let n, let why): "<b>\(HTML.escape(p))</b> (\(HTML.escape(n))): ❔ unknown — \(HTML.escape(why.english))"
        case .paymentHeader(let p, let n, let id, let s): "<b>\(HTML.escape(p))</b> (\(HTML.escape(n))) payment <code>\(HTML.escape(id))</code> — <b>\(HTML.escape(s))</b>"
        case .paymentAmount(let m, let paid): "amount \(HTML.escape(m.amount)) \(HTML.escape(m.currency))" + (paid.map { " · paid \(HTML.escape($0))" } ?? "")
        case .paymentTimes(let c, let p, let e):
            [c.map { "created \(ProviderText.clock($0))" }, p.map { "paid \(ProviderText.clock($0))" }, e.map { "expires \(ProviderText.clock($0))" }]
                .compactMap { $0 }.joined(separator: " · ")
        case .paymentCancellation(let r): "cancellation: \(HTML.escape(r))"
        case .paymentTest(let t): t ? "test: yes (a test shop or testnet)" : "test: no (live)"
        case .paymentDescription(let d): "description: \(HTML.escape(d))"
        case .compareFound(let p, let s, let at, let m, let test, let row):
            "<b>At \(HTML.escape(p))</b>: \(HTML.escape(s))\(at.map { " at \(ProviderText.clock($0))" } ?? ""), \(HTML.escape(m.amount)) \(HTML.escape(m.currency))"
                + (test ? " (test)" : "") + " · " + Self.here(row)
        case .compareNotFound(let p, let row): "<b>At \(HTML.escape(p))</b>: not found · " + Self.here(row)
        case .compareUnknown(let p, let why, let row): "<b>At \(HTML.escape(p))</b>: ❔ unknown (\(HTML.escape(why.english))) · " + Self.here(row)
        case .whoYooKassa(let a, let test): "YooKassa shop \(a)\(test ? " (test shop)" : "")"
        case .whoCryptoPay(let a, let bot): "Crypto Pay app \(a) (@\(bot))"
        case .whoStars(let bot): "Telegram Stars of @\(bot)"
        case .answers(let who): "\(who.en) answers"
        case .credentialsAccepted(let names, _, let p): "\(names) accepted by \(p)"
        case .providerAnswers(let p): "\(p) answers"
        case .credentialsRefused(let p, let n, let e): "\(p) (\(n)): \(e.english)"
        case .cannotBeAsked(let p, let n, let e): "\(p) (\(n)) cannot be asked: \(e.english)"
        case .credentialsUnchecked(let p, let names, _): "\(p) unreachable: \(names) cannot be checked"
        case .providerDown(let p, let why): "\(p) cannot be asked: \(why.english)"
        case .webhookLost(let row, let p, let since, let id):
            "payment \(row.id) of user \(row.user), \(row.amount) \(row.currency): pending here, paid at \(p) \(ProviderText.clock(since)) (\(p) id \(id)) — the webhook never arrived"
        case .reason(let why): why.english
        case .noWebhookLost(let grace, let n): "no payment pending here and paid at its provider for more than \(Durations.format(grace)) (\(n) checked)"
        case .evidenceCheckCredentials(let names, _, let p): "check \(names) in the app's environment and in the \(p) dashboard (seed 002 §1.5)"
        case .evidenceCannotCheck(let p): "payments cannot be checked at \(p) until it answers; new payments may fail to be created (seed 002 §1.5)"
        case .evidenceMismatch(let m): "⚠️ \(m.english)"
        case .evidenceAmountMatches: "amount and currency match"
        case .evidenceTypeCreated(let type, let created): "type \(type), created \(created)"
        }
    }

    static func here(_ row: Payment) -> String {
        "here: \(HTML.escape(row.amount)) \(HTML.escape(row.currency)), \(HTML.escape(row.status))"
    }
}
