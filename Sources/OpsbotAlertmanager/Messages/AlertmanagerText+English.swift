import OpsbotSupport

extension AlertmanagerText {
    var english: String {
        switch self {
        case .notConfigured: "Alertmanager is not configured (alertmanager.url)."
        case .notConfiguredReason: "alertmanager.url is not in the config"
        case .cannotList(let e): "Cannot list silences: \(e)"
        case .noSilences: "No active or pending silences in Alertmanager."
        case .silencesHeader(let n): "<b>Alertmanager silences (\(n))</b>\n"
        case .silenceLine(let id, let pending, let by, let until):
            "\n🔇 <code>\(HTML.escape(id))</code> \(pending ? "(pending) " : "")by \(HTML.escape(by)) until \(HTML.escape(until))\n"
        case .expireButton(let id): "Expire \(id)"
        case .andMore(let n): "\n… and \(n) more"
        case .expireUsage: "Usage: /expire_silence &lt;id&gt; (ids are listed by /silences)"
        case .cannotRead(let e): "Cannot read silences: \(e)"
        case .noSuchSilence(let id): "No active or pending silence \(id) (see /silences)."
        case .expirePreview(let id, let by, let m):
            "Expire Alertmanager silence <code>\(HTML.escape(id))</code> by \(HTML.escape(by))?\n"
                + "<code>\(HTML.escape(m))</code>\nThe alerts it matches will notify again."
        case .expireConfirm: "Expire silence"
        case .expired(let id): "🔔 Alertmanager silence <code>\(HTML.escape(id))</code> expired."
        case .expireFailed(let id, let e): "Could not expire silence \(id): \(e)"
        case .expireToast(let id): "Expire silence \(id)…"
        case .unknownButton: "Unknown button."
        case .matchesEverything(let fp): "⚠️ No Alertmanager silence for <code>\(HTML.escape(fp))</code>: its labels would match every alert."
        case .silenceCreated(let id, let by, let until, let m):
            "🔇 Alertmanager silence <code>\(HTML.escape(id))</code> created by \(HTML.escape(by)) until \(until): <code>\(HTML.escape(m))</code>"
        case .silenceFailed(let e): "⚠️ Muted in opsbot, but the Alertmanager silence failed: \(HTML.escape(e))"
        case .unmuteExpired(let id): "🔔 Alertmanager silence <code>\(HTML.escape(id))</code> expired."
        case .unmuteExpireFailed(let id, let e): "⚠️ Could not expire Alertmanager silence <code>\(HTML.escape(id))</code>: \(HTML.escape(e))"
        case .unknownUnreachable(let last): "unknown: Alertmanager unreachable (last: \(last.en))"
        case .unreachable(let at, let e, let n): "Alertmanager at \(at) unreachable: \(e). Its \(n) alert(s) are unknown until it answers again."
        case .alertCount(let n): "\(n) alert(s)"
        case .watchdogMissing(let w, let s):
            "the always-firing \(w) alert has been missing from Alertmanager for \(Durations.format(s)): the Prometheus → Alertmanager path is broken"
        case .unknownRestarted(let up, let grace):
            "unknown: Alertmanager restarted \(Durations.format(max(0, up))) ago and has not had it re-sent yet "
                + "(resolved if still missing \(Durations.format(grace)) after the restart)"
        case .checkNotConfigured: "alertmanager: not configured or its token file is unreadable"
        }
    }
}
