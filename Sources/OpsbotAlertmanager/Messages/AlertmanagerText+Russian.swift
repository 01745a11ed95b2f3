import OpsbotSupport

extension AlertmanagerText {
    var russian: String {
        switch self {
        case .notConfigured: "Alertmanager не настроен (alertmanager.url)."
        case .notConfiguredReason: "в конфиге нет alertmanager.url"
        case .cannotList(let e): "Не удалось получить сайленсы: \(e)"
        case .noSilences: "В Alertmanager нет активных или ожидающих сайленсов."
        case .silencesHeader(let n): "<b>Сайленсы Alertmanager (\(n))</b>\n"
        case .silenceLine(let id, let pending, let by, let until):
            "\n🔇 <code>\(HTML.escape(id))</code> \(pending ? "(ожидает) " : "")создал \(HTML.escape(by)), до \(HTML.escape(until))\n"
        case .expireButton(let id): "Снять \(id)"
        case .andMore(let n): "\n… и ещё \(n)"
        case .expireUsage: "Как: /expire_silence &lt;id&gt; (id смотрите в /silences)"
        case .cannotRead(let e): "Не удалось прочитать сайленсы: \(e)"
        case .noSuchSilence(let id): "Нет активного или ожидающего сайленса \(id) (см. /silences)."
        case .expirePreview(let id, let by, let m):
            "Снять сайленс Alertmanager <code>\(HTML.escape(id))</code> (создал \(HTML.escape(by)))?\n"
                + "<code>\(HTML.escape(m))</code>\nАлерты, которые он глушит, снова начнут приходить."
        case .expireConfirm: "Снять сайленс"
        case .expired(let id): "🔔 Сайленс Alertmanager <code>\(HTML.escape(id))</code> снят."
        case .expireFailed(let id, let e): "Не удалось снять сайленс \(id): \(e)"
        case .expireToast(let id): "Снимаю сайленс \(id)…"
        case .unknownButton: "Неизвестная кнопка."
        case .matchesEverything(let fp): "⚠️ Сайленс в Alertmanager для <code>\(HTML.escape(fp))</code> не создан: его метки подошли бы ко всем алертам."
        case .silenceCreated(let id, let by, let until, let m):
            "🔇 Создан сайленс Alertmanager <code>\(HTML.escape(id))</code> (\(HTML.escape(by))) до \(until): <code>\(HTML.escape(m))</code>"
        case .silenceFailed(let e): "⚠️ В opsbot заглушено, но создать сайленс в Alertmanager не удалось: \(HTML.escape(e))"
        case .unmuteExpired(let id): "🔔 Сайленс Alertmanager <code>\(HTML.escape(id))</code> снят."
        case .unmuteExpireFailed(let id, let e): "⚠️ Не удалось снять сайленс Alertmanager <code>\(HTML.escape(id))</code>: \(HTML.escape(e))"
        case .unknownUnreachable(let last): "неизвестно: Alertmanager недоступен (последнее: \(last.ru))"
        case .unreachable(let at, let e, let n):
            "Alertmanager на \(at) недоступен: \(e). Состояние \(Plural.ru(n, "алерта", "алертов", "алертов")) из него неизвестно, пока он не ответит."
        case .alertCount(let n): Plural.ru(n, "алерт", "алерта", "алертов")
        case .watchdogMissing(let w, let s):
            "всегда горящий алерт \(w) пропал из Alertmanager уже \(LocalFormat.duration(s, .ru)): цепочка Prometheus → Alertmanager сломана"
        case .unknownRestarted(let up, let grace):
            "неизвестно: Alertmanager перезапущен \(LocalFormat.ago(max(0, up), .ru)), и алерт ещё не пришёл заново "
                + "(будет считаться решённым, если не появится в течение \(LocalFormat.duration(grace, .ru)) после перезапуска)"
        case .checkNotConfigured: "alertmanager: не настроен или не читается файл токена"
        }
    }
}
