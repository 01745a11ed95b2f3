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
    var notConfigured: String? { configured ? nil : AlertmanagerText.notConfiguredReason.text() }
    static let maxListed = 15

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        guard let src = source else { return .reply(.text(AlertmanagerText.notConfigured.text())) }
        let all: [AlertmanagerAPI.Silence]
        do { all = try await src.api.silences() } catch { return .reply(.text(AlertmanagerText.cannotList(error: ChatError.text(error)).text())) }
        let live = all.filter { $0.status.state == "active" || $0.status.state == "pending" }
            .sorted { (AlertmanagerAPI.parse($0.startsAt) ?? .distantPast) > (AlertmanagerAPI.parse($1.startsAt) ?? .distantPast) }
        guard !live.isEmpty else { return .reply(.text(AlertmanagerText.noSilences.text())) }
        var html = AlertmanagerText.silencesHeader(count: live.count).text()
        var buttons: [[Button]] = []
        for s in live.prefix(Self.maxListed) {
            let until = AlertmanagerAPI.parse(s.endsAt).map(AlertRenderer.time) ?? s.endsAt
            html += AlertmanagerText.silenceLine(id: s.id, pending: s.status.state == "pending", by: s.createdBy, until: until).text()
            html += "<code>\(HTML.escape(AlertmanagerSilencing.render(s.matchers)))</code>"
            if let c = s.comment, !c.isEmpty { html += "\n" + HTML.escape(String(c.prefix(200))) }
            html += "\n"
            buttons.append([Button(AlertmanagerText.expireButton(id: String(s.id.prefix(8))).text(), data: "am:x:\(s.id)")])
        }
        if live.count > Self.maxListed { html += AlertmanagerText.andMore(live.count - Self.maxListed).text() }
        return .reply(Reply(html: html.trimmingCharacters(in: .whitespacesAndNewlines), buttons: buttons))
    }
}

/// `/expire_silence <id>`: shows the silence, expires it after Confirm.
struct ExpireSilenceModule: CommandModule {
    let source: AlertmanagerSource?
    /// `alertmanager:` is in the config (when it is but unusable, the command says why).
    var configured = true
    var notConfigured: String? { configured ? nil : AlertmanagerText.notConfiguredReason.text() }
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        guard let src = source else { return .reply(.text(AlertmanagerText.notConfigured.text())) }
        guard let id = ctx.request.string("id") else { return .reply(Reply(html: AlertmanagerText.expireUsage.text())) }
        let all: [AlertmanagerAPI.Silence]
        do { all = try await src.api.silences() } catch { return .reply(.text(AlertmanagerText.cannotRead(error: ChatError.text(error)).text())) }
        guard let s = all.first(where: { $0.id == id }), s.status.state != "expired" else {
            return .reply(.text(AlertmanagerText.noSuchSilence(id: id).text()))
        }
        let preview = AlertmanagerText.expirePreview(id: s.id, by: s.createdBy, matchers: AlertmanagerSilencing.render(s.matchers)).text()
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: AlertmanagerText.expireConfirm.text(), auditAction: "expire_silence \(s.id)") { _ in
            do {
                try await src.api.expireSilence(id: s.id)
                // "The alerts it matches will notify again": poll now, not in `poll`.
                src.wakeup.signal()
                return Reply(html: AlertmanagerText.expired(id: s.id).text())
            } catch {
                return .text(AlertmanagerText.expireFailed(id: s.id, error: ChatError.text(error)).text())
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
              parts[2].range(of: #"^[A-Za-z0-9-]{1,64}$"#, options: .regularExpression) != nil else { return AlertmanagerText.unknownButton.text() }
        let msg = IncomingMessage(chatID: cb.chatID, userID: cb.userID, username: cb.username, messageID: cb.messageID, text: "/expire_silence \(parts[2])",
                                  languageCode: cb.languageCode)
        Task { await app.runCommand(msg) }
        return AlertmanagerText.expireToast(id: String(parts[2].prefix(8))).text()
    }
}
