import Foundation
import OpsbotCore
import OpsbotSupport

/// The app's alembic revision graph, read from its `versions/` directory without Python:
/// each file's `revision = '…'` and `down_revision = '…' | None | ('a', 'b')` (a merge).
public struct AlembicHistory: Sendable {
    /// revision → the revisions it revises.
    public var parents: [String: [String]]

    public init(parents: [String: [String]]) { self.parents = parents }

    /// Revisions nothing revises: what `alembic heads` prints. More than one = unmerged branches.
    public var heads: [String] {
        let revised = Set(parents.values.flatMap { $0 })
        return parents.keys.filter { !revised.contains($0) }.sorted()
    }

    /// Revisions between `from` (exclusive) and `to` (inclusive) along the down links,
    /// nil when `from` is not an ancestor of `to`.
    public func distance(from: String, to: String) -> Int? {
        var seen: Set<String> = [to]
        var stack = [to]
        var reachable: Set<String> = []
        while let r = stack.popLast() {
            if r == from { continue }
            reachable.insert(r)
            for p in parents[r] ?? [] where !seen.contains(p) {
                seen.insert(p)
                stack.append(p)
            }
        }
        guard seen.contains(from) else { return nil }
        // Everything reachable from `to` minus what is reachable from `from`.
        var behindFrom: Set<String> = []
        stack = [from]
        while let r = stack.popLast() {
            for p in parents[r] ?? [] where !behindFrom.contains(p) {
                behindFrom.insert(p)
                stack.append(p)
            }
        }
        return reachable.subtracting(behindFrom).count
    }

    public struct ParseError: Error, CustomStringConvertible, Localizable {
        public var text: SchemaText
        public var description: String { text.english }
        public var english: String { text.english }
        public var russian: String { text.russian }
        init(_ text: SchemaText) { self.text = text }
    }

    /// Reads every `*.py` in `directory`.
    public static func load(directory: String) throws -> AlembicHistory {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw ParseError(.versionsDirUnreadable(directory: directory))
        }
        var parents: [String: [String]] = [:]
        for name in names.sorted() where name.hasSuffix(".py") && name != "__init__.py" {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ParseError(.migrationUnreadable(path: path))
            }
            guard let (rev, downs) = parse(text) else {
                throw ParseError(.noRevisionLine(file: name))
            }
            parents[rev] = downs
        }
        if parents.isEmpty { throw ParseError(.noMigrationFiles(directory: directory)) }
        return AlembicHistory(parents: parents)
    }

    /// `(revision, down_revisions)` from one migration file.
    static func parse(_ text: String) -> (String, [String])? {
        var revision: String?
        var downs: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let eq = line.firstIndex(of: "=") else { continue }
            // `revision: str = '…'` and `down_revision: Union[str, None] = …` too.
            var name = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
            let value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if name == "revision", revision == nil { revision = quoted(value).first }
            if name == "down_revision" { downs = quoted(value) }
        }
        return revision.map { ($0, downs) }
    }

    /// The quoted strings in `'a'`, `"a"`, `('a', 'b')`; none for `None`.
    static func quoted(_ s: String) -> [String] {
        var out: [String] = []
        var current: String?
        var quote: Character = "'"
        for ch in s {
            if var c = current {
                if ch == quote { out.append(c); current = nil } else { c.append(ch); current = c }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                current = ""
            } else if ch == "#" {
                break
            }
        }
        return out
    }
}
