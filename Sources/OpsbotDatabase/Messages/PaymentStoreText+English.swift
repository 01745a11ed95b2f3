import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension PaymentStoreText {
    public var english: String {
        switch self {
        case .paymentNotFound(let p): "payment \(p) not found"
        case .paymentGone(let p): "payment \(p) no longer exists"
        case .alreadyStatus(let p, let s, let at): "payment \(p) is already \(s)\(at.map { " at \(PaymentsStore.clock($0))" } ?? "")"
        case .changedSincePreview(let p, let u, let a, let c, let t): "payment \(p) changed since the preview (now user \(u), \(a) \(c), \(t)); run /complete again"
        case .typeHasNoSteps(let t): "payment type \(t) has no completion steps configured"
        case .askedAgainNoAnswer(let p, let s): "asked again at Confirm, \(p) gave no answer within \(Durations.format(s))"
        case .askedAgainRefused(let r): "asked again at Confirm, \(r.en)"
        case .notCreditedTwice(let p, let rows): "payment \(p) is not credited twice in one table (\(rows.isEmpty ? "no credit rows" : rows.joined(separator: ", ")))"
        case .creditRowsChanged(let p, let rows): "the credit rows of payment \(p) changed since the preview (now \(rows.joined(separator: ", "))); run /reverse_duplicate again"
        case .creditedTimes(let n, let tables): "credited \(n)× (\(tables))"
        case .sharedProviderID(let n, let id): "\(n) succeeded payments share provider payment id \(id)"
        }
    }
}
