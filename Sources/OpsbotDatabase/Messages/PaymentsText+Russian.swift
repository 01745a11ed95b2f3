import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension PaymentsText {
    var russian: String {
        switch self {
        case .evidenceDuplicate(let p, let e): "платёж \(p): \(e.russian)"
        case .badDuration(let got): "возраст задаётся длительностью, например 15m, 2h или 1d, а получено «\(got)»"
        case .usageProvider: "Формат: /payments provider &lt;id платежа или id у провайдера&gt;"
        case .duplicatesTakesNoArgument: "/payments duplicates не принимает аргументов"
        case .usage: "Формат: /payments pending [возраст], /payments &lt;id&gt;, /payments duplicates, /payments provider &lt;id&gt;"
        case .noPending(let th): "✅ нет платежей в ожидании старше \(LocalFormat.duration(th, .ru))"
        case .pendingHeader(let n, let th, let totals):
            "⚠️ <b>\(Plural.ru(n, "платёж", "платежа", "платежей")) в ожидании дольше \(LocalFormat.duration(th, .ru))</b> — на сумму \(HTML.escape(totals.map { DatabaseFormat.money($0.amount, $0.currency, .ru) }.joined(separator: ", ")))\n"
        case .pendingColumns(let asked): "id\tюзер\tсумма\tтип\tпровайдер\tid у провайдера\tвозраст" + (asked ? "\tу провайдера" : "")
        case .unknownNotUnpaid(let why): "\n❔ \(HTML.escape(why.russian)) — статус неизвестен, это не «не оплачен»"
        case .pageOf(let p, let n): "\nстраница \(p) из \(n)"
        case .prevButton: "◀ Назад"
        case .nextButton: "Дальше ▶"
        case .fileButton: "📄 Файлом"
        case .pendingFooter(let asked):
            asked ? "\nЗачислить: /complete &lt;id&gt; (сначала спросим провайдера); подробности: /payments provider &lt;id&gt;."
                  : "\nЗачислить: /complete &lt;id&gt;, предварительно проверив платёж у провайдера."
        case .pendingFileCaption(let n, let th, let cap):
            "📄 \(Plural.ru(n, "платёж", "платежа", "платежей")) в ожидании дольше \(LocalFormat.duration(th, .ru))\(cap.map { " (первые \($0))" } ?? "")"
        case .noPayment(let id, let table): "В \(table) нет платежа с id или id у провайдера «\(id)»."
        case .severalMatch(let n, let id, let ids): "Под «\(id)» подходят \(Plural.ru(n, "платёж", "платежа", "платежей")) (id \(ids.joined(separator: ", "))); укажите id платежа."
        case .providerNotConfigured(let p, let provider, let known):
            "У платежа \(p) провайдер «\(provider)», его нет в database.payments.providers (настроены: \(known.isEmpty ? "никакие" : known.joined(separator: ", ")))."
        case .detailHeader(let p, let s): "<b>Платёж \(HTML.escape(p))</b> — \(HTML.escape(s))"
        case .detailUser(let u, let m, let t): "пользователь \(HTML.escape(u)) · \(HTML.escape(DatabaseFormat.money(m.amount, m.currency, .ru))) · \(HTML.escape(t))"
        case .detailProvider(let p, let id): "провайдер \(HTML.escape(p ?? "—")) · id у провайдера <code>\(HTML.escape(id ?? "—"))</code>"
        case .detailCreated(let at, let age, let done):
            "создан \(at.map { DatabaseFormat.clock($0, .ru) } ?? "?") (\(LocalFormat.ago(age, .ru)))" + (done.map { " · зачислен \(DatabaseFormat.clock($0, .ru))" } ?? "")
        case .noDuplicates: "✅ двойных зачислений нет"
        case .duplicateHeader(let n): "🔴 <b>\(Plural.ru(n, "двойное зачисление", "двойных зачисления", "двойных зачислений"))</b>\n"
        case .duplicateUnreversible(let ps, let e): "• платежи \(HTML.escape(ps)): \(HTML.escape(e.russian)) — проверьте у провайдера; автоматически не исправить"
        case .duplicatePayment(let p, let u, let m, let t):
            "• платёж <code>\(HTML.escape(p))</code>" + (u.map { " · пользователь \(HTML.escape($0)) · \(HTML.escape(m.map { DatabaseFormat.money($0.amount, $0.currency, .ru) } ?? "")) \(HTML.escape(t ?? ""))" } ?? "")
        case .duplicateRows(let rows): "\n  строки: " + rows.map { r in "\(HTML.escape(r.table)) #\(HTML.escape(r.id))" + (r.amount.map { " \(HTML.escape($0.replacingOccurrences(of: ".", with: ",")))" } ?? "") }.joined(separator: ", ")
        case .duplicateEffect(let b, let extra):
            "\n  последствия: " + (b.isEmpty ? "\(Plural.ru(extra, "лишняя строка", "лишние строки", "лишних строк")), баланс не затронут"
                                 : b.map { "баланс пользователя \(HTML.escape($0.user)) завышен на \(HTML.escape("\($0.amount)".replacingOccurrences(of: ".", with: ",")))" }.joined(separator: ", "))
        case .duplicateFix(let p): "\n  исправить: /reverse_duplicate \(HTML.escape(p))"
        case .duplicateByHand(let why): "\n  " + HTML.escape(why.russian) + " — исправлять вручную"
        case .unknownButton: "неизвестная кнопка"
        case .preparingFile: "готовлю файл…"
        case .pageToast(let p): "страница \(p)"
        case .checkNoPending(let th): "нет платежей в ожидании старше \(LocalFormat.duration(th, .ru))"
        case .checkPending(let n, let th, let totals):
            "\(Plural.ru(n, "платёж", "платежа", "платежей")) в ожидании дольше \(LocalFormat.duration(th, .ru)) (на сумму \(totals.map { DatabaseFormat.money($0.amount, $0.currency, .ru) }.joined(separator: ", ")))"
        case .checkNoDoubleCredits: "двойных зачислений нет"
        case .checkDoubleCredits(let n): "\(Plural.ru(n, "платёж зачислен", "платежа зачислены", "платежей зачислены")) больше одного раза"
        case .markingUpdated(let p, let n): "отметка платежа \(p) как успешного изменила \(Plural.ru(n, "строку", "строки", "строк"))"
        case .statementChanged(let q, let n): "\(q) изменил \(Plural.ru(n, "строку", "строки", "строк")) вместо одной; всё откачено"
        }
    }
}
