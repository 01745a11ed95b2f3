import Foundation

/// The loaded command catalog: every chat command with its built module.
public struct Catalog: Sendable {
    public struct Entry: Sendable {
        public var command: CatalogCommand
        public var module: CommandModule
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

    /// Commands shown in /help and Telegram's menu, in file-name order.
    public var visible: [CatalogCommand] { entries.map(\.command).filter { !$0.hidden } }
}
