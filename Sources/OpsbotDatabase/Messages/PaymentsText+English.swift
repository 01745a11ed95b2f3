import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension PaymentsText {
    var english: String {
        switch self {
        case .evidenceDuplicate(let p, let e): "payment \(p): \(e.english)"
        case .badDuration(let got): "older-than must be a duration such as 15m, 2h or 1d, got \"\(got)\""
        case .usageProvider: "Usage: /payments provider &lt;payment id or provider payment id&gt;"
        case .duplicatesTakesNoArgument: "/payments duplicates takes no further argument"
        case .usage: "Usage: /payments pending [older-than], /payments &lt;id&gt;, /payments duplicates, /payments provider &lt;id&gt;"
        case .noPending(let th): "✅ no pending payments older than \(Durations.format(th))"
        case .pendingHeader(let n, let th, let totals):
            "⚠️ <b>\(n) pending payment\(n == 1 ? "" : "s") older than \(Durations.format(th))</b> — total \(HTML.escape(totals.map { "\($0.amount) \($0.currency)" }.joined(separator: ", ")))\n"
        case .pendingColumns(let asked): "id\tuser\tamount\ttype\tprovider\tprovider id\tage" + (asked ? "\tat provider" : "")
        case .unknownNotUnpaid(let why): "\n❔ \(HTML.escape(why.english)) — unknown, not \"not paid\""
        case .pageOf(let p, let n): "\npage \(p) of \(n)"
        case .prevButton: "◀ Prev"
        case .nextButton: "Next ▶"
        case .fileButton: "📄 File"
        case .pendingFooter(let asked):
            asked ? "\nComplete one with /complete &lt;id&gt; (the provider is asked first); details: /payments provider &lt;id&gt;."
                  : "\nComplete one with /complete &lt;id&gt; after checking it at the provider."
        case .pendingFileCaption(let n, let th, let cap): "📄 \(n) pending payments older than \(Durations.format(th))\(cap.map { " (first \($0))" } ?? "")"
        case .noPayment(let id, let table): "No payment with id or provider payment id \"\(id)\" in \(table)."
        case .severalMatch(let n, let id, let ids): "\(n) payments match \"\(id)\" (ids \(ids.joined(separator: ", "))); use the payment id."
        case .providerNotConfigured(let p, let provider, let known):
            "Payment \(p) has provider \"\(provider)\", which is not in database.payments.providers (configured: \(known.isEmpty ? "none" : known.joined(separator: ", ")))."
        case .detailHeader(let p, let s): "<b>Payment \(HTML.escape(p))</b> — \(HTML.escape(s))"
        case .detailUser(let u, let m, let t): "user \(HTML.escape(u)) · \(HTML.escape("\(m.amount) \(m.currency)")) · \(HTML.escape(t))"
        case .detailProvider(let p, let id): "provider \(HTML.escape(p ?? "—")) · provider payment id <code>\(HTML.escape(id ?? "—"))</code>"
        case .detailCreated(let at, let age, let done):
            "created \(at.map(PaymentsStore.clock) ?? "?") (\(Durations.format(age)) ago)" + (done.map { " · completed \(PaymentsStore.clock($0))" } ?? "")
        case .noDuplicates: "✅ no payment credited more than once"
        case .duplicateHeader(let n): "🔴 <b>\(n) double credit\(n == 1 ? "" : "s")</b>\n"
        case .duplicateUnreversible(let ps, let e): "• payments \(HTML.escape(ps)): \(HTML.escape(e.english)) — check at the provider; no automatic fix"
        case .duplicatePayment(let p, let u, let m, let t):
            "• payment <code>\(HTML.escape(p))</code>" + (u.map { " · user \(HTML.escape($0)) · \(HTML.escape(m.map { "\($0.amount) \($0.currency)" } ?? "")) \(HTML.escape(t ?? ""))" } ?? "")
        case .duplicateRows(let rows): "\n  rows: " + rows.map { r in "\(HTML.escape(r.table)) #\(HTML.escape(r.id))" + (r.amount.map { " \(HTML.escape($0))" } ?? "") }.joined(separator: ", ")
        case .duplicateEffect(let b, let extra):
            "\n  effect: " + (b.isEmpty ? "\(extra) extra row(s), no balance" : b.map { "user \(HTML.escape($0.user)) balance \(HTML.escape("\($0.amount)")) too high" }.joined(separator: ", "))
        case .duplicateFix(let p): "\n  fix: /reverse_duplicate \(HTML.escape(p))"
        case .duplicateByHand(let why): "\n  " + HTML.escape(why.english) + " — fix by hand"
        case .unknownButton: "unknown button"
        case .preparingFile: "preparing the file…"
        case .pageToast(let p): "page \(p)"
        case .checkNoPending(let th): "no pending payments older than \(Durations.format(th))"
        case .checkPending(let n, let th, let totals):
            "\(n) pending payment\(n == 1 ? "" : "s") older than \(Durations.format(th)) (total \(totals.map { "\($0.amount) \($0.currency)" }.joined(separator: ", ")))"
        case .checkNoDoubleCredits: "no double credits"
        case .checkDoubleCredits(let n): "\(n) payment(s) credited more than once"
        case .markingUpdated(let p, let n): "marking payment \(p) succeeded updated \(n) rows"
        case .statementChanged(let q, let n): "\(q) changed \(n) rows, expected 1; rolled back"
        }
    }
}
