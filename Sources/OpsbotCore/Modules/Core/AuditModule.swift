import Foundation

/// `/audit [N]`: the newest entries of the audit log (who ran what, outcome, duration).
struct AuditModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let n = ctx.request.int("count") ?? 20
        let entries: [LocalStoreAudit]
        do { entries = try ctx.app.store.recentAudit(limit: n) } catch {
            return .reply(Reply(html: CoreText.auditUnreadable(error: "\(error)").text()))
        }
        if entries.isEmpty { return .reply(Reply(html: CoreText.auditEmpty.text())) }
        let f = DateFormatter()
        f.dateFormat = "MM-dd HH:mm:ss"
        f.timeZone = TimeZone(identifier: "UTC")
        var lines: [String] = []
        for e in entries.reversed() {
            let who = e.username.map { "@\($0)" } ?? String(e.userID)
            lines.append("\(f.string(from: e.at)) \(who) chat \(e.chatID) \(e.command) \(e.arguments) → \(e.outcome) (\(e.durationMS) ms)")
        }
        return .reply(.pre(lines.joined(separator: "\n"), title: HTML.toPlainText(CoreText.auditTitle(count: entries.count).text())))
    }
}

import LocalStore
typealias LocalStoreAudit = Store.AuditEntry
