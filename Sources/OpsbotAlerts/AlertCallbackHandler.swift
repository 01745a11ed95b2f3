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
        guard parts.count >= 3, parts[0] == "a" else { return AlertText.unknownButton.text() }
        let svc: AlertService
        do { svc = try alerts.service() } catch { return AlertText.unavailable(error: ChatError.text(error)).text() }
        let who = cb.username.map { "@\($0)" } ?? "user \(cb.userID)"
        let action = parts[1], arg = parts[2]
        switch action {
        case "k":
            guard let a = svc.acknowledge(id: arg, by: who) else { return AlertText.noLongerFiring(id: arg).text() }
            annotate(app, svc, cb, id: arg, line: AlertText.acknowledgedLine(by: a.ackedBy ?? who, rule: a.rule, target: a.target).text(), removeKinds: ["k"])
            return AlertText.acknowledgedToast(fingerprint: a.fingerprint).text()
        case "m", "M":
            guard parts.count == 4, let secs = Double(parts[3]), secs > 0, secs <= 30 * 86400 else { return AlertText.badMuteButton.text() }
            let key: String
            if action == "m" {
                guard let a = svc.engine.alert(id: arg) else { return AlertText.alertGone(id: arg).text() }
                key = a.fingerprint
            } else {
                guard svc.engine.isMuteKey(arg) else { return AlertText.unknownRule(arg).text() }
                key = arg
            }
            svc.engine.mute(key, for: secs, reason: AlertText.muteReasonButton.english, by: who)
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
                     line: AlertText.mutedLine(key: key, seconds: secs, by: who).text(), removeKinds: action == "m" ? ["m"] : ["M"])
            return AlertText.mutedToast(key: key, seconds: secs).text()
        case "r":
            guard let a = svc.engine.alert(id: arg) else { return AlertText.alertGone(id: arg).text() }
            guard let cmd = a.remediation else { return AlertText.noRemediation.text() }
            // In the presser's language, as if they had typed it.
            let msg = IncomingMessage(chatID: cb.chatID, userID: cb.userID, username: cb.username, messageID: cb.messageID, text: cmd,
                                      languageCode: cb.languageCode)
            Task { await app.runCommand(msg) }
            return AlertText.running(command: String(cmd.prefix(150))).text()
        default:
            return AlertText.unknownButton.text()
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
