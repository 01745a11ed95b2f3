import Foundation
import TelegramBotAPI
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Applies a re-read config and catalog to a running opsbot (SIGHUP). An invalid new config
/// changes nothing: opsbot keeps the old one, logs why and says so in the admin chat.
/// Confirmations in flight (kept by the router) and alert state (kept in the store) survive.
/// `FeatureServices` stops the features' background work before `apply` and starts it after.
public enum Reload {
    /// Problems that stop a reload: those of the config. Broken command files only cost their
    /// commands (as at start), missing admins only a warning (as at start).
    static func blocking(_ next: Runtime) -> [ConfigError] {
        next.problems.filter { p in
            !(next.catalogProblems.contains(p) && !next.catalog.entries.isEmpty) && !Runtime.chatSetupKeys.contains(p.key)
        }
    }

    /// True when `next` cannot be applied; then the refusal is logged and said in the chat.
    public static func refuses(_ next: Runtime, app: AppContext) async -> Bool {
        let fatal = blocking(next)
        guard !fatal.isEmpty else { return false }
        let list = fatal.prefix(10).map { "  - \($0.description)" }.joined(separator: "\n")
        Log.error("reload refused, still running the previous config — \(fatal.count) problem(s):\n\(list)")
        if let chat = alertChat(app) {
            let text = AppText.reloadRefused(count: fatal.count, problems: fatal.prefix(10).map(\.description))
            _ = try? await app.transport.send(Reply(html: text.text(app.pushLanguage(chat: chat))), to: chat)
        }
        return true
    }

    /// Swaps in `next` (accepted by `refuses`). `api` nil: no Telegram menu to update (the console).
    public static func apply(_ next: Runtime, to app: AppContext, api: BotAPI?) async {
        let chat = alertChat(app)
        let old = app.config
        if old.telegram.apiURL != next.config.telegram.apiURL || old.telegram.pollTimeout != next.config.telegram.pollTimeout || old.token != next.config.token {
            Log.warning("reload: telegram settings and the token apply at the next restart")
        }
        app.reload(config: next.config, catalog: next.catalog, wiring: next.wiring)
        if let api {
            await CommandMenu.publish(next.catalog, language: next.config.language, api: api)
        }
        Log.info("reloaded \(next.config.source): \(next.catalog.entries.count) commands")
        if let to = alertChat(app) ?? chat {
            let text = AppText.reloaded(source: next.config.source, commands: next.catalog.entries.count)
            _ = try? await app.transport.send(Reply(html: text.text(app.pushLanguage(chat: to))), to: to)
        }
        await Runtime.announceCatalogProblems(app)
    }

    static func alertChat(_ app: AppContext) -> Int64? {
        (try? AlertsConfig.load(app.config))?.chat(app.config) ?? app.config.admins.chats.first
    }
}
