import Foundation

/// A chat line understood as a command.
public enum ParsedLine: Equatable, Sendable {
    /// Not a command (no leading slash): ignored.
    case notACommand
    /// `/cmd@otherbot`: meant for another bot in the group; ignored silently.
    case otherBot
    /// Quotes that never close, or a command name Telegram would not send.
    case malformed(CoreText)
    case command(name: String, words: [String])
}

/// Parses `/cmd`, `/cmd@botname`, and arguments with quoting.
public enum CommandParser {
    public static func parse(_ text: String, botUsername: String?) -> ParsedLine {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/") else { return .notACommand }
        let head = trimmed.prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(head.count)
        var name = String(head.dropFirst())
        if let at = name.firstIndex(of: "@") {
            let target = name[name.index(after: at)...]
            name = String(name[..<at])
            if let bot = botUsername, target.lowercased() != bot.lowercased() { return .otherBot }
        }
        name = name.lowercased()
        guard !name.isEmpty, name.count <= 32, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }) else {
            return .malformed(.notACommandName(name: ArgumentValidator.clip(name)))
        }
        do {
            return .command(name: name, words: try ArgvSplitter.split(String(rest)))
        } catch {
            return .malformed(.quoteNotClosed)
        }
    }
}
