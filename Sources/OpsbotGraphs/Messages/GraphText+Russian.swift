import Foundation
import OpsbotSupport

extension GraphText {
    var russian: String {
        let e = HTML.escape
        switch self {
        case .listTitle:
            return "<b>Что умеет рисовать /graph</b> <i>(период от 1h до 30d, по умолчанию 24h; поминутные точки за 48 ч, дальше почасовые)</i>"
        case .listLine(let kind, let targets):
            let about = switch kind {
            case .disk: "занятое место на диске в % по разделам, с порогами предупреждения и критичности и прогнозом, когда диск заполнится"
            case .inodes: "занятые иноды в % по разделам"
            case .memory: "память сервиса (МБ) и куда она растёт"
            case .latency: "время ответа хелсчека сервиса (мс)"
            case .restarts: "перезапуски по часам (все сервисы или один)"
            case .payments: "зависшие платежи"
            case .alerts: "активные алерты"
            }
            let arg = switch kind {
            case .memory, .latency: " &lt;сервис&gt;"
            case .disk, .inodes: " [раздел]"
            case .restarts: " [сервис]"
            case .payments, .alerts: ""
            }
            return "<code>/graph \(kind.rawValue)</code>\(arg) — \(e(about))" + (targets.isEmpty ? "" : " <i>(\(e(targets.prefix(8).joined(separator: ", "))))</i>")
        case .listExamples:
            let examples = ["/graph disk", "/graph disk / 7d", "/graph memory worker 24h", "/graph payments 30d", "/graph alerts 7d"]
            return "\nПримеры: " + examples.map { "<code>\($0)</code>" }.joined(separator: ", ")
        case .unknownChart(let name):
            return "Графика <code>\(e(name))</code> нет."
        case .periodOutOfRange(let word):
            return "Период <code>\(e(word))</code> вне диапазона — укажите от 1h до 30d (например 6h, 24h, 7d)"
        case .tooManyArguments(let kind):
            return "Слишком много аргументов: <code>/graph \(kind.rawValue)</code> [раздел или сервис] [период], например <code>/graph disk / 7d</code>"
        case .periodOnly(let kind):
            return "<code>/graph \(kind.rawValue)</code> принимает только период, например <code>/graph \(kind.rawValue) 7d</code>"
        case .noHistory(let kind):
            let what = kind == .inodes ? "инодов" : "диска"
            return "Истории \(what) пока нет: opsbot записывает её каждую минуту, пока работает"
        case .noMountHistory(let mount, let known):
            return "Нет истории для раздела \(e(mount)) (есть: \(e(known.joined(separator: ", "))))"
        case .whichService(let kind, let known):
            return "Какой сервис? <code>/graph \(kind.rawValue)</code> &lt;сервис&gt; (\(Self.withHistoryRU(known)))"
        case .noMemoryHistory(let service, let known):
            return "Нет истории памяти для \(e(service)) (\(Self.withHistoryRU(known)))"
        case .noLatencyHistory(let service, let known):
            return "Нет истории хелсчеков для \(e(service)) (\(Self.withHistoryRU(known)))"
        case .noData:
            return "За этот период данных пока нет."
        case .summary(let now, let min, let avg, let max, let unit):
            let f = { GraphFormat.value($0, unit, .ru) }
            return e("Сейчас \(f(now)) · мин \(f(min)) · сред \(f(avg)) · макс \(f(max))")
        case .fillsIn(let seconds, let rate, let window):
            return e("Заполнится через \(LinearTrend.approx(seconds, .ru)) при нынешнем темпе (\(GraphFormat.rate(rate, .percent, .ru)) \(GraphFormat.window(window, .ru)))")
        case .fullNow:
            return "Диск уже заполнен"
        case .notFilling(let rate, let window):
            return e("Не заполняется (\(GraphFormat.rate(rate, .percent, .ru)) \(GraphFormat.window(window, .ru)))")
        case .otherMounts(let kind, let mounts):
            return "Другие разделы: \(e(mounts.joined(separator: ", "))) — <code>/graph \(kind.rawValue)</code> &lt;раздел&gt;"
        case .reachesRAM(let ram, let seconds, let rate, let window):
            return e("Упрётся в RAM машины (\(ram) МБ) через \(LinearTrend.approx(seconds, .ru)) при нынешнем темпе (\(GraphFormat.rate(rate, .mb, .ru)) \(GraphFormat.window(window, .ru)))")
        case .notGrowing(let rate, let window):
            return e("Не растёт (\(GraphFormat.rate(rate, .mb, .ru)) \(GraphFormat.window(window, .ru)))")
        case .restartCount(let count, let period):
            return "\(Plural.ru(count, "перезапуск", "перезапуска", "перезапусков")) \(GraphFormat.span(period, .ru))"
        case .alt(let a):
            var alt = "График (\(a.bars ? "столбцы" : "линия")): \(Self.whatRU(a.subject)) \(GraphFormat.span(a.period, .ru))"
            if let from = a.from, let to = a.to {
                alt += ", от \(GraphFormat.value(from, a.unit, .ru)) до \(GraphFormat.value(to, a.unit, .ru))"
            }
            if !a.thresholds.isEmpty { alt += "; линии: \(a.thresholds.joined(separator: ", "))" }
            if a.projection { alt += "; пунктир — прогноз по тренду" }
            if a.marks > 0 {
                alt += "; \(Plural.ru(a.marks, "отметка", "отметки", "отметок")) перезапусков и деплоев"
            }
            alt += "; время по \(a.zone)."
            return e(alt)
        case .notDrawn(let error):
            return "<i>(график нарисовать не удалось: <code>\(e(error))</code>)</i>"
        case .title(let subject, let period):
            let span = GraphFormat.span(period, .ru)
            return switch subject {
            case .disk(let mount): "Заполнение диска \(mount) \(span)"
            case .inodes(let mount): "Заполнение инодов на \(mount) \(span)"
            case .memory(let service): "Память \(service) \(span)"
            case .latency(let service, let endpoint): "Время ответа \(service) \(endpoint) \(span)"
            case .restarts(let service, let perHour): "Перезапуски\(service.map { " \($0)" } ?? "") по \(perHour ? "часам" : "дням") \(span)"
            case .payments: "Зависшие платежи \(span)"
            case .alerts: "Активные алерты \(span)"
            }
        case .warningLine(let percent):
            return "предупреждение \(Int(percent.rounded())) %"
        case .criticalLine(let percent):
            return "критично \(Int(percent.rounded())) %"
        case .ramLine(let mb):
            return "RAM \(mb) МБ"
        case .slowLine(let seconds):
            return "медленно: \(LocalFormat.duration(seconds, .ru))"
        case .deployMark(let service):
            return "деплой \(service)"
        case .unit(let unit):
            return switch unit {
            case .percent: "%"
            case .mb: "МБ"
            case .ms: "мс"
            case .count: ""
            }
        }
    }

    static func withHistoryRU(_ known: [String]) -> String {
        known.isEmpty ? "истории пока нет ни у одного сервиса" : "история есть у: " + HTML.escape(known.joined(separator: ", "))
    }

    /// The alt text's subject.
    static func whatRU(_ subject: ChartSubject) -> String {
        switch subject {
        case .disk(let mount): "заполнение диска \(mount)"
        case .inodes(let mount): "заполнение инодов на \(mount)"
        case .memory(let service): "память \(service)"
        case .latency(let service, _): "время ответа \(service)"
        case .restarts: "перезапуски"
        case .payments: "зависшие платежи"
        case .alerts: "активные алерты"
        }
    }
}
