/// Splits a chat line into words the way an operator expects (`"two words"`, `'x y'`, `a\ b`),
/// without ever handing anything to a shell.
public enum ArgvSplitter {
    public enum Failure: Error, Equatable { case unbalancedQuote(Character) }

    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaping = false
        for ch in line {
            if escaping { current.append(ch); escaping = false; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escaping = true } else { current.append(ch) }
                continue
            }
            switch ch {
            case "\"", "'", "“", "”":
                quote = (ch == "“" || ch == "”") ? "”" : ch
                inWord = true
            case "\\": escaping = true
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            default:
                current.append(ch); inWord = true
            }
        }
        if let q = quote { throw Failure.unbalancedQuote(q) }
        if inWord { words.append(current) }
        return words
    }
}
