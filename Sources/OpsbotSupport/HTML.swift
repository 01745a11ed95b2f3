/// Telegram's HTML parse mode: only `&`, `<`, `>` need escaping, and everything that came from
/// outside (log lines, SQL values, error text) must be escaped before it is sent.
public enum HTML {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Turns Telegram HTML into plain text (for the console and for plain-text resends).
    public static func toPlainText(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        while i < html.endIndex {
            let ch = html[i]
            if ch == "<", let close = html[i...].firstIndex(of: ">") {
                i = html.index(after: close)
                continue
            }
            if ch == "&", let semi = html[i...].prefix(8).firstIndex(of: ";") {
                let entity = String(html[i...semi])
                let decoded: String? = switch entity {
                case "&amp;": "&"
                case "&lt;": "<"
                case "&gt;": ">"
                case "&quot;": "\""
                case "&#39;": "'"
                default: nil
                }
                if let decoded {
                    out += decoded
                    i = html.index(after: semi)
                    continue
                }
            }
            out.append(ch)
            i = html.index(after: i)
        }
        return out
    }
}
