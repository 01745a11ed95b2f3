import Foundation
import Yams

/// One chat command, as declared by a file in `Commands/`.
public struct CatalogCommand: Sendable {
    /// Without the slash: `restart`.
    public var name: String
    public var description: String
    /// `description_ru:` (Telegram's `ru` menu, /help in Russian); nil: the English one is shown.
    public var descriptionRU: String?
    /// Longer help shown by `/help <command>`.
    public var usage: String?
    public var usageRU: String?
    public var module: String
    public var arguments: [ArgumentSpec]
    /// Destructive: goes through the confirmation state machine.
    public var confirm: Bool
    /// Roles allowed to run it; empty means every admin.
    public var roles: [String]
    public var settings: ModuleSettings
    /// `Commands/restart.yaml`.
    public var source: String
    /// Hidden from /help and the Telegram menu (internal helpers).
    public var hidden: Bool
    /// How long the command may work before it is stopped and the reply says so
    /// (catalog `timeout`; default `CatalogCommand.defaultTimeout`).
    public var timeout: Double = CatalogCommand.defaultTimeout
    public static let defaultTimeout: Double = 60

    public init(name: String, description: String, usage: String? = nil, module: String, arguments: [ArgumentSpec] = [],
                confirm: Bool = false, roles: [String] = [], settings: ModuleSettings? = nil, source: String = "<code>", hidden: Bool = false) {
        self.name = name
        self.description = description
        self.usage = usage
        self.module = module
        self.arguments = arguments
        self.confirm = confirm
        self.roles = roles
        self.settings = settings ?? ModuleSettings(node: nil, source: source)
        self.source = source
        self.hidden = hidden
    }

    /// The description in `language` (English when the file has no translation).
    public func description(_ language: Language) -> String { language == .ru ? (descriptionRU ?? description) : description }
    public func usage(_ language: Language) -> String? { language == .ru ? (usageRU ?? usage) : usage }

    /// `/logs <service> [lines] [filter…]`
    public var synopsis: String {
        var parts = ["/\(name)"]
        for a in arguments {
            let label = a.type == .words ? "\(a.name)…" : a.name
            parts.append(a.required ? "<\(label)>" : "[\(label)]")
        }
        return parts.joined(separator: " ")
    }
}

/// How one argument is validated. Nothing from the chat reaches a module unvalidated.
public struct ArgumentSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A whole number, optionally within `min`…`max`.
        case int
        /// `90`, `15m`, `1h`.
        case duration
        /// One of the service names in the config (or `all` when `allow_all`).
        case service
        /// One of `values`.
        case `enum`
        /// A single word matching `pattern` (full match). Default pattern: safe identifier characters.
        case string
        /// The rest of the line, each word matching `pattern` (default: safe characters).
        case words
    }

    public var name: String
    public var type: Kind
    public var required: Bool
    public var defaultValue: String?
    public var pattern: String?
    public var values: [String]
    public var min: Int?
    public var max: Int?
    public var allowAll: Bool
    public var description: String?
    public var descriptionRU: String?

    /// The description in `language` (English when there is no translation).
    public func description(_ language: Language) -> String? { language == .ru ? (descriptionRU ?? description) : description }

    public init(name: String, type: Kind, required: Bool = true, defaultValue: String? = nil, pattern: String? = nil,
                values: [String] = [], min: Int? = nil, max: Int? = nil, allowAll: Bool = false, description: String? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.pattern = pattern
        self.values = values
        self.min = min
        self.max = max
        self.allowAll = allowAll
        self.description = description
    }

    /// Characters that are safe to pass along as one argv element or SQL parameter.
    public static let defaultPattern = #"[A-Za-z0-9_.:@/+=,-]{1,200}"#
}
