import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// How the provider's answer reads next to a stored payment, and whether it allows completing
/// it: only a provider that says the money arrived (YooKassa `succeeded`, Crypto Pay `paid`)
/// for the row's amount and currency.
enum ProviderView {
    /// Whether `/complete` may offer Confirm, and if not, why (one sentence).
    enum Decision: Sendable, Equatable {
        case paid(ProviderPayment)
        case refuse(String)
    }

    static func decide(_ v: ProviderVerdict, _ p: Payment, provider: String) -> Decision {
        switch v {
        case .unknown(let why):
            return .refuse("\(provider) could not be asked (\(why)): the status is unknown, which is not the same as paid")
        case .notFound:
            return .refuse("\(provider) has no payment \(p.providerPaymentID ?? "?") under these credentials (a wrong id, another shop or app, or test vs. live)")
        case .found(let pp):
            switch pp.state {
            case .paid:
                if let why = mismatch(pp, p) { return .refuse(why) }
                return .paid(pp)
            case .pending: return .refuse("the customer has not paid yet: \(provider) says \(pp.status)")
            case .held: return .refuse("the money is only held (\(provider) waiting_for_capture): capturing is done in the shop, opsbot never captures")
            case .canceled: return .refuse("\(provider) canceled it\(pp.cancellation.map { " (\($0))" } ?? ""): it will never be paid")
            case .expired: return .refuse("the invoice expired unpaid at \(provider): it will never be paid")
            }
        }
    }

    /// "amount differs: 300.00 RUB at YooKassa, 250.00 RUB here", nil when both match.
    static func mismatch(_ pp: ProviderPayment, _ p: Payment) -> String? {
        let sameCurrency = pp.currency.uppercased() == p.currency.uppercased()
        guard sameCurrency, ProviderPayment.sameAmount(pp.amount, p.amount) else {
            return "the amount differs: \(pp.amount) \(pp.currency) at \(pp.provider), \(p.amount) \(p.currency) here"
        }
        return nil
    }

    /// The `/payments pending` cell: "paid at YooKassa 14:02 ✅", "pending at provider", …
    static func cell(_ v: ProviderVerdict?, _ p: Payment) -> String {
        guard let v else { return "—" }
        switch v {
        case .unknown(let why): return "❔ unknown (\(short(why)))"
        case .notFound: return "not found at provider"
        case .found(let pp):
            switch pp.state {
            case .paid:
                let at = pp.paidAt.map { " " + ProviderText.clock($0).replacingOccurrences(of: " UTC", with: "") } ?? ""
                if mismatch(pp, p) != nil { return "⚠️ paid \(pp.amount) \(pp.currency) ≠ row" }
                return "paid at \(pp.provider)\(at) ✅"
            case .pending: return "pending at provider"
            case .held: return "held at provider (not captured)"
            case .canceled: return "canceled at provider" + (pp.cancellation.map { " (\($0.split(separator: " ").first ?? "")" + ")" } ?? "")
            case .expired: return "expired at provider"
            }
        }
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
        var lines = ["<b>\(HTML.escape(pp.provider))</b> (\(HTML.escape(name))) payment <code>\(HTML.escape(pp.id))</code> — <b>\(HTML.escape(pp.status))</b>"]
        var amount = "amount \(HTML.escape(pp.amount)) \(HTML.escape(pp.currency))"
        if let paid = pp.paidAmount { amount += " · paid \(HTML.escape(paid))" }
        lines.append(amount)
        var times: [String] = []
        if let c = pp.createdAt { times.append("created \(ProviderText.clock(c))") }
        if let t = pp.paidAt { times.append("paid \(ProviderText.clock(t))") }
        if let e = pp.expiresAt { times.append("expires \(ProviderText.clock(e))") }
        if !times.isEmpty { lines.append(times.joined(separator: " · ")) }
        if let c = pp.cancellation { lines.append("cancellation: \(HTML.escape(c))") }
        if let t = pp.test { lines.append(t ? "test: yes (a test shop or testnet)" : "test: no (live)") }
        if let d = pp.description, !d.isEmpty { lines.append("description: \(HTML.escape(String(d.prefix(128))))") }
        return lines.joined(separator: "\n")
    }

    /// The row's and the provider's amount side by side, for the `/complete` preview.
    static func comparison(_ v: ProviderVerdict, _ p: Payment, name: String) -> String {
        let here = "here: \(HTML.escape(p.amount)) \(HTML.escape(p.currency)), \(HTML.escape(p.status))"
        switch v {
        case .found(let pp):
            let at = pp.paidAt.map { " at \(ProviderText.clock($0))" } ?? ""
            return "<b>At \(HTML.escape(pp.provider))</b>: \(HTML.escape(pp.status))\(at), \(HTML.escape(pp.amount)) \(HTML.escape(pp.currency))"
                + (pp.test == true ? " (test)" : "") + " · " + here
        case .notFound: return "<b>At \(HTML.escape(name))</b>: not found · " + here
        case .unknown(let why): return "<b>At \(HTML.escape(name))</b>: ❔ unknown (\(HTML.escape(why))) · " + here
        }
    }
}
