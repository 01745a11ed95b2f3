import Foundation
import SystemOps
import OpsbotSupport

/// Russian forms shared by the services catalogs: durations, projections, sizes, counts.
enum RU {
    static func dur(_ s: Double) -> String { LocalFormat.duration(s, .ru) }
    /// `~3 ч 20 мин`, `~45 мин`, `~2 д 4 ч`.
    static func approx(_ seconds: Double) -> String { LinearTrend.approx(seconds, .ru) }
    /// `1,2 GB`: a size with a decimal comma.
    static func size(_ b: Int) -> String { DiskUsage.format(b).replacingOccurrences(of: ".", with: ",") }
    static func num(_ v: Double, _ format: String) -> String { String(format: format, v).replacingOccurrences(of: ".", with: ",") }
    static func rate(_ r: Double) -> String { num(r, "%+.1f") + " %/ч" }
    /// "за последний час", "за последние 30 мин".
    static func overWindow(_ w: Double) -> String { w == 3600 ? "за последний час" : "за последние \(dur(w))" }
    /// "при темпе последнего часа", "при темпе последних 30 мин".
    static func atRate(_ w: Double) -> String { w == 3600 ? "при темпе последнего часа" : "при темпе последних \(dur(w))" }
    static func lines(_ n: Int) -> String { Plural.ru(n, "строка", "строки", "строк") }
    static func copies(_ n: Int) -> String { Plural.ru(n, "копия", "копии", "копий") }
    static func instances(_ n: Int) -> String { Plural.ru(n, "экземпляр", "экземпляра", "экземпляров") }
    static func restarts(_ n: Int) -> String { Plural.ru(n, "перезапуск", "перезапуска", "перезапусков") }
    static func unit(_ heroku: Bool, _ n: Int) -> String {
        heroku ? Plural.ru(n, "дайно", "дайно", "дайно") : Plural.ru(n, "реплика", "реплики", "реплик")
    }
    /// A service state as the chat says it.
    static func state(_ raw: String) -> String {
        switch raw {
        case "running": "работает"
        case "starting": "запускается"
        case "stopped": "остановлен"
        case "failed": "упал"
        case "unknown": "неизвестно"
        case "restarting": "перезапуск"
        default: raw
        }
    }

}

