/// A chat-facing message as a typed value: each module keeps an enum of its messages
/// (`ServicesText.restarted(service:)`) whose cases carry their arguments, and one file per
/// language renders them with an exhaustive `switch`. A message without a language does not
/// compile; a test counts the cases and renders each in every language.
public protocol Localizable: Sendable {
    var english: String { get }
    var russian: String { get }
}

extension Localizable {
    /// The text in `language` (by default the current one, see `Language.current`).
    public func text(_ language: Language = Language.current) -> String {
        switch language {
        case .en: english
        case .ru: russian
        }
    }

    /// Rendered in every language, for text that outlives the task that made it (a check
    /// summary stored with an alert, read later in the alert chat's language).
    public var localized: LocalizedText { LocalizedText(en: english, ru: russian) }
}

/// A text already rendered in each language: what a stored or passed-around message keeps.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var en: String
    public var ru: String

    public init(en: String, ru: String) {
        self.en = en
        self.ru = ru
    }

    /// The same text in every language (a service name, a log line, an external error).
    public init(verbatim s: String) {
        en = s
        ru = s
    }

    public func text(_ language: Language = Language.current) -> String {
        switch language {
        case .en: en
        case .ru: ru
        }
    }
}

/// A message enum lists one sample per case, so a test can render every message in every
/// language and hold the count against the enum's declaration.
public protocol MessageCatalog: Localizable {
    static var samples: [Self] { get }
}

/// How an error reads in the chat: its catalog text when its type is `Localizable` (in the
/// current language), else its description. Logs keep using the description (English).
public enum ChatError {
    public static func text(_ error: any Error) -> String {
        (error as? any Localizable)?.text() ?? String(describing: error)
    }
}
