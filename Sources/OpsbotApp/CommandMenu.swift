import OpsbotCore
import OpsbotSupport
import TelegramBotAPI

/// Telegram's command menu, in both languages: the default menu, and the one Telegram shows
/// users whose app is in Russian (`language_code: "ru"`). Each says what the replies will:
/// `language: en` gives English in both, `ru` Russian in both, `auto` English and Russian.
enum CommandMenu {
    static func entries(_ catalog: Catalog, in language: Language) -> [(command: String, description: String)] {
        catalog.visible.map { (command: $0.name, description: $0.description(language)) }
    }

    static func publish(_ catalog: Catalog, language setting: LanguageSetting, api: BotAPI) async {
        for code in [nil, "ru"] as [String?] {
            let menu = entries(catalog, in: setting.resolve(telegramCode: code))
            do { try await api.setMyCommands(menu, languageCode: code) } catch {
                Log.warning("setMyCommands\(code.map { " (\($0))" } ?? "") failed (the menu may be stale): \(error)")
            }
        }
    }
}
