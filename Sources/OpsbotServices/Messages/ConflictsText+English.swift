import Foundation
import SystemOps
import OpsbotSupport

extension ConflictsText {
    var english: String {
        func e(_ s: String) -> String { HTML.escape(s) }
        func d(_ s: Double) -> String { Durations.format(s) }
        let platform = { (heroku: Bool) in heroku ? "Heroku" : "Railway" }
        let noun = { (heroku: Bool, n: Int) in (heroku ? "dyno" : "replica") + (n == 1 ? "" : "s") }
        func scope(_ fixedAgo: Double?, _ window: Double, _ beforeFix: Int) -> String {
            let s = fixedAgo.map { "since the last fix \(d(max(0, $0))) ago" } ?? "in the last \(d(window))"
            return s + (beforeFix > 0 ? " (\(beforeFix) from before it no longer count\(beforeFix == 1 ? "s" : ""))" : "")
        }
        switch self {
        case .conflictsNoBotService:
            return e("No bot service configured: mark the service that runs the bot with bot: true, or set target_bot.service.")
        case .conflictsTitle(let s): return "<b>Conflicts for \(e(s))</b>\n"
        case .conflictsInstancesUnknown(let why): return "❔ instances: unknown (\(e(why))) — a second copy polling the token cannot be ruled out\n"
        case .platformCopiesTooMany(let n, let s, let heroku):
            return "🔴 \(n) \(noun(heroku, n)) of \(e(s)) are running on \(platform(heroku)) — Telegram lets only one poll a token (409 Conflict)\n"
        case .platformCopies(let n, let s, let heroku):
            return "\(n == 1 ? "✅" : "⚠️") \(n) \(noun(heroku, n)) of \(e(s)) running on \(platform(heroku))\n"
        case .platformCopySince(let desc, let ago): return "• " + e(desc) + " — since \(e(d(max(0, ago)))) ago\n"
        case .instancesFew(let n): return "✅ \(n) instance running\n"
        case .instancesTooMany(let n): return "🔴 \(n) instances running — Telegram lets only one poll a token (409 Conflict):\n"
        case .instanceLine(let desc, let keep, let ago):
            return (keep ? "• keep: " : "• extra: ") + e(desc) + (ago.map { " — started \(e(d($0))) ago" } ?? "") + "\n"
        case .noneSupervised:
            return "⚠️ none of them is owned by a supervisor (no systemd main PID, compose container or pidfile match), so opsbot will not choose which to stop.\n"
        case .noConflictLines(let fixedAgo, let window, let beforeFix):
            return "✅ no “Conflict: terminated by other getUpdates request” in the log \(scope(fixedAgo, window, beforeFix))\n"
        case .conflictLines(let fixedAgo, let window, let beforeFix): return "🔴 conflict lines \(scope(fixedAgo, window, beforeFix)):"
        case .conflictLinesFromGone(let n, let dynos):
            return "ℹ️ \(n) of them from \(e(dynos.joined(separator: ", "))), which no longer run\(dynos.count == 1 ? "s" : "")\n"
        case .outsidePoller(let n, let heroku):
            return "🔴 only \(n) \(heroku ? "dyno" : "replica") runs on \(platform(heroku)), so the other poller is outside the platform (a laptop, another host, a second app with the same token): stop it there, or revoke the token with @BotFather and set the new one only here.\n"
        case .targetBotProblem(let error): return "⚠️ target bot: \(e(error))\n"
        case .webhookWhilePolling(let url): return "🔴 a webhook is set (\(e(url))) while the bot polls: every getUpdates fails with 409\n"
        case .webhookState(let set): return "✅ webhook: \(set ? "set (the bot expects one)" : "not set")\n"
        case .conflictsScalePrompt(let s, let n): return "\nScale \(e(s)) to \(n):\n"
        case .conflictsScaleLabel(let n): return "Scale to \(n)"
        case .scalingFailed(let error): return e("🔴 scaling failed: \(error)")
        case .stopExtrasPrompt: return "\nStop these extra instances (SIGTERM, then SIGKILL / docker stop)?\n"
        case .stopExtrasLabel(let n): return "Stop \(n) extra"
        case .nowRunning(let n, let s): return "\n\(n) instance(s) of \(e(s)) now running"
        case .deleteWebhookPrompt(let url): return "\nDelete the webhook \(e(url)) (deleteWebhook) so that polling works again?"
        case .deleteWebhookLabel: return "Delete webhook"
        case .targetBotNotConfigured: return e("target_bot is not configured")
        case .webhookDeleted: return e("✅ webhook deleted")
        case .deleteWebhookFailed(let error): return e("🔴 deleteWebhook failed: \(error)")
        case .whatToFix: return "\nWhat should be fixed?"
        case .choiceScale(let s, let n): return "Scale \(s) to \(n)"
        case .choiceStopExtras(let n): return "Stop \(n) extra instance\(n == 1 ? "" : "s")"
        case .choiceDeleteWebhook: return "Delete the webhook"
        }
    }
}
