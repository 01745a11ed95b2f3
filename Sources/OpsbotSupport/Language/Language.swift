/// The language a chat-facing text is written in. Logs, config errors and CLI output stay
/// English (operators grep them and paste them into searches); only what the chat shows varies.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case en, ru

    /// The language of the text being produced right now: the router sets it per message
    /// (from the config and the user's Telegram `language_code`), the alert service per chat,
    /// so a module deep in a backend renders in the asker's language without threading it.
    @TaskLocal public static var current: Language = .en

    /// Telegram's `from.language_code` ("ru", "ru-RU", "en", "uk"…): ru → Russian, anything
    /// else (or nothing) → English.
    public init(telegramCode: String?) {
        let code = (telegramCode ?? "").lowercased()
        self = code == "ru" || code.hasPrefix("ru-") || code.hasPrefix("ru_") ? .ru : .en
    }
}

/// The `language:` config key: a fixed language, or `auto` (each user's Telegram language).
public enum LanguageSetting: String, Sendable, Hashable, CaseIterable, Codable {
    case en, ru, auto

    /// The language for a user whose Telegram `language_code` is `code`.
    public func resolve(telegramCode code: String?) -> Language {
        switch self {
        case .en: .en
        case .ru: .ru
        case .auto: Language(telegramCode: code)
        }
    }

    /// A config value: a typo is named with the three choices.
    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let v = LanguageSetting(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected en, ru or auto, got \"\(raw)\""))
        }
        self = v
    }

    /// The language when nobody's `language_code` is known (alerts, the console): `auto` → English.
    public var fixed: Language? {
        switch self {
        case .en: .en
        case .ru: .ru
        case .auto: nil
        }
    }
}
