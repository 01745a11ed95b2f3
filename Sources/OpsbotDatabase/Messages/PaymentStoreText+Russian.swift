import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension PaymentStoreText {
    public var russian: String {
        switch self {
        case .paymentNotFound(let p): "платёж \(p) не найден"
        case .paymentGone(let p): "платежа \(p) больше нет"
        case .alreadyStatus(let p, let s, let at): "платёж \(p) уже в статусе \(s)\(at.map { " с \(DatabaseFormat.clock($0, .ru))" } ?? "")"
        case .changedSincePreview(let p, let u, let a, let c, let t):
            "платёж \(p) изменился после предпросмотра (теперь пользователь \(u), \(DatabaseFormat.money(a, c, .ru)), \(t)); запустите /complete ещё раз"
        case .typeHasNoSteps(let t): "для типа платежа \(t) не настроены шаги зачисления"
        case .askedAgainNoAnswer(let p, let s): "при подтверждении \(p) переспросили, но ответа не было \(LocalFormat.duration(s, .ru))"
        case .askedAgainRefused(let r): "при подтверждении провайдера переспросили: \(r.ru)"
        case .notCreditedTwice(let p, let rows): "платёж \(p) не зачислен дважды в одну таблицу (\(rows.isEmpty ? "строк зачисления нет" : rows.joined(separator: ", ")))"
        case .creditRowsChanged(let p, let rows): "строки зачисления платежа \(p) изменились после предпросмотра (теперь \(rows.joined(separator: ", "))); запустите /reverse_duplicate ещё раз"
        case .creditedTimes(let n, let tables): "зачислен \(Plural.ru(n, "раз", "раза", "раз")) (\(tables))"
        case .sharedProviderID(let n, let id): "\(Plural.ru(n, "успешный платёж", "успешных платежа", "успешных платежей")) с одним id у провайдера \(id)"
        }
    }
}
