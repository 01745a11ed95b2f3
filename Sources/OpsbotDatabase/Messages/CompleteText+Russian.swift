import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension CompleteText {
    var russian: String {
        switch self {
        case .usage(let c): "Формат: /\(HTML.escape(c)) &lt;id платежа или id у провайдера&gt;"
        case .usageForce(let c): "Формат: /\(HTML.escape(c)) &lt;id&gt; [force &lt;причина&gt;]. Ничего не изменено."
        case .noPayment(let id, let table): "В \(table) нет платежа с id или id у провайдера «\(id)». Ничего не изменено."
        case .severalMatch(let n, let id, let ids):
            "Под «\(id)» подходят \(Plural.ru(n, "платёж", "платежа", "платежей")) (id \(ids.joined(separator: ", "))); укажите id платежа. Ничего не изменено."
        case .alreadyDone(let p, let s, let at, let pending):
            "Платёж \(p) уже в статусе \(s)\(at.map { " с \(DatabaseFormat.clock($0, .ru))" } ?? ""); зачислить можно только платежи в статусе \(pending). Ничего не изменено."
        case .noCompletionSteps(let p, let t, let known):
            "У платежа \(p) тип «\(t)», для него нет шагов зачисления в database.payments.completion (настроены: \(known.isEmpty ? "никакие" : known.joined(separator: ", "))). Ничего не изменено."
        case .transaction(let pending, let sql):
            "В одной транзакции, после блокировки строки и проверки, что платёж всё ещё \(HTML.escape(pending)):\n<pre>\(HTML.escape(sql))</pre>"
        case .forceNeedsReason(let c, let p):
            "Для /\(c) \(p) force нужна причина для аудита, например: /\(c) \(p) force оплачен по личному кабинету YooKassa, тикет 123. Ничего не изменено."
        case .question: "Зачислить этот платёж?\n"
        case .checkAtProvider(let provider, let listed):
            "\nСначала убедитесь у провайдера, что платёж действительно оплачен" + (listed ? " (\(HTML.escape(provider ?? "без провайдера")) нет в database.payments.providers)" : "") + "."
        case .confirmLabel(let p): "Зачислить платёж \(p)"
        case .providerConfirms(let p): "\n✅ \(HTML.escape(p)) подтверждает, что деньги пришли и сумма совпадает."
        case .forceNotNeeded: "\n(force не нужен: провайдер подтверждает платёж)"
        case .askedAgainAtConfirm(let p): "\nПри подтверждении \(HTML.escape(p)) спросим ещё раз."
        case .notOffering(let p): "Подтверждение для платежа \(HTML.escape(p)) не предлагаю:\n"
        case .refusedReason(let why): "\n🚫 " + HTML.escape(why.russian) + "."
        case .overrideHint(let c, let p):
            "\n\nНичего не изменено. Если вы уверены, что деньги пришли (проверили в личном кабинете), зачислите принудительно: "
                + "/\(HTML.escape(c)) \(HTML.escape(p)) force &lt;причина&gt; — понадобится второе подтверждение, причина попадёт в аудит."
        case .overridePrompt(let p): "⚠️ <b>Принудительно</b>: зачислить платёж \(HTML.escape(p)), хотя провайдер его не подтверждает?\n"
        case .auditReason(let r): "\nПричина для аудита: <i>\(HTML.escape(r))</i>"
        case .secondConfirmation(let p, let r): "⚠️ <b>Второе подтверждение</b> — принудительное зачисление платежа \(HTML.escape(p)), причина: <i>\(HTML.escape(r))</i>\n"
        case .overrideLabel(let p): "Принудительно зачислить платёж \(p)"
        case .overrideChoice: "⚠️ Зачислить принудительно, дальше"
        case .overrideResult(let p, let said, let r): "\n(принудительно; \(HTML.escape(p)) при подтверждении: \(HTML.escape(said)); причина: \(HTML.escape(r)))"
        case .connectionDropped(let p, let why):
            "⚠️ Соединение оборвалось во время зачисления платежа \(p); при повторе: \(why.russian). Первая попытка могла успеть зачислить его до обрыва; в любом случае дважды он не зачислен. Проверьте: /payments \(p)."
        case .completed(let d):
            "✅ Платёж \(HTML.escape(d.id)) зачислен: \(HTML.escape(DatabaseFormat.money(d.amount, d.currency, .ru))) \(HTML.escape(d.type)) пользователю \(HTML.escape(d.user)), статус \(HTML.escape(d.status))."
        case .notCompleted(let why): "⚠️ Не зачислен: \(why.russian). Ничего не изменено."
        case .completionFailed(let e): "🔴 Зачисление не удалось, транзакция откачена: \(e.russian). Ничего не изменено."
        case .reverseUsage(let c): "Формат: /\(HTML.escape(c)) &lt;id платежа&gt;"
        case .reverseNoPayment(let id): "Нет платежа с id «\(id)». Ничего не изменено."
        case .nothingToReverse(let why): "Откатывать нечего: \(why.russian). Ничего не изменено."
        case .reverseQuestion: "Откатить двойное зачисление этого платежа?\n"
        case .reverseTransaction(let sql):
            "\n\nВ одной транзакции, после блокировки строк зачисления и проверки, что они всё ещё ровно эти:\n<pre>" + HTML.escape(sql) + "</pre>"
        case .reverseLabel(let p): "Откатить дубль платежа \(p)"
        case .reversal(let kept, let removed, let balances):
            "оставить: " + Self.rows(kept, decimalComma: true) + "\nудалить: " + Self.rows(removed, decimalComma: true)
                + (balances.isEmpty ? "" : "\nбаланс: " + balances.map { "пользователь \(HTML.escape($0.user)) −\(HTML.escape("\($0.amount)".replacingOccurrences(of: ".", with: ",")))" }.joined(separator: ", "))
        case .reversed(let p): "✅ Двойное зачисление платежа \(HTML.escape(p)) откачено:\n"
        case .notReversed(let why): "⚠️ Не откачено: \(why.russian). Ничего не изменено."
        case .reversalFailed(let e): "🔴 Откат не удался, транзакция откачена: \(e.russian). Ничего не изменено."
        }
    }
}
