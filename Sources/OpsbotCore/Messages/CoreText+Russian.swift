import Foundation

extension CoreText {
    public var russian: String {
        let e = HTML.escape
        func c(_ s: String) -> String { "<code>\(e(s))</code>" }
        func d(_ s: Double) -> String { LocalFormat.duration(s, .ru) }
        switch self {
        case .malformedCommand(let why): return "⚠️ \(why.russian). Список команд — /help."
        case .notACommandName(let name): return "«/\(e(name))» — не имя команды (команды пишутся латиницей)"
        case .quoteNotClosed: return "не закрыта кавычка"
        case .unknownCommand(let name, let suggestion):
            return "Нет команды /\(e(name))\(suggestion.map { " (может, /\(e($0))?)" } ?? ""). Список команд — /help."
        case .needsRole(let name, let roles):
            return "⛔ Для /\(e(name)) нужна роль \(roles.map(c).joined(separator: " или ")), а у вас её нет."
        case .commandNotConfigured(let name, let why): return "⚪ /\(e(name)) здесь не настроена: \(e(why))."
        case .working(let name): return "⏳ /\(e(name)) выполняется…"
        case .timedOut(let name, let s): return "⏱ /\(e(name)) не уложилась в \(d(s)) и остановлена (таймаут команды)."
        case .notAuthorized: return "⛔ Нет доступа. Бот отвечает только своим админам."
        case .buttonNotAuthorized: return "⛔ Нет доступа."
        case .buttonNoLongerValid: return "Кнопка больше не действует."
        case .buttonUnknownConfirmation: return "Кнопка больше не действует (истекла или opsbot перезапускался). Ничего не выполнено."
        case .runningToast: return "Выполняю…"
        case .cancelledToast: return "Отменено. Ничего не выполнено."
        case .cancelledBy(let who): return "✖ Отменил \(e(who)). Ничего не выполнено."
        case .adminWithoutUsername(let id): return "админ \(id)"
        case .expiredToast: return "Время вышло. Ничего не выполнено."
        case .expiredNothingRan: return "⌛ Время вышло. Ничего не выполнено."
        case .expiredAfter(let s): return "⌛ Не подтвердили за \(d(s)). Ничего не выполнено."
        case .alreadyRunning: return "Уже выполняется. Запуск только один."
        case .alreadyDone: return "Уже выполнено. Запуск только один."
        case .alreadyCancelled: return "Уже отменено. Ничего не выполнено."
        case .stillPending: return "Ещё ждёт решения."
        case .previewStillSending: return "Подтверждение ещё отправляется — нажмите ещё раз через секунду. Ничего не запущено."
        case .wrongMessage: return "Эта кнопка не от этого сообщения."
        case .onlyAskerCancels: return "отменить может только тот, кто запросил"
        case .onlyAskerConfirms: return "подтвердить может только тот, кто запросил"
        case .twoPersonRule: return "правило двух человек: подтвердить должен другой админ"
        case .onlyAskerChooses: return "выбрать может только тот, кто запросил"
        case .refusedPress(let why): return "⛔ " + why.russian
        case .expiresIn(let s, let approver):
            let who = switch approver {
            case .initiator: ""
            case .anyAdmin: " Подтвердить может любой админ."
            case .secondAdmin: " Подтвердить должен другой админ (правило двух человек)."
            }
            return "<i>Истекает через \(d(s)).\(who)</i>"
        case .confirmButton(let label): return "✅ " + label
        case .confirmDefault: return "Подтвердить"
        case .cancelButton: return "✖ Отмена"
        case .confirmedBy(let who, let s): return "<i>подтвердил \(e(who)) · \(LocalFormat.number(s, decimals: 1, .ru)) с</i>"
        case .doneOutputBelow(let who): return "✅ готово (подтвердил \(e(who))) — вывод ниже"
        case .doneOutputBelowPlain: return "✅ готово — вывод ниже"
        case .runningConfirmed(let who): return "⏳ выполняю… (подтвердил \(e(who)))"
        case .interruptedByRestart(let action):
            return "⚠️ opsbot остановился, пока это выполнялось; повторно не запускалось. Проверьте результат. (\(c(action)))"
        case .expiredByRestart(let action): return "⌛ Подтверждение истекло при перезапуске opsbot. Ничего не выполнено. (\(c(action)))"
        case .outputAsFile(let n): return "Вывод — \(Plural.ru(n, "символ", "символа", "символов")), отправлен файлом."
        case .seeFileAbove: return "⬆️ Смотрите файл выше."
        case .consoleEdited: return "(изменено)"
        case .consolePhoto(let f, let n, let path, let saved):
            let size = Plural.ru(n, "байт", "байта", "байт")
            return saved ? "🖼 \(f) (\(size)) сохранён в \(path)" : "🖼 \(f) (\(size)): не удалось сохранить в \(path)"
        case .consoleFile(let f, let n, let path, let saved):
            let size = Plural.ru(n, "байт", "байта", "байт")
            return saved ? "📎 \(f) (\(size)) сохранён в \(path); первые строки:" : "📎 \(f) (\(size)):"
        case .consolePressHint: return "(чтобы нажать кнопку, введите её номер)"
        case .consoleNoSuchButton(let n): return "(кнопки [\(n)] в этой сессии не было)"
        case .consoleNotACommand: return "(команды начинаются с /, например /help)"
        case .consoleButtonGone(let number, let label, let id):
            return "[\(number)] \(label) сообщения #\(id) больше не показана (сообщение изменилось: ответ, истечение или решение); ничего не нажато"
        case .catalogInvalid(let files):
            return "каталог: \(Plural.ru(files.count, "файл не загрузился", "файла не загрузились", "файлов не загрузились")) ("
                + files.map(c).joined(separator: "; ") + ")"
        case .pong: return "🏓 понг"
        case .pongTimed(let ms, let up): return "🏓 понг — ответ дошёл за \(ms) мс, работаю \(d(up))"
        case .helpNoCommand(let name): return "Нет команды /\(e(name)). Список команд — /help."
        case .helpHeader(let synopsis): return "<b>\(c(synopsis))</b>"
        case .helpUsage(let text):
            // `…` in a usage text is what to type: code, as in the catalog's Markdown habit.
            return text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .map { $0.offset % 2 == 1 ? c(String($0.element)) : e(String($0.element)) }.joined()
        case .helpListLine(let synopsis, let description, let confirm): return "\(c(synopsis)) — \(e(description))\(confirm ? " ⚠️" : "")"
        case .helpArgument(let name, let type, let values, let def, let desc):
            let kind = switch type {
            case .int: "целое число"
            case .duration: "длительность (30s, 15m, 1h)"
            case .service: "сервис"
            case .enum: "одно из"
            case .string: "слово"
            case .words: "слова"
            }
            var line = "• \(c(name)) — \(kind)"
            if !values.isEmpty { line += " (\(values.map(c).joined(separator: ", ")))" }
            if let def { line += ", по умолчанию \(c(def))" }
            if let desc { line += ": \(e(desc))" }
            return line
        case .helpNotConfigured(let why): return "⚪ здесь не настроена: \(e(why))"
        case .helpAsksConfirmation: return "⚠️ перед запуском просит подтверждения"
        case .helpRoles(let roles): return "роли: \(roles.map(c).joined(separator: ", "))"
        case .helpTitle: return "<b>Команды opsbot</b>"
        case .helpNotConfiguredList(let names):
            return "\n⚪ здесь не настроены: " + names.map { "/" + e($0) }.joined(separator: ", ") + " (почему — /help &lt;команда&gt;)"
        case .helpFooter: return "\n⚠️ = просит подтверждения. Подробнее — /help &lt;команда&gt;."
        case .auditUnreadable(let error): return "Не читается журнал аудита: \(c(error))"
        case .auditEmpty: return "Журнал аудита пуст."
        case .auditTitle(let n): return "Журнал аудита, последние \(n) (UTC)"
        case .shellNoOutput: return "(вывода нет)"
        case .shellOutputCut: return "… вывод обрезан по лимиту"
        case .shellCouldNotRun(let command, let error): return "🔴 \(c(command)) не запустилась: \(c(error))"
        case .shellWillRun(let command): return "Будет выполнено:\n<pre>\(e(command))</pre>"
        case .shellRunButton: return "Выполнить"
        case .mustBeWholeNumber(let name, let got): return "\(c(name)): нужно целое число, а не «\(c(got))»"
        case .atLeast(let name, let min, let got): return "\(c(name)): не меньше \(min), а введено \(got)"
        case .atMost(let name, let max, let got): return "\(c(name)): не больше \(max), а введено \(got)"
        case .durationNeedsUnit(let name, let got):
            return "\(c(name)): нужна единица — \(c(got + "s")), \(c(got + "m")) или \(c(got + "h"))? (введено «\(c(got))»)"
        case .mustBeDuration(let name, let got):
            return "\(c(name)): нужна длительность, например \(c("90s")), \(c("15m")) или \(c("1h")), а не «\(c(got))»"
        case .durationAtLeast(let name, let s): return "\(c(name)): не меньше \(d(s))"
        case .durationAtMost(let name, let s): return "\(c(name)): не больше \(d(s))"
        case .unknownService(let got, let known, let all):
            return "нет сервиса «\(c(got))» (есть: \(Self.knownListRU(known, all)))"
        case .mustBeOneOf(let name, let values, let got):
            return "\(c(name)): одно из \(values.map(c).joined(separator: ", ")), а не «\(c(got))»"
        case .missingArgument(let name, let synopsis): return "не хватает \(c(name)). Формат: \(c(synopsis))"
        case .missingService(let name, let known, let all, let synopsis):
            return "не хватает \(c(name)) (сервисы: \(Self.knownListRU(known, all))). Формат: \(c(synopsis))"
        case .tooManyArguments(let rest, let synopsis): return "лишние аргументы («\(c(rest))»). Формат: \(c(synopsis))"
        case .notAllowedCharacters(let name, let got, let pattern):
            return "\(c(name)): в «\(c(got))» недопустимые символы (ожидается \(c(pattern)))"
        case .invalidPattern(let name): return "\(c(name)): в каталоге неверный шаблон"
        }
    }

    static func knownListRU(_ known: [String], _ all: Bool) -> String {
        known.isEmpty ? "ни одного не настроено" : (known + (all ? ["all"] : [])).map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")
    }
}
