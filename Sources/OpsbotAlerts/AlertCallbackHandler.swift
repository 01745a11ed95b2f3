import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport

/// Buttons under alert messages (`a:` prefix; ids, not fingerprints, to stay under 64 bytes):
/// `a:k:ID` acknowledge · `a:m:ID:SECONDS` mute that alert · `a:M:RULE:SECONDS` mute a rule ·
/// `a:r:ID` run the rule's remediation as if the presser had typed it (ACL, validation and
/// confirmation still apply).
public struct AlertCallbackHandler: CallbackHandler {
    let alerts: AlertsFeature
    public init(alerts: AlertsFeature) { self.alerts = alerts }

    public func handle(_ cb: IncomingCallback, app: AppContext) async -> String? {
        let parts = cb.data.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "a" else { return "Unknown button." }
        let svc: AlertService
        do { svc = try alerts.service() } catch { return "Alerts are not available: \(error)" }
        let who = cb.username.map { "@\($0)" } ?? "user \(cb.userID)"
        let action = parts[1], arg = parts[2]
        switch action {
        case "k":
            guard let a = svc.acknowledge(id: arg, by: who) else { return "Alert #\(arg) is no longer firing." }
            annotate(app, svc, cb, id: arg, line: "✅ <b>Acknowledged</b> by \(HTML.escape(a.ackedBy ?? who)) — \(HTML.escape(a.rule)) · <code>\(HTML.escape(a.target))</code>", removeKinds: ["k"])
            return "Acknowledged: no reminders for \(a.fingerprint) until it resolves."
        case "m", "M":
            guard parts.count == 4, let secs = Double(parts[3]), secs > 0, secs <= 30 * 86400 else { return "Bad mute button." }
            let key: String
            if action == "m" {
                guard let a = svc.engine.alert(id: arg) else { return "Alert #\(arg) is gone (resolved)." }
                key = a.fingerprint
            } else {
                guard svc.engine.isMuteKey(arg) else { return "Unknown rule \(arg)." }
                key = arg
            }
            svc.engine.mute(key, for: secs, reason: "button", by: who)
            let d = Durations.format(secs)
            if action == "m" {   // an Alertmanager alert: also a silence there
                let creator = MuteLine.creator(username: cb.username, userID: cb.userID)
                if let hook = alerts.muteHook {
                    Task {
                        if let line = await hook.muted(app, fingerprint: key, seconds: secs, createdBy: creator, chatID: cb.chatID) {
                            await MuteLine.post(app, line, to: cb.chatID)
                        }
                    }
                }
            }
            annotate(app, svc, cb, id: arg,
                     line: "🔕 <code>\(HTML.escape(key))</code> muted for \(d) by \(HTML.escape(who))", removeKinds: action == "m" ? ["m"] : ["M"])
            return "Muted \(key) for \(d)."
        case "r":
            guard let a = svc.engine.alert(id: arg) else { return "Alert #\(arg) is gone (resolved)." }
            guard let cmd = a.remediation else { return "No remediation for this alert." }
            let msg = IncomingMessage(chatID: cb.chatID, userID: cb.userID, username: cb.username, messageID: cb.messageID, text: cmd)
            Task { await app.runCommand(msg) }
            return "Running \(String(cmd.prefix(150)))"
        default:
            return "Unknown button."
        }
    }

    /// Adds a line to the alert message and drops the buttons that no longer apply, in the
    /// background (the callback answer must go out at once).
    func annotate(_ app: AppContext, _ svc: AlertService, _ cb: IncomingCallback, id: String, line: String, removeKinds: Set<String>) {
        Task {
            let ref = MessageRef(chatID: cb.chatID, messageID: cb.messageID)
            var m = (try? svc.store.message(chatID: cb.chatID, messageID: cb.messageID))
                ?? OutgoingMessage(chatID: cb.chatID, kind: .info, html: "", buttons: [], silent: true)
            m.html += (m.html.isEmpty ? "" : "\n") + line
            m.buttons = m.buttons.map { row in
                row.filter { b in
                    let p = b.data.split(separator: ":").map(String.init)
                    guard p.count >= 3, removeKinds.contains(p[1]) else { return true }
                    return p[2] != id
                }
            }.filter { !$0.isEmpty }
            try? svc.store.saveMessage(chatID: cb.chatID, messageID: cb.messageID, m, now: app.clock.now())
            do {
                try await app.transport.edit(ref, Reply(html: m.html, buttons: m.buttons.map { $0.map { Button($0.text, data: $0.data) } }, silent: true))
            } catch {
                Log.warning("alerts: cannot edit alert message \(cb.messageID): \(error)")
            }
        }
    }
}
