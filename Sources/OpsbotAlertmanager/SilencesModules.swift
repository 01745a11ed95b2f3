import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// `/silences`: active and pending Alertmanager silences, newest first — who, until when, the
/// matchers — with an Expire button each (which runs `/expire_silence ID`, confirmed).
struct SilencesModule: CommandModule {
    let source: AlertmanagerSource?
    /// `alertmanager:` is in the config (when it is but unusable, the command says why).
    var configured = true
    var notConfigured: String? { configured ? nil : "alertmanager.url is not in the config" }
    static let maxListed = 15

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        guard let src = source else { return .reply(.text("Alertmanager is not configured (alertmanager.url).")) }
        let all: [AlertmanagerAPI.Silence]
        do { all = try await src.api.silences() } catch { return .reply(.text("Cannot list silences: \(error)")) }
        let live = all.filter { $0.status.state == "active" || $0.status.state == "pending" }
            .sorted { (AlertmanagerAPI.parse($0.startsAt) ?? .distantPast) > (AlertmanagerAPI.parse($1.startsAt) ?? .distantPast) }
        guard !live.isEmpty else { return .reply(.text("No active or pending silences in Alertmanager.")) }
        var html = "<b>Alertmanager silences (\(live.count))</b>\n"
        var buttons: [[Button]] = []
        for s in live.prefix(Self.maxListed) {
            let until = AlertmanagerAPI.parse(s.endsAt).map(AlertRenderer.time) ?? s.endsAt
            html += "\n🔇 <code>\(HTML.escape(s.id))</code> \(s.status.state == "pending" ? "(pending) " : "")by \(HTML.escape(s.createdBy)) until \(HTML.escape(until))\n"
            html += "<code>\(HTML.escape(AlertmanagerSilencing.render(s.matchers)))</code>"
            if let c = s.comment, !c.isEmpty { html += "\n" + HTML.escape(String(c.prefix(200))) }
            html += "\n"
            buttons.append([Button("Expire \(s.id.prefix(8))", data: "am:x:\(s.id)")])
        }
        if live.count > Self.maxListed { html += "\n… and \(live.count - Self.maxListed) more" }
        return .reply(Reply(html: html.trimmingCharacters(in: .whitespacesAndNewlines), buttons: buttons))
    }
}

/// `/expire_silence <id>`: shows the silence, expires it after Confirm.
struct ExpireSilenceModule: CommandModule {
    let source: AlertmanagerSource?
    /// `alertmanager:` is in the config (when it is but unusable, the command says why).
    var configured = true
    var notConfigured: String? { configured ? nil : "alertmanager.url is not in the config" }
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        guard let src = source else { return .reply(.text("Alertmanager is not configured (alertmanager.url).")) }
        guard let id = ctx.request.string("id") else { return .reply(.text("Usage: /expire_silence <id> (ids are listed by /silences)")) }
        let all: [AlertmanagerAPI.Silence]
        do { all = try await src.api.silences() } catch { return .reply(.text("Cannot read silences: \(error)")) }
        guard let s = all.first(where: { $0.id == id }), s.status.state != "expired" else {
            return .reply(.text("No active or pending silence \(id) (see /silences)."))
        }
        let preview = "Expire Alertmanager silence <code>\(HTML.escape(s.id))</code> by \(HTML.escape(s.createdBy))?\n"
            + "<code>\(HTML.escape(AlertmanagerSilencing.render(s.matchers)))</code>\nThe alerts it matches will notify again."
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Expire silence", auditAction: "expire_silence \(s.id)") { _ in
            do {
                try await src.api.expireSilence(id: s.id)
                // "The alerts it matches will notify again": poll now, not in `poll`.
                src.wakeup.signal()
                return Reply(html: "🔔 Alertmanager silence <code>\(HTML.escape(s.id))</code> expired.")
            } catch {
                return .text("Could not expire silence \(s.id): \(error)")
            }
        })
    }
}

/// `am:x:ID` (the Expire button of /silences): runs `/expire_silence ID` as if the presser had
/// typed it, so ACL, validation and the confirmation apply.
struct AlertmanagerCallbackHandler: CallbackHandler {
    func handle(_ cb: IncomingCallback, app: AppContext) async -> String? {
        let parts = cb.data.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "am", parts[1] == "x",
              parts[2].range(of: #"^[A-Za-z0-9-]{1,64}$"#, options: .regularExpression) != nil else { return "Unknown button." }
        let msg = IncomingMessage(chatID: cb.chatID, userID: cb.userID, username: cb.username, messageID: cb.messageID, text: "/expire_silence \(parts[2])")
        Task { await app.runCommand(msg) }
        return "Expire silence \(parts[2].prefix(8))…"
    }
}