extension ServicesText {
    var russian: String {
        func e(_ s: String) -> String { HTML.escape(s) }
        func d(_ s: Double) -> String { RU.dur(s) }
        func size(_ b: Int) -> String { RU.size(b) }
        switch self {
        case .servicesMisconfigured(let error): return e("В настройках сервисов ошибка: \(error)")
        case .unknownService(let known): return e("нет такого сервиса (есть: \(known.joined(separator: ", ")))")
        case .unknownServiceQuoted(let name): return e("нет сервиса «\(name)»")
        case .unknownRestartTarget(let name, let known): return "нет сервиса «\(e(name))» (есть: \(e(known.joined(separator: ", "))); <code>all</code> — все сразу)"
        case .alreadyRestarting(let s): return e("\(s) уже перезапускается; дождитесь окончания.")
        case .needServices: return "в конфиге нет ни одного сервиса (services.NAME)"
        case .needDocker(let socket): return "ни один сервис не работает в Docker, и Docker на \(socket) нет (service_options.docker_socket)"
        case .needScalable: return "ни у одного сервиса нет бэкенда heroku или railway (только у них есть число копий)"
        case .needRailway: return "ни у одного сервиса нет бэкенда railway"
        case .needBotService: return "ни один сервис не отмечен как бот (ключ bot у сервиса или target_bot.service)"
        case .cleanupNotInstalled(let program): return "\(program) не установлен (нет в $PATH)"
        case .cleanupNoPaths(let paths): return "ни одного из его путей здесь нет (\(paths.joined(separator: ", ")))"
        case .logsLinesNotPositive(let n): return "число строк должно быть больше нуля, а не \(n)"
        case .logsRegexLength: return "регулярное выражение — от 1 до 200 символов"
        case .logsRegexInvalid(let re, let error): return "«\(re)» — не регулярное выражение, которое принимает opsbot: \(error)"
        case .logsUsage(let error): return e("\(error). Как вызывать: /logs <сервис> [строк] [error|warning|critical] [1h] [текст или /regex/]")
        case .logsReadingLines: return "число строк"
        case .logsReadingWindow(let s): return "за \(d(s))"
        case .logsReadingLevel(let l): return "уровень \(l) и выше"
        case .logsReadingText: return "фильтр по тексту"
        case .logsReadingRegex: return "регулярное выражение"
        case .logsReadAs(let r): return "\n<i>понято как: \(e(r.joined(separator: " · ")))</i>"
        case .logsReadFailed(let s, let error): return e("Не удалось прочитать логи \(s): \(error)")
        case .logsScanStopped(let t): return "поиск остановлен по таймауту команды (\(d(t))): более старые строки не просмотрены"
        case .logsAllThereIs(let got, let inWindow, let asked):
            return "это всё, что есть: \(RU.lines(got))\(inWindow ? " за этот период" : "") (запрошено \(asked))"
        case .logsCapped(let max, let asked): return "не больше \(RU.lines(max)) (service_options.max_lines); запрошено \(asked)"
        case .logsHeader(let s, let got): return "\(s): " + Plural.ru(got, "последняя строка", "последние строки", "последних строк")
        case .logsFilterSince(let stamp): return "с \(stamp)"
        case .logsNothingMatched: return " — ничего не нашлось"
        case .logsCaptionHead(let h): return "<b>\(e(h))</b> — полный вывод в файле; самые новые строки:"
        case .restartMissingService: return e("не указан сервис. Как вызывать: /restart <сервис|all>")
        case .restartPreviewOne(let s): return "Перезапустить <b>\(e(s))</b>:\n"
        case .restartPreviewOrder(let names): return "Перезапустить по порядку: <b>\(e(names.joined(separator: " → ")))</b>:\n"
        case .restartThenWait(let w, let checks): return ", затем до \(d(w)) проверять: \(e(checks))"
        case .restartConfirm(let t): return "Перезапустить \(t)"
        case .verification(let health, let marker):
            var parts = ["работает"]
            if !health.isEmpty { parts.append(health.joined(separator: " и ")) }
            if let marker { parts.append("в логе есть «\(marker)»") }
            return parts.joined(separator: ", ")
        case .restartUnknownService(let s): return "🔴 нет сервиса \(e(s))"
        case .restartSkipped(let s): return "⚠️ \(e(s)) уже перезапускается; пропущен"
        case .restartProgress(let s, let redeploy): return "⏳ \(redeploy ? "передеплой" : "перезапуск") \(e(s))…"
        case .restartActionFailed(let s, let redeploy, let error): return "🔴 \(e(s)): \(redeploy ? "передеплой" : "перезапуск") не удался: \(e(error))"
        case .restartRequested(let u): return "перезапуск запрошен; \(u)"
        case .restartWaitingHealth(let s): return "⏳ \(e(s)) запущен, жду, пока пройдут проверки…"
        case .restartHealthy(let s, let secs, let pids): return "✅ \(e(s)) в порядке через \(secs) с\(pids)"
        case .restartNoStartupLine: return "строки о запуске в логе пока нет"
        case .restartRunningFor(let secs): return "работает \(secs) с"
        case .restartState(let state, let detail): return "\(RU.state(state)): \(detail)"
        case .restartUnverifiable(let s, let name, let redeploy, let u, let wait, let hasMarker):
            let hint = !hasMarker
                ? "Сервис работает; с startup_marker для \(e(name)) opsbot увидел бы новый запуск в логе."
                : "Сервис работает, но строки о запуске в логе с момента запроса не появилось."
            return "⚠️ \(e(s)): \(redeploy ? "передеплой" : "перезапуск") запрошен, проверить нельзя: \(e(u)) за \(wait) с. " + hint
        case .restartStillFailing(let s, let wait, let last): return "🔴 \(e(s)) так и не поднялся за \(wait) с (\(e(last)))"
        case .scaleMissingCount: return e("не указано число копий. Как вызывать: /scale <сервис> <число>")
        case .scaleNotScalable(let s, let backend):
            return "\(e(s)) работает на бэкенде <code>\(e(backend))</code>, у него нет числа реплик; /scale работает для <code>backend: heroku</code> и <code>backend: railway</code>."
        case .scalePreview(let s, let n, let command, let configured, let running):
            return "Масштабировать <b>\(e(s))</b> до \(n):\n<code>\(e(command))</code>\n"
                + "сейчас: \(configured.map { "задано \($0)" } ?? "настройка неизвестна"), \(running.map { "работает \($0)" } ?? "сколько копий работает — неизвестно")"
        case .scaleZeroWarning(let s): return "\n⚠️ 0 останавливает все копии \(e(s))."
        case .scaleBotWarning(let s): return "\n⚠️ \(e(s)) опрашивает Telegram: больше одной копии — это <code>409 Conflict</code>."
        case .scaleConfirm(let s, let n): return "Масштабировать \(s) до \(n)"
        case .scaleDone(let said, let state, let detail): return "✅ \(e(said))\nсейчас: \(e(RU.state(state))) — \(e(detail))"
        case .scaleFailed(let s, let error): return e("🔴 масштабировать \(s) не удалось: \(error)")
        case .redeployNotSupported(let s, let backend): return "\(e(s)) работает на бэкенде <code>\(e(backend))</code>, передеплоя там нет; используйте /restart \(e(s))."
        case .redeployPreview(let s, let command, let wait, let checks):
            return "Передеплой <b>\(e(s))</b>:\n<code>\(e(command))</code>, затем до \(d(wait)) проверять: \(e(checks))"
        case .redeployConfirm(let s): return "Передеплой \(s)"
        case .envNoRules(let s): return e("у \(s) нет правил окружения (services.\(s).env.rules)")
        case .envNoneConfigured: return e("Правила окружения не заданы ни для одного сервиса (services.NAME.env.rules).")
        case .envReadFailed(let s, let error): return "🔴 <b>\(e(s))</b>: \(e(error))"
        case .envHeader(let s, let source, let ok, let total):
            let src: String = switch source {
            case .file(let f): f
            case .heroku: "переменные Heroku"
            case .railway: "переменные Railway"
            case .backend(let b): "окружение \(b)"
            }
            return "\(ok == total ? "✅ " : "🔴 ")<b>\(e(s))</b> (\(e(src))): в порядке \(ok) из \(total)\n"
        case .envRuleBad(let rule, let problem, let hint): return "🔴 \(e(rule)) \(e(problem.russian))" + (hint.map { " — \(e($0))" } ?? "") + "\n"
        case .envRuleOK(let rule, let unset): return "✅ \(e(rule))" + (unset ? " (необязательная, не задана)" : "") + "\n"
        case .dockerUnreachable(let socket, let error): return e("Docker недоступен на \(socket) (service_options.docker_socket): \(error)")
        case .prunePreview(let socket, let table, let calls, let reclaimable):
            return "Почистить Docker на <code>\(e(socket))</code> (как <code>docker system prune -f</code>; тома не трогаем):\n"
                + "<pre>\(e(table))</pre>\n"
                + "Будут вызваны:\n<pre>\(e(calls.joined(separator: "\n")))</pre>\n"
                + "можно освободить сейчас: около \(size(reclaimable)) (образы освобождаются полностью, только если их не использует ни один контейнер)"
        case .pruneDanglingOnly: return " (только висящие образы)"
        case .pruneConfirm: return "Почистить"
        case .pruneProgress(let socket): return "⏳ чищу Docker на <code>\(e(socket))</code>…"
        case .pruneFailed(let error): return e("🔴 очистка не удалась: \(error)")
        case .prunedLine(let what, let deleted, let bytes): return "\(what): удалено \(deleted), освобождено \(size(bytes))"
        case .pruned(let total, let lines, let after):
            return "✅ Docker почищен: освобождено \(size(total))\n<pre>\(e(lines.joined(separator: "\n")))</pre>"
                + (after.map { "\nсейчас:\n<pre>\(e($0))</pre>" } ?? "")
        case .diskMeasuring(let t): return "⏳ измеряю диски (до \(d(t)))…"
        case .diskTitle: return "Диск"
        case .diskOnHost(let h): return "Диск на \(h)"
        case .diskHostNoAnswer(let h): return "<b>Диск на \(e(h))</b>: нет ответа"
        case .diskHostFailed(let h, let error): return "<b>Диск на \(e(h))</b>: ❔ \(e(error))"
        case .mountTableHeader(let width): return DiskModule.pad("раздел", width) + "  исп.  " + DiskModule.pad("своб.", 8) + "   иноды"
        case .fillUnknown(let needs): return "скорость заполнения пока неизвестна (нужно \(d(needs)) истории)"
        case .fullNow: return "📈 заполнен уже сейчас"
        case .fullIn(let s, let window, let rate): return "📈 заполнится через \(RU.approx(s)) \(RU.atRate(window)) (\(RU.rate(rate)))"
        case .notFilling(let rate, let window): return "не заполняется (\(RU.rate(rate)) \(RU.overWindow(window)))"
        case .dockerDiskTitle(let socket): return "<b>Docker</b> <i>(<code>docker system df</code> на \(e(socket)))</i>"
        case .dockerReclaimable(let b): return "можно освободить \(size(b)) → /docker_prune"
        case .dockerDiskFailed(let error): return "<b>Docker</b>: \(e(error))"
        case .largestDirectories(let partial, let t, let unreadable):
            return "<b>Самые большие каталоги</b>" + (partial ? " <i>(не полностью: \(d(t)) на обход истекли; размеры — не меньше этих)</i>" : "")
                + (unreadable > 0 ? " <i>(не прочитано: \(unreadable))</i>" : "")
        case .largestLogFiles(let partial): return "<b>Самые большие логи</b>" + (partial ? " <i>(не полностью)</i>" : "")
        case .cleanupUnknownLog(let name, let known): return e("нет лога «\(name)» (есть: \(known.joined(separator: ", ")))")
        case .cleanupPreview(let what, let estimate):
            return "Будет выполнено:\n<pre>\(e(what))</pre>\n" + (estimate.map { "освободит около \(size($0))" } ?? "сколько освободится — станет ясно после запуска")
        case .cleanupConfirm: return "Освободить место"
        case .cleanupRunning(let what): return "⏳ выполняю <code>\(e(what))</code>…"
        case .cleanupEmptied(let path): return "очищен \(path)"
        case .cleanupRan(let what, let code, let secs, let timedOut, let signal):
            let summary = timedOut ? "убит по таймауту \(RU.num(secs, "%.0f")) с"
                : signal.map { "убит сигналом \($0)" } ?? "код выхода \(code) за \(RU.num(secs, "%.1f")) с"
            return "\(what): \(summary)"
        case .cleanupCouldNotRun(let what, let error): return "\(what): не удалось запустить: \(error)"
        case .cleanupFreed(let before, let after):
            return "\nсвободно: \(size(before)) → \(size(after)) (освобождено \(size(max(0, after - before))))"
        }
    }
}
