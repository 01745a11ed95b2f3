import Foundation
import SystemOps
import OpsbotSupport

extension StatusText {
    var russian: String {
        func d(_ s: Double) -> String { RU.dur(s) }
        func size(_ b: Int) -> String { RU.size(b) }
        func pct(_ p: Double) -> String { String(format: "%.0f%%", p) }
        switch self {
        case .allGood: return "✅ <b>Всё в порядке</b>"
        case .problems(let n): return "<b>\(Plural.ru(n, "проблема", "проблемы", "проблем"))</b>"
        case .alerts(let firing, let muted):
            return " · алерты: активных \(firing)" + (muted > 0 ? ", заглушено \(muted)" : "") + (firing + muted > 0 ? " → /alerts" : "")
        case .checkedIn(let s): return " <i>(проверено за \(RU.num(s, "%.1f")) с)</i>\n"
        case .group(let label):
            switch label {
            case "services": return "сервисы"
            case "health": return "доступность"
            case "database": return "база"
            case "schema": return "схема"
            case "payments": return "платежи"
            case "heartbeat": return "хартбит"
            case "env": return "окружение"
            case "conflicts": return "конфликты"
            case "logs": return "логи"
            case "bot": return "бот"
            case "disk": return "диск"
            case "deps": return "зависимости"
            case "alert delivery": return "доставка алертов"
            case "provider_credentials": return "ключи провайдеров"
            case "provider_unreachable": return "провайдеры платежей"
            case "payment_webhook_lost": return "потерянные вебхуки"
            case "instances": return "экземпляры"
            case "restart_loop": return "перезапуски"
            case "graphs": return "графики"
            case "alertmanager": return "Alertmanager"
            default: return label
            }
        case .more(let n): return "; и ещё \(n)"
        case .alsoOK: return " · в порядке: "
        case .databaseNotConfigured: return "база: не настроена (DATABASE_URL не задан в окружении opsbot)"
        case .providerNoAnswer(let p): return "\(p): нет ответа за 10 с"
        case .okRunning(let n): return "работает \(n)"
        case .okBot(let u, let set, let pending):
            return "@\(u) в порядке, вебхук \(set ? "задан" : "не задан"), в очереди \(Plural.ru(pending, "апдейт", "апдейта", "апдейтов"))"
        case .okPlain: return "в порядке"
        case .okNamed(let name): return "\(name) в порядке"
        case .okCount(let n): return "в порядке: \(n)"
        case .tableState(let state):
            switch state {
            case "running": return "работает"
            case "starting": return "запуск"
            case "stopped": return "выключен"
            case "failed": return "упал"
            case "unknown": return "неизв."
            case "restarting": return "рестарт"
            default: return state
            }
        case .tableUp(let s): return "↑ " + d(s)
        case .tableRestartsPerHour(let k): return "\(k) рестартов/ч"
        case .tableRestarts(let c): return "\(c) рестартов"
        case .tableInstancesUnknown: return "экземпляры ?"
        case .tableAgo(let s): return d(s) + " назад"
        case .serviceRunning(let n, let detail): return "\(n) \(detail.ru)"
        case .serviceStarting(let n, let detail): return "\(n) запускается: \(detail.ru)"
        case .serviceDown(let n, let state, let detail): return "\(n) \(state == "failed" ? "упал" : "остановлен"): \(detail.ru)"
        case .serviceUnknown(let n, let why): return "\(n): состояние неизвестно (\(why.ru))"
        case .statusLate(let s): return "статус не пришёл за \(d(s))"
        case .instancesUnknown(let n, let why): return "\(n): экземпляры: неизвестно (\(why.ru))"
        case .platformCopies(let n, let q, let running, let expected, let bot):
            return "\(n): на платформе задано \(RU.copies(q)), работает \(running) (ожидается \(expected))"
                + (bot ? " — больше одной копии на одном токене — это конфликт 409" : "")
        case .instancesTooMany(let n, let running, let expected, let bot):
            return "\(n): работает \(RU.instances(running)) (ожидается \(expected))" + (bot ? " — две копии на одном токене — это конфликт 409" : "")
        case .instancesMatchWarning(let n, let running, let w): return "\(n): \(RU.instances(running)); " + w.ru
        case .instancesOK(let n, let running): return "\(n): \(RU.instances(running))"
        case .restartsLastHour(let n, let k): return "\(n): \(RU.restarts(k)) за последний час"
        case .restartLoop(let n, let c, let up, let detail):
            let where_ = up.map { "работает всего \($0) с" } ?? "не работает"
            return "\(n): перезапускается по кругу — \(Plural.ru(c, "автоматический перезапуск", "автоматических перезапуска", "автоматических перезапусков")), \(where_) (\(detail.ru))"
        case .memoryGrowth(let n, let t, let machine, let reach):
            var s = "\(n): память \(t >= 0 ? "+" : "")\(RU.num(t, "%.0f")) MB/ч"
            if let machine, let reach { s += ", при таком темпе займёт все \(size(machine)) машины через \(RU.approx(reach))" }
            return s
        case .healthSummary(let status, let seconds, let expect):
            let ms = seconds < 1 ? "\(Int(seconds * 1000)) мс" : RU.num(seconds, "%.1f") + " с"
            return status == expect ? "\(status) за \(ms)" : "\(status) за \(ms) (ожидался \(expect))"
        case .healthNoAnswer: return "нет ответа"
        case .healthNoAnswerWithin(let s): return "нет ответа за \(d(s))"
        case .healthConnect: return "соединение отклонено или хост недоступен"
        case .healthDNS: return "имя не резолвится"
        case .healthStarting(let target, let summary, let service, let up, let grace):
            return "\(target) \(summary.ru) — \(service) запущен \(d(up)) назад, ещё идёт время на старт (\(d(grace)))"
        case .healthFailing(let target, let summary): return "\(target) \(summary.ru)"
        case .healthSlow(let target, let summary, let slow): return "\(target) медленно: \(summary.ru) (медленно — дольше \(d(slow)))"
        case .healthOK(let target, let summary): return "\(target) \(summary.ru)"
        case .dependency(let name, let detail): return "\(name): \(detail.ru)"
        case .dependencyHTTP(let status): return "HTTP \(status)"
        case .dependencyTCPOK: return "TCP-соединение есть"
        case .dependencyNoResolve: return "имя не резолвится"
        case .dependencyResolves(let n): return "резолвится (\(Plural.ru(n, "адрес", "адреса", "адресов")))"
        case .tcpCannotResolve(let host): return "не удалось резолвить \(host)"
        case .tcpSocketFailed: return "не удалось создать сокет"
        case .tcpConnectFailed(let error): return "не удалось подключиться: \(SupportText.russianSystemError(error.lowercased()) ?? error)"
        case .tcpTimedOut(let s): return "нет соединения за \(d(s))"
        case .diskNoAnswer: return "размеры дисков не получены за 3 с"
        case .disk(let mount, let used, let free, let inodes):
            return "\(mount) занято \(pct(used)), свободно \(size(free))" + (inodes.map { ", иноды \(pct($0))" } ?? "")
        case .logGrowthUnknown(let path, let bytes): return "\(path): \(size(bytes)), рост пока неизвестен (замер до следующей проверки)"
        case .logGrowth(let path, let mbh, let limit, let bytes, let free, let mount):
            var s = "\(path) растёт на \(RU.num(mbh, "%.0f")) MB/ч (предел \(RU.num(limit, "%.0f")) MB/ч), сейчас \(size(bytes))"
            if let free, let mount { s += ", на \(mount) свободно \(size(free))" }
            return s
        case .fillMeasuring(let mount, let needs): return "\(mount): измеряю скорость заполнения (нужно \(d(needs)) истории)"
        case .fillIn(let mount, let ttf, let window, let rate, let used, let free):
            return "\(mount) заполнится через \(RU.approx(ttf)) \(RU.atRate(window)) (\(RU.rate(rate)), занято \(pct(used)), свободно \(size(free)))"
        case .notFilling(let mount, let rate, let window, let used):
            return "\(mount) не заполняется (\(RU.rate(rate)) \(RU.overWindow(window)), занято \(pct(used)))"
        case .botProblem(let error): return "целевой бот: \(error.ru)"
        case .botNoAnswer(let s): return "Bot API не ответил за \(d(s))"
        case .botTokenEnvMissing(let env): return "переменная окружения \(env) не задана"
        case .unreachable(let method, let words): return "\(method): Bot API: \(words.ru)"
        case .notBotAPI(let method, let status): return "\(method): HTTP \(status) — это не ответ Bot API"
        case .refused(let method, let code, let desc): return "\(method): \(code)\(desc)"
        case .botTokenOK(let u): return "целевой бот @\(u): токен действителен"
        case .webhookWhilePolling(let url): return "задан вебхук (\(url)), а бот сам забирает апдейты: каждый запрос получает 409"
        case .webhookMissing: return "вебхук не задан, а бот его ждёт"
        case .webhookError(let ago, let msg): return "ошибка вебхука \(d(ago)) назад: \(msg)"
        case .pendingUpdates(let p): return "в очереди \(Plural.ru(p, "апдейт", "апдейта", "апдейтов"))"
        case .webhookOK(let set, let pending): return "вебхук \(set ? "задан" : "не задан"), в очереди \(Plural.ru(pending, "апдейт", "апдейта", "апдейтов"))"
        case .logsUnreadable(let s): return "\(s): не удалось прочитать логи"
        case .logPattern(let s, let hits, let p, let window): return "\(s): \(hits) × \(p) за последние \(d(window))"
        case .heartbeatWaiting(let s, let ago): return "\(s): запущен \(d(ago)) назад, жду первый хартбит"
        case .heartbeatFresh(let s, let age): return "\(s): хартбит \(d(age)) назад"
        case .heartbeatMissing(let s, let p, let maxAge): return "\(s): ни одной строки /\(p)/ за последние \(d(maxAge))"
        case .configInvalid(let error): return "конфигурация сервисов с ошибкой: \(error.ru)"
        case .envRules(let s, let ok, let total, let failing):
            return "\(s): правил окружения в порядке \(ok) из \(total)" + (failing.isEmpty ? "" : " — не проходят: " + failing.joined(separator: ", "))
        case .envUnreadable(let s, let error): return "\(s): не удалось прочитать окружение: " + error.ru
        }
    }
}
