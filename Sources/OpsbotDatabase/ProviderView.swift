import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// How the provider's answer reads next to a stored payment, and whether it allows completing
/// it: only a provider that says the money arrived (YooKassa `succeeded`, Crypto Pay `paid`)
/// for the row's amount and currency.
enum ProviderView {
    /// Whether `/complete` may offer Confirm, and if not, why (one sentence).
    enum Decision: Sendable {
        case paid(ProviderPayment)
        case refuse(ProviderViewText)
    }

    static func decide(_ v: ProviderVerdict, _ p: Payment, provider: String) -> Decision {
        switch v {
        case .unknown(let why):
            return .refuse(.refuseUnknown(provider: provider, reason: ErrorText(why)))
        case .notFound:
            return .refuse(.refuseNotFound(provider: provider, providerPaymentID: p.providerPaymentID))
        case .found(let pp):
            switch pp.state {
            case .paid:
                if let why = mismatch(pp, p) { return .refuse(why) }
                return .paid(pp)
            case .pending: return .refuse(.refusePending(provider: provider, status: pp.status))
            case .held: return .refuse(.refuseHeld(provider: provider))
            case .canceled: return .refuse(.refuseCanceled(provider: provider, cancellation: pp.cancellation))
            case .expired: return .refuse(.refuseExpired(provider: provider))
            }
        }
    }

    /// "amount differs: 300.00 RUB at YooKassa, 250.00 RUB here", nil when both match.
    static func mismatch(_ pp: ProviderPayment, _ p: Payment) -> ProviderViewText? {
        let sameCurrency = pp.currency.uppercased() == p.currency.uppercased()
        guard sameCurrency, ProviderPayment.sameAmount(pp.amount, p.amount) else {
            return .amountDiffers(provider: pp.provider, theirs: Money(amount: pp.amount, currency: pp.currency), ours: Money(amount: p.amount, currency: p.currency))
        }
        return nil
    }

    /// The `/payments pending` cell: "paid at YooKassa 14:02 ✅", "pending at provider", …
    static func cell(_ v: ProviderVerdict?, _ p: Payment) -> String {
        guard let v else { return "—" }
        let text: ProviderViewText
        switch v {
        case .unknown(let why): text = .cellUnknown(short: short(why.english))
        case .notFound: text = .cellNotFound
        case .found(let pp):
            switch pp.state {
            case .paid:
                text = mismatch(pp, p) != nil ? .cellPaidMismatch(paid: Money(amount: pp.amount, currency: pp.currency)) : .cellPaid(provider: pp.provider, at: pp.paidAt)
            case .pending: text = .cellPending
            case .held: text = .cellHeld
            case .canceled: text = .cellCanceled(reason: pp.cancellation.map { String($0.split(separator: " ").first ?? "") })
            case .expired: text = .cellExpired
            }
        }
        return text.text()
    }

    /// A short reason for the table; the full sentence is listed under it.
    static func short(_ why: String) -> String {
        let w = why.lowercased()
        if w.contains("no answer") { return "timeout" }
        if w.contains("unreachable") || w.contains("trouble on the provider") { return "unreachable" }
        if w.contains("credential") || w.contains("token") || w.contains("is not set") { return "credentials" }
        if w.contains("rate limit") { return "rate limited" }
        if w.contains("not a ") { return "id shape" }
        return "error"
    }

    /// The provider's view of one payment, without secrets (`/payments provider`, previews).
    static func detail(_ pp: ProviderPayment, name: String) -> String {
        var lines = [ProviderViewText.paymentHeader(provider: pp.provider, name: name, id: pp.id, status: pp.status).text()]
        lines.append(ProviderViewText.paymentAmount(amount: Money(amount: pp.amount, currency: pp.currency), paid: pp.paidAmount).text())
        if pp.createdAt != nil || pp.paidAt != nil || pp.expiresAt != nil {
            lines.append(ProviderViewText.paymentTimes(created: pp.createdAt, paid: pp.paidAt, expires: pp.expiresAt).text())
        }
        if let c = pp.cancellation { lines.append(ProviderViewText.paymentCancellation(reason: c).text()) }
        if let t = pp.test { lines.append(ProviderViewText.paymentTest(test: t).text()) }
        if let d = pp.description, !d.isEmpty { lines.append(ProviderViewText.paymentDescription(text: String(d.prefix(128))).text()) }
        return lines.joined(separator: "\n")
    }

    /// The row's and the provider's amount side by side, for the `/complete` preview.
    static func comparison(_ v: ProviderVerdict, _ p: Payment, name: String) -> String {
        switch v {
        case .found(let pp):
            return ProviderViewText.compareFound(provider: pp.provider, status: pp.status, at: pp.paidAt,
                                                 amount: Money(amount: pp.amount, currency: pp.currency), test: pp.test == true, row: p).text()
        case .notFound: return ProviderViewText.compareNotFound(provider: name, row: p).text()
        case .unknown(let why): return ProviderViewText.compareUnknown(provider: name, reason: ErrorText(why), row: p).text()
        }
    }
}
