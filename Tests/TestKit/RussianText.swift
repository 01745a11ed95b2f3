import Foundation
import OpsbotSupport

/// What the Russian-interface tests hold every chat text to: no English words outside a list
/// of technical terms, balanced Telegram HTML, and every catalog message in every language.
public enum RussianText {
    /// Words that stay as they are in a Russian text: product and tool names, SQL keywords,
    /// units, and the service names the tests configure. Lowercase.
    public static let technicalTerms: Set<String> = [
        // products and tools
        "opsbot", "telegram", "postgresql", "postgres", "libpq", "sqlite", "docker", "compose", "systemd", "systemctl",
        "journalctl", "journald", "heroku", "railway", "yookassa", "crypto", "pay", "cryptopay", "stars", "alertmanager",
        "prometheus", "promtool", "nginx", "alembic", "ssh", "sshd", "cron", "linux", "debian", "polkit", "curl", "libcurl",
        "cairo", "healthchecks", "uptime", "kuma", "github", "python", "swift", "tls", "dns", "tcp", "udp", "ip", "ipv",
        "usdt", "ton", "btc", "eth", "rub", "usd", "eur", "xtr", "graphql",
        // abbreviations
        "sql", "http", "https", "api", "url", "json", "yaml", "html", "cpu", "ram", "pid", "id", "ids", "ok", "utc", "env",
        "oom", "io", "tty", "gc", "mime", "csv", "png", "svg", "txt", "log", "iso",
        // units
        "mb", "gb", "kb", "tb", "mib", "gib", "kib", "ms", "rps", "rpm",
        // SQL keywords (statements are shown as they run)
        "select", "update", "insert", "delete", "from", "where", "set", "and", "or", "not", "null", "into", "values",
        "table", "column", "alter", "add", "drop", "index", "begin", "commit", "rollback", "returning", "limit", "order",
        "by", "varchar", "text", "integer", "bigint", "numeric", "timestamp", "primary", "key", "now", "count", "as",
        "is", "in", "on", "join", "group", "having", "distinct", "case", "when", "then", "else", "end", "like",
        // service names the tests configure
        "web", "worker", "bot", "db", "app", "payments", "cleanup", "scheduler", "sample",
    ]

    /// English words in `html` (outside `<code>`/`<pre>`, commands, paths, identifiers and the
    /// allowlist): empty for a well translated Russian text.
    public static func englishWords(in html: String, allow: Set<String> = []) -> [String] {
        let allowed = technicalTerms.union(allow.map { $0.lowercased() })
        let plain = HTML.toPlainText(removingExactParts(html))
        var found: [String] = []
        for token in plain.split(whereSeparator: { $0.isWhitespace }) {
            let t = token.trimmingCharacters(in: CharacterSet(charactersIn: "()[]{}«»\"'.,;:!?…—–-•·*"))
            if t.isEmpty { continue }
            // Exact parts typed back or pasted: /commands, paths, URLs, keys, ids, durations, versions.
            if t.hasPrefix("/") || t.hasPrefix("@") || t.hasPrefix("#") || t.hasPrefix("$") { continue }
            if t.contains(where: { "/_@=:.\\<>|+~".contains($0) || $0.isNumber }) { continue }
            for piece in t.split(whereSeparator: { !$0.isLetter }) {
                let w = String(piece)
                guard w.count >= 2, w.allSatisfy({ $0.isASCII }) else { continue }
                if !allowed.contains(w.lowercased()) { found.append(w) }
            }
        }
        return found
    }

    /// The text with `<code>…</code>`, `<pre>…</pre>` and link targets removed: what stays exact.
    static func removingExactParts(_ html: String) -> String {
        var s = html
        for tag in ["pre", "code"] {
            while let open = s.range(of: "<\(tag)"), let close = s.range(of: "</\(tag)>", range: open.upperBound..<s.endIndex) {
                s.replaceSubrange(open.lowerBound..<close.upperBound, with: " ")
            }
        }
        return s
    }

