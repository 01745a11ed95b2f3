import Alerting
import OpsbotSupport

extension AlertText {
    static func alerts(_ n: Int) -> String { Plural.ru(n, "алерт", "алерта", "алертов") }
    static func messages(_ n: Int) -> String { Plural.ru(n, "сообщение", "сообщения", "сообщений") }

    public var russian: String {
        switch self {
        case .severity(let s): s == .critical ? "КРИТИЧНО" : "ПРЕДУПРЕЖДЕНИЕ"
        case .firstSeen(let at, let key): "Впервые: \(at) · заглушить: <code>\(HTML.escape(key))</code>"
        case .unknownSince(let clock, let reason): "❔ неизвестно с \(clock): \(HTML.escape(reason))"
        case .ackButton: "✅ Принято"
        case .ackDigestButton(let rule, let target): "✅ Принято \(rule) \(target)"
        case .muteButton(let s): "🔕 Заглушить \(LocalFormat.duration(s, .ru).replacingOccurrences(of: " ", with: ""))"
        case .firingOne(let tag): "🚨 <b>Сработал алерт</b> · \(tag)\n"
        case .firingMany(let n, let tag): "🚨 <b>Сработало: \(Self.alerts(n))</b> · \(tag)"
        case .muteAndFixesHint: "<i>Заглушить или починить: /alerts</i>"
        case .stillFiring(let n, let tag): "🔁 <b>Всё ещё горят</b> (\(n)) · \(tag)\n"
        case .firingFor(let title, let s): "\(title) горит уже \(LocalFormat.duration(s, .ru))"
        case .resolvedLine(let title, let s): "✅ \(title) — в норме (горел \(LocalFormat.duration(s, .ru)))"
        case .resolvedNote(let s): "✅ <b>в норме</b> (горел \(LocalFormat.duration(s, .ru)))"
        case .resolvedMany(let n, let tag): "<b>Снова в норме: \(Self.alerts(n))</b> · \(tag)\n"
        case .unknownNote(let clock, let reason): "❔ <b>неизвестно</b> с \(clock): \(HTML.escape(reason))"
        case .unknownLine(let title, let clock, let reason): "❔ \(title) — неизвестно с \(clock): \(HTML.escape(reason))"
        case .knownNote(let summary): "🔎 проверка снова отвечает: проблема не ушла — \(HTML.escape(summary))"
        case .knownLine(let title, let summary): "🔎 \(title) — проверка снова отвечает: проблема не ушла — \(HTML.escape(summary))"
        case .flapping(let title, let tag, let n, let w, let earliest):
            "〰️ <b>Флапает</b> \(title) · \(tag): \(Plural.ru(n, "смена", "смены", "смен")) состояния за \(LocalFormat.duration(w, .ru)). "
                + "Молчу, пока не будет стабильно \(LocalFormat.duration(w, .ru)) (не раньше \(earliest) UTC).\n"
        case .settledFiring(let title, let tag): "〰️ \(title) перестал флапать и <b>всё ещё горит</b> · \(tag)\n"
        case .settledOK(let title, let tag): "✅ \(title) перестал флапать, <b>всё в норме</b> · \(tag)"
        case .part(let i, let n): "\n<i>часть \(i)/\(n)</i>"
        case .unknownButton: "Неизвестная кнопка."
        case .unavailable(let e): "Алерты недоступны: \(e)"
        case .notStarted: "алерты ещё не запущены"
        case .noLongerFiring(let id): "Алерт #\(id) уже не горит."
        case .acknowledgedLine(let by, let rule, let target):
            "✅ <b>Принято</b>: \(HTML.escape(by)) — \(HTML.escape(rule)) · <code>\(HTML.escape(target))</code>"
        case .acknowledgedToast(let fp): "Принято: напоминаний по \(fp) не будет, пока не решится."
        case .badMuteButton: "Неверная кнопка заглушки."
        case .alertGone(let id): "Алерта #\(id) больше нет (решён)."
        case .unknownRule(let r): "Нет такого правила: \(r)."
        case .mutedLine(let key, let s, let by): "🔕 <code>\(HTML.escape(key))</code> заглушён на \(LocalFormat.duration(s, .ru)) — \(HTML.escape(by))"
        case .mutedToast(let key, let s): "\(key) заглушён на \(LocalFormat.duration(s, .ru))."
        case .noRemediation: "Для этого алерта нет действия."
        case .running(let cmd): "Запускаю \(cmd)"
        case .ago(let s): LocalFormat.ago(s, .ru)
        case .never: "никогда"
        case .activeLine(let since, let last, let n):
            "начался \(since), последнее уведомление: \(last), \(Plural.ru(n, "проверка", "проверки", "проверок")) подряд с ошибкой"
        case .flappingNote: ", флапает"
        case .unknownSinceNote(let clock, let reason): ", ❔ неизвестно с \(clock): \(HTML.escape(reason))"
        case .notSentNote: ", не отправлен"
        case .ackedByNote(let by): ", принял \(HTML.escape(by))"
        case .silencedByIt(let fp): "   ↳ заглушён им: <code>\(HTML.escape(fp))</code>"
        case .unknownSinceShort(let clock): " (неизвестно с \(clock))"
        case .andMoreIndented(let n): "\n   ↳ … и ещё \(n)"
        case .andMore(let n): "\n… и ещё \(n)"
        case .sectionFiring: "Горят"
        case .sectionAcknowledged: "Приняты"
        case .sectionMuted: "Заглушены"
        case .sectionPending: "Ожидают (ещё не набрали нужное число ошибок подряд)"
        case .mutesHeader(let n): "<b>Заглушки (\(n))</b>\n"
        case .muteEntry(let key, let s): "🔕 <code>\(HTML.escape(key))</code> ещё \(LocalFormat.duration(s, .ru))"
        case .muteBy(let who): ", заглушил \(HTML.escape(who))"
        case .muteReasonButton: "кнопка"
        case .muteReasonAlertmanager: "сайленс или подавление в Alertmanager"
        case .noAlerts: "✅ Алертов нет.\n\n"
        case .muteOneHint(let ex): "<i>Заглушить: /mute &lt;имя&gt; 1h (имя как в списке, например \(HTML.escape(ex)))</i>\n\n"
        case .deliveryTo(let chat): "<b>Доставка</b> в чат \(chat.map(String.init) ?? "— не настроен (alerts.chat_id)"): "
        case .outboxEmpty: "очередь пуста"
        case .queued(let n, let oldest): "в очереди \(Self.messages(n)), самое старое — \(oldest)"
        case .lastError(let e): ", последняя ошибка: \(HTML.escape(e))"
        case .lastDelivered(let a): "; последняя доставка: \(a)"
        case .kind(let k):
            switch k {
            case .firing: "алерт"
            case .reminder: "напоминание"
            case .resolved: "в норме"
            case .flapping: "флапает"
            case .settled: "успокоился"
            case .info: "сообщение"
            case .annotate: "правка"
            }
        case .muteUsage: "Как: /mute &lt;правило|отпечаток&gt; &lt;длительность&gt; [причина], например /mute disk 1h чистим диск"
        case .notMuteKey(let key, let rules):
            "\(key) — не правило и не отпечаток алерта. Правила: \(rules.joined(separator: ", ")); отпечаток выглядит как disk:/var (см. /alerts)."
        case .badMuteDuration: "Длительность — от 1m до 30d, например 1h или 4h."
        case .muted(let key, let s, let until, let reason):
            "🔕 <code>\(HTML.escape(key))</code> заглушён на \(LocalFormat.duration(s, .ru)) (до \(until))" + (reason.isEmpty ? "" : " — \(HTML.escape(reason))")
        case .unmuteUsage: "Как: /unmute &lt;правило|отпечаток&gt;"
        case .unmuted(let key): "🔔 Заглушка с <code>\(HTML.escape(key))</code> снята."
        case .notMuted(let key, let live): "\(key) не заглушён." + (live.isEmpty ? "" : " Сейчас заглушены: \(live.joined(separator: ", "))")
        case .deliveryCannotStart(let e): "алерты не запускаются: \(e)"
        case .deliveryNoChat: "нет чата для алертов: задайте alerts.chat_id или admins.chats"
        case .deliveryFailed(let n, let e): "за последние 24 ч не доставлено \(Self.messages(n)) с алертами: \(e)"
        case .deliveryWaiting(let n, let s, let e):
            "\(Self.messages(n)) с алертами \(Plural.ruWord(n, "ждёт", "ждут", "ждут")) отправки уже \(LocalFormat.duration(s, .ru)) (последняя ошибка: \(e ?? "нет"))"
        case .deliveryEmpty: "очередь алертов пуста"
        case .deliveryQueued(let n): "в очереди \(Self.messages(n)) с алертами"
        case .checkTimedOut(let check, let s): "проверка \(check) не уложилась в \(LocalFormat.duration(s, .ru))"
        }
    }
}
