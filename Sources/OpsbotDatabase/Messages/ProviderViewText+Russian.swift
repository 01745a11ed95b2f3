import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension ProviderViewText {
    var russian: String {
        switch self {
        case .notConfigured: "не настроен"
        case .noProviderPaymentID: "у строки нет id платежа у провайдера"
        case .noAnswerWithin(let p, let s): "\(p) не ответил за \(LocalFormat.duration(s, .ru))"
        case .noAnswer(let p): "\(p) не ответил"
        case .refuseUnknown(let p, let why): "не удалось спросить \(p) (\(why.russian)): статус неизвестен, а это не то же, что «оплачен»"
        case .refuseNotFound(let p, let id): "в \(p) нет платежа \(id ?? "?") под этими ключами (неверный id, другой магазин или приложение, тестовый или боевой режим)"
        case .refusePending(let p, let s): "клиент ещё не оплатил: \(p) отвечает \(s)"
        case .refuseHeld(let p): "деньги только заморожены (\(p) waiting_for_capture): списание делается в магазине, opsbot никогда не списывает"
        case .refuseCanceled(let p, let c): "\(p) отменил платёж\(c.map { " (\($0))" } ?? ""): оплаты уже не будет"
        case .refuseExpired(let p): "счёт в \(p) истёк неоплаченным: оплаты уже не будет"
        case .amountDiffers(let p, let theirs, let ours):
            "сумма не совпадает: в \(p) \(DatabaseFormat.money(theirs.amount, theirs.currency, .ru)), у нас \(DatabaseFormat.money(ours.amount, ours.currency, .ru))"
        case .cellUnknown(let short): "❔ неизвестно (\(Self.shortRU[short] ?? "ошибка"))"
        case .cellNotFound: "нет у провайдера"
        case .cellPaidMismatch(let m): "⚠️ оплачено \(DatabaseFormat.money(m.amount, m.currency, .ru)), сумма не та"
        case .cellPaid(let p, let at): "оплачен в \(p)\(at.map { " " + DatabaseFormat.providerClock($0, .ru).replacingOccurrences(of: " UTC", with: "") } ?? "") ✅"
        case .cellPending: "ждёт оплаты у провайдера"
        case .cellHeld: "заморожен у провайдера (не списан)"
        case .cellCanceled(let r): "отменён у провайдера" + (r.map { " (\($0))" } ?? "")
        case .cellExpired: "истёк у провайдера"
        case .atProviderNotFound(let p, let n):
            "<b>\(HTML.escape(p))</b> (\(HTML.escape(n))): не найден — такого платежа под этими ключами нет (неверный id, другой магазин или приложение, тестовый или боевой режим)"
        case .atProviderUnknown(let p, let n, let why): "<b>\(HTML.escape(p))</b> (\(HTML.escape(n))): ❔ статус неизвестен — \(HTML.escape(why.russian))"
        case .paymentHeader(let p, let n, let id, let s): "<b>\(HTML.escape(p))</b> (\(HTML.escape(n))), платёж <code>\(HTML.escape(id))</code> — <b>\(HTML.escape(s))</b>"
        case .paymentAmount(let m, let paid):
            "сумма \(HTML.escape(DatabaseFormat.money(m.amount, m.currency, .ru)))" + (paid.map { " · оплачено \(HTML.escape($0.replacingOccurrences(of: ".", with: ",")))" } ?? "")
        case .paymentTimes(let c, let p, let e):
            [c.map { "создан \(DatabaseFormat.providerClock($0, .ru))" }, p.map { "оплачен \(DatabaseFormat.providerClock($0, .ru))" },
             e.map { "истекает \(DatabaseFormat.providerClock($0, .ru))" }].compactMap { $0 }.joined(separator: " · ")
        case .paymentCancellation(let r): "причина отмены: \(HTML.escape(r))"
        case .paymentTest(let t): t ? "тестовый: да (тестовый магазин или тестовая сеть)" : "тестовый: нет (боевой)"
        case .paymentDescription(let d): "описание: \(HTML.escape(d))"
        case .compareFound(let p, let s, let at, let m, let test, let row):
            "<b>В \(HTML.escape(p))</b>: \(HTML.escape(s))\(at.map { " в \(DatabaseFormat.providerClock($0, .ru))" } ?? ""), \(HTML.escape(DatabaseFormat.money(m.amount, m.currency, .ru)))"
                + (test ? " (тест)" : "") + " · " + Self.hereRU(row)
        case .compareNotFound(let p, let row): "<b>В \(HTML.escape(p))</b>: не найден · " + Self.hereRU(row)
        case .compareUnknown(let p, let why, let row): "<b>В \(HTML.escape(p))</b>: ❔ статус неизвестен (\(HTML.escape(why.russian))) · " + Self.hereRU(row)
        case .whoYooKassa(let a, let test): "магазин YooKassa \(a)\(test ? " (тестовый)" : "")"
        case .whoCryptoPay(let a, let bot): "приложение Crypto Pay \(a) (@\(bot))"
        case .whoStars(let bot): "Telegram Stars бота @\(bot)"
        case .answers(let who): "\(who.ru) отвечает"
        case .credentialsAccepted(_, let names, let p): "\(p) принимает \(names)"
        case .providerAnswers(let p): "\(p) отвечает"
        case .credentialsRefused(let p, let n, let e): "\(p) (\(n)): \(e.russian)"
        case .cannotBeAsked(let p, let n, let e): "не удаётся спросить \(p) (\(n)): \(e.russian)"
        case .credentialsUnchecked(let p, _, let names): "\(p) недоступен: \(names) проверить нельзя"
        case .providerDown(let p, let why): "не удаётся спросить \(p): \(why.russian)"
        case .webhookLost(let row, let p, let since, let id):
            "платёж \(row.id) пользователя \(row.user), \(DatabaseFormat.money(row.amount, row.currency, .ru)): у нас в ожидании, а в \(p) оплачен \(DatabaseFormat.providerClock(since, .ru)) (id в \(p): \(id)) — вебхук так и не пришёл"
        case .reason(let why): why.russian
        case .evidenceCheckCredentials(_, let names, let p): "проверьте \(names) в окружении приложения и в личном кабинете \(p) (сид 002 §1.5)"
        case .evidenceCannotCheck(let p): "платежи не проверить в \(p), пока он не отвечает; новые платежи могут не создаваться (сид 002 §1.5)"
        case .evidenceMismatch(let m): "⚠️ \(m.russian)"
        case .evidenceAmountMatches: "сумма и валюта совпадают"
        case .evidenceTypeCreated(let type, let created): "тип \(type), создан \(created)"
        case .noWebhookLost(let grace, let n):
            "нет платежей, которые у нас в ожидании, а у провайдера оплачены дольше \(LocalFormat.duration(grace, .ru)) (проверено \(Plural.ru(n, "платёж", "платежа", "платежей")))"
        }
    }

    static let shortRU = ["timeout": "таймаут", "unreachable": "недоступен", "credentials": "ключи", "rate limited": "лимит запросов",
                          "id shape": "формат id", "error": "ошибка"]

    static func hereRU(_ row: Payment) -> String {
        "у нас: \(HTML.escape(DatabaseFormat.money(row.amount, row.currency, .ru))), \(HTML.escape(row.status))"
    }
}
