import Foundation

/// Reads environment files (`KEY=value` lines, `export` allowed, quotes stripped) for the
/// *names* that matter to opsbot: a PostgreSQL URL, a bot token. Values never leave here.
public enum EnvironmentScan {
    /// `KEY=value` pairs of a dotenv / systemd EnvironmentFile text.
    public static func parse(_ text: String) -> [(key: String, value: String)] {
        var out: [(String, String)] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard key.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else { continue }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f { value = String(value.dropFirst().dropLast()) }
            out.append((key, value))
        }
        return out
    }

    /// Names whose value is a PostgreSQL URL (`postgres://`, `postgresql://`, `postgresql+asyncpg://`),
    /// `DATABASE_URL` first.
    public static func databaseVariables(_ pairs: [(key: String, value: String)]) -> [String] {
        let names = pairs.filter { p in
            let v = p.value.lowercased()
            return v.hasPrefix("postgres://") || v.hasPrefix("postgresql://") || v.hasPrefix("postgresql+")
        }.map(\.key)
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.sorted { ($0 == "DATABASE_URL" ? 0 : 1, $0) < ($1 == "DATABASE_URL" ? 0 : 1, $1) }
    }

    /// The variable holding a Telegram bot token (`BOT_TOKEN`, `TELEGRAM_BOT_TOKEN`, …), if one is set.
    public static func botTokenVariable(_ pairs: [(key: String, value: String)]) -> String? {
        pairs.first { $0.key.uppercased().contains("BOT_TOKEN") && !$0.value.isEmpty }?.key
    }

    /// Reads `path` under `root` (the live systemd's overlay in tests, `/` otherwise).
    public static func read(_ path: String, root: String) -> [(key: String, value: String)]? {
        guard let text = try? String(contentsOfFile: root == "/" ? path : root + path, encoding: .utf8) else { return nil }
        return parse(text)
    }
}
