/// Splits Telegram HTML into messages Telegram accepts (≤ 4096 characters after entity parsing).
///
/// Splits between lines where possible; a line longer than a whole message is cut between
/// characters. Tags open at a cut (`<pre>`, `<code>`, `<b>`, `<a href>`…) are closed at the end
/// of the chunk and reopened at the start of the next, so every chunk parses on its own. A tag
/// or an entity (`&amp;`) is never cut. Length is counted the way Telegram does — UTF-16 code
/// units of the text with tags removed and each entity as one character — except that a
/// numeric entity counts as two (it may decode to a surrogate pair): conservative.
public enum MessageSplitter {
    /// Telegram's limit for a message text.
    public static let telegramLimit = 4096

    public static func split(_ html: String, limit: Int = telegramLimit) -> [String] {
        let limit = max(16, limit)
        let tokens = tokenize(html)
        if visibleLength(tokens) <= limit { return [html] }

        var chunks: [String] = []
        var open: [Tag] = []            // tags open at the current position
        var chunk = Chunk(reopening: [])

        func flush() {
            var body = chunk.text
            if body.hasSuffix("\n") { body.removeLast() }  // the cut is at a line break
            for tag in open.reversed() { body += "</\(tag.name)>" }
            if chunk.hasVisibleText { chunks.append(body) }
            chunk = Chunk(reopening: open)
        }

        for line in lines(tokens) {
            let length = visibleLength(line)
            if chunk.length + length > limit && chunk.length > 0 { flush() }
            if chunk.length + length <= limit {
                for t in line { chunk.append(t, open: &open) }
                continue
            }
            // A line longer than a message: cut it between tokens.
            for t in line {
                if t.visible > 0 && chunk.length + t.visible > limit && chunk.length > 0 { flush() }
                chunk.append(t, open: &open)
            }
        }
        flush()
        return chunks.isEmpty ? [html] : chunks
    }

    /// Visible length as Telegram counts it (see the type's note).
    public static func visibleLength(_ html: String) -> Int { visibleLength(tokenize(html)) }

    // MARK: - Tokens

    struct Tag {
        var name: String
        var raw: String
    }

    enum Token {
        case text(Character)
        case entity(String)
        case open(Tag)
        case close(String)
        case other(String)  // self-closing or unknown markup: kept, no state

        var raw: String {
            switch self {
            case .text(let c): String(c)
            case .entity(let s), .other(let s): s
            case .open(let t): t.raw
            case .close(let name): "</\(name)>"
            }
        }

        var visible: Int {
            switch self {
            case .text(let c): c.utf16.count
            case .entity(let s): s.hasPrefix("&#") ? 2 : 1
            case .open, .close, .other: 0
            }
        }
    }

    private struct Chunk {
        var text = ""
        var length = 0
        var hasVisibleText = false

        init(reopening open: [Tag]) {
            text = open.map(\.raw).joined()
        }

        mutating func append(_ t: Token, open: inout [Tag]) {
            text += t.raw
            length += t.visible
            switch t {
            case .text(let c): if !c.isWhitespace { hasVisibleText = true }
            case .entity: hasVisibleText = true
            case .open(let tag): open.append(tag)
            case .close(let name):
                if let i = open.lastIndex(where: { $0.name == name }) { open.remove(at: i) }
            case .other: break
            }
        }
    }

    private static func visibleLength(_ tokens: some Sequence<Token>) -> Int {
        tokens.reduce(0) { $0 + $1.visible }
    }

    /// Lines including their trailing "\n".
    private static func lines(_ tokens: [Token]) -> [ArraySlice<Token>] {
        var out: [ArraySlice<Token>] = []
        var start = 0
        for (i, t) in tokens.enumerated() {
            if case .text("\n") = t {
                out.append(tokens[start...i])
                start = i + 1
            }
        }
        if start < tokens.count { out.append(tokens[start...]) }
        return out
    }

    static func tokenize(_ html: String) -> [Token] {
        var out: [Token] = []
        let chars = Array(html)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "<", let end = chars[(i + 1)..<min(chars.count, i + 2048)].firstIndex(where: { $0 == ">" || $0 == "<" || $0 == "\n" }),
               chars[end] == ">" {
                let raw = String(chars[i...end])
                out.append(tag(raw))
                i = end + 1
                continue
            }
            if c == "&", let end = chars[(i + 1)..<min(chars.count, i + 12)].firstIndex(of: ";"),
               end > i + 1, chars[(i + 1)..<end].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "#" }) {
                out.append(.entity(String(chars[i...end])))
                i = end + 1
                continue
            }
            out.append(.text(c))
            i += 1
        }
        return out
    }

    private static func tag(_ raw: String) -> Token {
        let inner = raw.dropFirst().dropLast()
        if inner.hasPrefix("/") {
            let name = inner.dropFirst().prefix { !$0.isWhitespace }.lowercased()
            return name.isEmpty ? .other(raw) : .close(name)
        }
        if inner.hasSuffix("/") { return .other(raw) }
        let name = inner.prefix { !$0.isWhitespace }.lowercased()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return .other(raw) }
        return .open(Tag(name: name, raw: raw))
    }
}