    /// Problems with `html` as Telegram's HTML parse mode reads it: unknown or unbalanced tags,
    /// a bare `&` or `<`. Empty when Telegram would accept it.
    public static func htmlProblems(_ html: String) -> [String] {
        let known: Set<String> = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a",
                                  "tg-spoiler", "span", "blockquote", "tg-emoji"]
        var stack: [String] = []
        var problems: [String] = []
        var i = html.startIndex
        while i < html.endIndex {
            let ch = html[i]
            if ch == "<" {
                guard let close = html[i...].firstIndex(of: ">") else { problems.append("a bare <"); break }
                var tag = String(html[html.index(after: i)..<close])
                let closing = tag.hasPrefix("/")
                if closing { tag.removeFirst() }
                let name = String(tag.prefix { $0 != " " })
                if !known.contains(name) { problems.append("unknown tag <\(name)>") }
                if closing {
                    if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes nothing open") }
                } else {
                    stack.append(name)
                }
                i = html.index(after: close)
                continue
            }
            if ch == "&" {
                let rest = html[i...].prefix(10)
                if !(rest.hasPrefix("&amp;") || rest.hasPrefix("&lt;") || rest.hasPrefix("&gt;") || rest.hasPrefix("&quot;")
                     || rest.hasPrefix("&#")) {
                    problems.append("a bare &")
                }
            }
            i = html.index(after: i)
        }
        if !stack.isEmpty { problems.append("unclosed <\(stack.joined(separator: ">, <"))>") }
        return problems
    }

    /// Every problem of a message catalog: a sample whose Russian has English words or bad HTML,
    /// an empty text, and a count of samples that differs from the cases the enum declares in
    /// `source` (repository-relative), so a message added without a sample is caught too.
    public static func catalogProblems<M: MessageCatalog>(_ type: M.Type, source: String, allow: Set<String> = []) -> [String] {
        var problems: [String] = []
        let declared = declaredCases(of: String(describing: M.self), in: Repository.root + "/" + source)
        let sampled = Set(M.samples.map(caseName))
        if declared.isEmpty { problems.append("\(M.self): no cases found in \(source)") }
        for name in declared.subtracting(sampled).sorted() { problems.append("\(M.self).\(name) has no sample") }
        for m in M.samples {
            let en = m.english, ru = m.russian
            let name = "\(M.self).\(caseName(m))"
            if en.isEmpty || ru.isEmpty { problems.append("\(name): empty text") }
            let words = englishWords(in: ru, allow: allow)
            if !words.isEmpty { problems.append("\(name): English in Russian: \(words.joined(separator: " ")) — \(ru)") }
            for p in htmlProblems(en) { problems.append("\(name) (en): \(p)") }
            for p in htmlProblems(ru) { problems.append("\(name) (ru): \(p)") }
        }
        return problems
    }

    /// Every message catalog in Sources (an enum declared `: MessageCatalog`), with its file and
    /// the number of messages it declares.
    public static func catalogs() -> [(name: String, file: String, messages: Int)] {
        let root = Repository.root
        guard let walker = FileManager.default.enumerator(atPath: root + "/Sources") else { return [] }
        var out: [(name: String, file: String, messages: Int)] = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            let file = "Sources/" + path
            guard let text = try? String(contentsOfFile: root + "/" + file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.contains("enum ") && line.contains(": MessageCatalog") {
                guard let r = line.range(of: "enum ") else { continue }
                let name = String(line[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                out.append((name, file, declaredCases(of: name, in: root + "/" + file).count))
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// How many messages a catalog declares (its `case` lines).
    public static func messageCount<M: MessageCatalog>(_ type: M.Type, source: String) -> Int {
        declaredCases(of: String(describing: M.self), in: Repository.root + "/" + source).count
    }

    static func caseName(_ value: some Any) -> String {
        let d = String(describing: value)
        return String(d.prefix { $0 != "(" })
    }

    /// The case names of `enum Name` in `path`: one `case name…` per line, by the catalogs' convention
    /// (a line `case a, b` would count once and fail the sample count, which is the point).
    static func declaredCases(of name: String, in path: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var inside = false
        var depth = 0
        var names: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if !inside {
                if t.contains("enum \(name)") { inside = true; depth = 0 } else { continue }
            }
            if depth == 1, t.hasPrefix("case ") || t.hasPrefix("indirect case ") {
                let n = t.drop(while: { $0 != " " }).dropFirst().drop(while: { !$0.isLetter }).dropFirst(t.hasPrefix("indirect") ? 5 : 0)
                    .prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !n.isEmpty { names.insert(String(n)) }
            }
            depth += t.filter { $0 == "{" }.count - t.filter { $0 == "}" }.count
            if inside && depth <= 0 && t.contains("}") { break }
        }
        return names
    }
}
