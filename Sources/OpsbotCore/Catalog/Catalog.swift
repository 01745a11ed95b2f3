import Foundation

/// The loaded command catalog: every chat command with its built module.
public struct Catalog: Sendable {
    public struct Entry: Sendable {
        public var command: CatalogCommand
        public var module: CommandModule
        /// Why the command cannot work here (its module's `notConfigured`, asked once at load), in English.
        public var notConfigured: String?
        /// The same reason in every language, for the chat.
        public var notConfiguredText: LocalizedText?
        public init(command: CatalogCommand, module: CommandModule) {
            self.command = command
            self.module = module
            notConfigured = Language.$current.withValue(.en) { module.notConfigured }
            if let en = notConfigured {
                notConfiguredText = LocalizedText(en: en, ru: Language.$current.withValue(.ru) { module.notConfigured } ?? en)
            }
        }
    }

    public private(set) var entries: [Entry] = []
    private var byName: [String: Int] = [:]
    /// Command files that did not load (their commands are unavailable); shown by /status
    /// and announced once in the admin chat, so a typo in one runbook never stops the bot.
    public var invalidFiles: [ConfigError] = []

    /// `catalog: 1 file invalid (Commands/x.yaml: …)`, nil when every file loaded.
    public var invalidSummary: String? {
        guard !invalidFiles.isEmpty else { return nil }
        let n = invalidFiles.count
        return "catalog: \(n) file\(n == 1 ? "" : "s") invalid (" + invalidFiles.map(\.description).joined(separator: "; ") + ")"
    }

    public init(_ entries: [Entry] = []) {
        for e in entries { add(e) }
    }

    public mutating func add(_ e: Entry) {
        if let i = byName[e.command.name] { entries[i] = e; return }
        byName[e.command.name] = entries.count
        entries.append(e)
    }

    public func entry(_ name: String) -> Entry? { byName[name].map { entries[$0] } }

    /// Commands shown in /help and Telegram's menu, in file-name order: not hidden, and
    /// configured here.
    public var visible: [CatalogCommand] { entries.filter { !$0.command.hidden && $0.notConfigured == nil }.map(\.command) }

    /// Commands left out because their backend or feature is not configured, with why.
    public var notConfigured: [(name: String, why: String)] {
        entries.compactMap { e in e.notConfigured.map { (e.command.name, $0) } }
    }
}
