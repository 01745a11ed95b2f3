import Foundation
import SystemOps
import OpsbotSupport

extension ConflictsText {
    var russian: String {
        func e(_ s: String) -> String { HTML.escape(s) }
        func d(_ s: Double) -> String { RU.dur(s) }
        let platform = { (heroku: Bool) in heroku ? "Heroku" : "Railway" }
        func scope(_ fixedAgo: Double?, _ window: Double, _ beforeFix: Int) -> String {
            let s = fixedAgo.map { "с последнего исправления (\(d(max(0, $0))) назад)" } ?? "за последние \(d(window))"
            return s + (beforeFix > 0 ? " (\(Plural.ru(beforeFix, "строка", "строки", "строк")) до него уже не в счёт)" : "")
        }
        switch self {
        case .conflictsNoBotService:
            return "Не указан сервис бота: отметьте сервис, в котором работает бот, через <code>bot: true</code> или задайте <code>target_bot.service</code>."
        case .conflictsTitle(let s): return "<b>Конфликты \(e(s))</b>\n"
        case .conflictsInstancesUnknown(let why): return "❔ экземпляры: неизвестно (\(e(why))) — вторую копию, опрашивающую токен, исключить нельзя\n"
        case .platformCopiesTooMany(let n, let s, let heroku):
            return "🔴 на \(platform(heroku)) работает \(RU.unit(heroku, n)) \(e(s)) — Telegram разрешает опрашивать токен только одной (<code>409 Conflict</code>)\n"
        case .platformCopies(let n, let s, let heroku):
            return "\(n == 1 ? "✅" : "⚠️") на \(platform(heroku)) работает \(RU.unit(heroku, n)) \(e(s))\n"
        case .platformCopySince(let desc, let ago): return "• " + e(desc) + " — запущен \(e(d(max(0, ago)))) назад\n"
        case .instancesFew(let n): return "✅ работает \(RU.instances(n))\n"
        case .instancesTooMany(let n): return "🔴 работает \(RU.instances(n)) — Telegram разрешает опрашивать токен только одному (<code>409 Conflict</code>):\n"
        case .instanceLine(let desc, let keep, let ago):
            return (keep ? "• оставить: " : "• лишний: ") + e(desc) + (ago.map { " — запущен \(e(d($0))) назад" } ?? "") + "\n"
        case .noneSupervised:
            return "⚠️ ни один из них не под супервизором (нет главного PID в systemd, контейнера compose или pid-файла), поэтому opsbot не будет выбирать, какой остановить.\n"
        case .noConflictLines(let fixedAgo, let window, let beforeFix):
            return "✅ в логе нет <code>Conflict: terminated by other getUpdates request</code> \(scope(fixedAgo, window, beforeFix))\n"
        case .conflictLines(let fixedAgo, let window, let beforeFix): return "🔴 строки о конфликте \(scope(fixedAgo, window, beforeFix)):"
        case .conflictLinesFromGone(let n, let dynos):
            return "ℹ️ из них \(n) от \(e(dynos.joined(separator: ", "))), \(dynos.count == 1 ? "который уже не работает" : "которые уже не работают")\n"
        case .outsidePoller(let n, let heroku):
            return "🔴 на \(platform(heroku)) работает всего \(RU.unit(heroku, n)), значит второй опрашивающий — вне платформы (ноутбук, другой хост, второе приложение с тем же токеном): остановите его там или отзовите токен в @BotFather и пропишите новый только здесь.\n"
        case .targetBotProblem(let error): return "⚠️ целевой бот: \(e(error))\n"
        case .webhookWhilePolling(let url): return "🔴 задан вебхук (\(e(url))), а бот сам опрашивает <code>getUpdates</code>: каждый запрос падает с 409\n"
        case .webhookState(let set): return "✅ вебхук: \(set ? "задан (бот его и ждёт)" : "не задан")\n"
        case .conflictsScalePrompt(let s, let n): return "\nМасштабировать \(e(s)) до \(n):\n"
        case .conflictsScaleLabel(let n): return "Масштабировать до \(n)"
        case .scalingFailed(let error): return e("🔴 масштабировать не удалось: \(error)")
        case .stopExtrasPrompt: return "\nОстановить эти лишние экземпляры (<code>SIGTERM</code>, затем <code>SIGKILL</code> / <code>docker stop</code>)?\n"
        case .stopExtrasLabel(let n): return "Остановить лишние: \(n)"
        case .nowRunning(let n, let s): return "\nсейчас работает \(RU.instances(n)) \(e(s))"
        case .deleteWebhookPrompt(let url): return "\nУдалить вебхук \(e(url)) (<code>deleteWebhook</code>), чтобы опрос <code>getUpdates</code> снова заработал?"
        case .deleteWebhookLabel: return "Удалить вебхук"
        case .targetBotNotConfigured: return e("target_bot не настроен")
        case .webhookDeleted: return e("✅ вебхук удалён")
        case .deleteWebhookFailed(let error): return e("🔴 удалить вебхук не удалось: \(error)")
        case .whatToFix: return "\nЧто исправить?"
        case .choiceScale(let s, let n): return "Масштабировать \(s) до \(n)"
        case .choiceStopExtras(let n): return "Остановить лишние (\(n))"
        case .choiceDeleteWebhook: return "Удалить вебхук"
        }
    }
}
