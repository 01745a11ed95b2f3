import Foundation
import Yams

/// Decodes config values straight from YAML nodes and remembers, for every mapping, which keys
/// the decoding type asked for (`contains`, `decode`, `decodeIfPresent`). When a value has been
/// decoded successfully, every key of its mapping that nobody asked for is an unknown key — so
/// any `Decodable` with `CodingKeys` rejects typos (`approvr:`, `role:`) without doing anything.
///
/// Keys read through `allKeys` (mappings whose keys are data: service names, table names) count
/// as asked once they are decoded, like any other key.
public final class ConfigDecodingSession: @unchecked Sendable {
    /// The file named in errors.
    public let file: String
    /// Prepended to every path (`alerts` when a section is decoded on its own).
    let prefix: String

    struct Seen {
        var mapping: Node.Mapping
        /// The path with data keys as `*` and list indices as `[]` (`services.*.health[]`).
        var pattern: String
        var asked: Set<String> = []
        var completed = false
    }

    private var seen: [String: Seen] = [:]
    /// Problems of list items and mapping values, collected so that one bad item does not
    /// hide the others (`opsbot validate` reports every problem in one run).
    public private(set) var itemErrors: [ConfigError] = []
    private var order: [String] = []
    private var lines: [String: Int] = [:]
    private var keyLines: [String: Int] = [:]
    /// Mappings whose keys are data (decoded as dictionaries or through `allKeys`).
    private var dataKeyed: Set<String> = []

    public init(file: String, prefix: String = "") {
        self.file = file
        self.prefix = prefix
    }

    /// Decodes `node` as `T`; throws the first decoding problem as a `ConfigError` with its line.
    public func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        let d = ConfigNodeDecoder(node: node, codingPath: [], session: self)
        do {
            let v = try d.decodeValue(T.self)
            return v
        } catch {
            throw configError(error)
        }
    }

    /// Decodes the top-level section `key`; paths in errors start with it.
    public func decodeSection<T: Decodable>(_ key: String, as type: T.Type, from node: Node) throws -> T {
        let d = ConfigNodeDecoder(node: node, codingPath: [AnyKey(key)], session: self)
        do { return try d.decodeValue(T.self) } catch { throw configError(error) }
    }

    /// Keys present in a decoded mapping that its type never asked for, each with a suggestion.
    public var unknownKeys: [ConfigError] {
        var out: [ConfigError] = []
        for path in order {
            guard let s = seen[path], s.completed else { continue }
            let asked = s.asked
            for (k, _) in s.mapping {
                guard let name = k.string, !asked.contains(name) else { continue }
                let keyPath = path.isEmpty ? name : path + "." + name
                var msg = "unknown key \"\(name)\""
                if let best = ConfigDecodingSession.suggestion(for: name, among: asked) {
                    msg += " (did you mean \"\(best)\"?)"
                } else if !asked.isEmpty {
                    msg += " (known: \(asked.sorted().joined(separator: ", ")))"
                }
                out.append(ConfigError(file: file, key: keyPath, message: msg, line: k.mark?.line))
            }
        }
        return out
    }

    /// Keys the types asked for that no mapping of the same shape in the document has, as
    /// `services.*.unit` — the test that the example file documents every key.
    public var askedButAbsent: [String] {
        var asked: [String: Set<String>] = [:], present: [String: Set<String>] = [:], patterns: [String] = []
        for path in order {
            guard let s = seen[path], !dataKeyed.contains(path) else { continue }
            if asked[s.pattern] == nil { patterns.append(s.pattern) }
            asked[s.pattern, default: []].formUnion(s.asked)
            present[s.pattern, default: []].formUnion(s.mapping.keys.compactMap(\.string))
        }
        return patterns.flatMap { p in asked[p, default: []].subtracting(present[p, default: []]).sorted().map { p.isEmpty ? $0 : p + "." + $0 } }
    }

    /// Every key present in the document and asked for, with its line (the typo table's input).
    public var knownPresentKeys: [(path: String, key: String, line: Int, column: Int)] {
        var out: [(String, String, Int, Int)] = []
        for path in order {
            guard let s = seen[path], s.completed, !dataKeyed.contains(path) else { continue }
            for (k, _) in s.mapping {
                guard let name = k.string, s.asked.contains(name), let m = k.mark else { continue }
                out.append((path, name, m.line, m.column))
            }
        }
        return out
    }

    /// A decoding error as a `ConfigError` naming the key and its line. When the mapping the
    /// error arose in has a misspelt key (`pidfle:` and then "needs match or pidfile"), the
    /// misspelling is the cause and is reported instead.
    public func configError(_ error: Error) -> ConfigError {
        var codingPath: [CodingKey] = []
        switch error {
        case DecodingError.keyNotFound(_, let ctx), DecodingError.dataCorrupted(let ctx),
             DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            codingPath = ctx.codingPath
        default: break
        }
        while true {
            if let typo = misspelling(in: path(codingPath)) { return typo }
            if codingPath.isEmpty { break }
            codingPath.removeLast()
        }
        var e = ConfigError.from(error, file: file, prefix: prefix)
        if e.line == nil { e.line = line(for: e.key) }
        return e
    }

    /// An unasked key of the mapping at `path` that is close to a key its type asked for.
    func misspelling(in path: String) -> ConfigError? {
        guard let s = seen[path], !dataKeyed.contains(path) else { return nil }
        for (k, _) in s.mapping {
            guard let name = k.string, !s.asked.contains(name),
                  let best = ConfigDecodingSession.suggestion(for: name, among: s.asked) else { continue }
            return ConfigError(file: file, key: path.isEmpty ? name : path + "." + name,
                               message: "unknown key \"\(name)\" (did you mean \"\(best)\"?)", line: k.mark?.line)
        }
        return nil
    }

    /// The line of `path`, or of its nearest ancestor that the decoder visited.
    func line(for path: String) -> Int? {
        var p = path
        while true {
            if let l = keyLines[p] ?? lines[p] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return lines[""] }
            p = String(p[..<cut])
        }
    }

    // MARK: - bookkeeping from the decoder

    func path(_ codingPath: [CodingKey]) -> String { ConfigError.render(codingPath, prefix: prefix) }

    func visited(_ codingPath: [CodingKey], _ node: Node) {
        let p = path(codingPath)
        if lines[p] == nil, let l = node.mark?.line { lines[p] = l }
    }

    func opened(_ codingPath: [CodingKey], _ mapping: Node.Mapping, dataKeys: Bool) {
        let p = path(codingPath)
        if dataKeys { dataKeyed.insert(p) }
        if seen[p] == nil {
            seen[p] = Seen(mapping: mapping, pattern: pattern(codingPath))
            order.append(p)
            for (k, _) in mapping {
                if let name = k.string, let l = k.mark?.line { keyLines[p.isEmpty ? name : p + "." + name] = l }
            }
        }
    }

    func pattern(_ codingPath: [CodingKey]) -> String {
        var out = prefix, concrete: [CodingKey] = []
        for k in codingPath {
            if k.intValue != nil && k.stringValue == "\(k.intValue!)" { out += "[]" } else {
                let name = dataKeyed.contains(path(concrete)) && !concrete.isEmpty ? "*" : k.stringValue
                out += out.isEmpty ? name : "." + name
            }
            concrete.append(k)
        }
        return out
    }

    func asked(_ codingPath: [CodingKey], _ key: String) {
        seen[path(codingPath)]?.asked.insert(key)
    }

    func completed(_ codingPath: [CodingKey]) {
        seen[path(codingPath)]?.completed = true
    }

    func recordItemError(_ error: Error) {
        let e = configError(error)
        if !itemErrors.contains(e) { itemErrors.append(e) }
    }

    /// Whether the mapping at `path` was decoded to the end (the typo table uses it).
    public func isCompleted(_ path: String) -> Bool { seen[path]?.completed ?? false }

    /// The closest known key within a small edit distance.
    static func suggestion(for name: String, among known: Set<String>) -> String? {
        let limit = max(2, name.count / 3)
        var best: (String, Int)?
        for k in known.sorted() {
            let d = editDistance(name.lowercased(), k.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (k, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}

/// The `Decoder` over one node. Scalars convert the way Yams converts them.
struct ConfigNodeDecoder: Decoder, SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    let session: ConfigDecodingSession
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: Node, codingPath: [CodingKey], session: ConfigDecodingSession) {
        self.node = node
        self.codingPath = codingPath
        self.session = session
        session.visited(codingPath, node)
    }

    /// Decodes this node as `T`; when that succeeds, its mapping's leftover keys become reportable.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Node.self { return node as! T }
        if let s = T.self as? ScalarConstructible.Type {
            return try scalar(s) as! T
        }
        if let c = T.self as? ItemCollecting.Type {
            let v = try c.decodeCollecting(self) as! T
            session.completed(codingPath)
            return v
        }
        let v = try T(from: self)
        session.completed(codingPath)
        return v
    }

    func child(_ node: Node, _ key: CodingKey) -> ConfigNodeDecoder {
        ConfigNodeDecoder(node: node, codingPath: codingPath + [key], session: session)
    }

    func scalar(_ t: ScalarConstructible.Type) throws -> Any {
        guard let s = node.scalar, let v = t.construct(from: s) else {
            throw DecodingError.typeMismatch(t, .init(codingPath: codingPath, debugDescription: "found \(ConfigNodeDecoder.describe(node))"))
        }
        return v
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): s.string.isEmpty ? "nothing" : "\"\(s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string)\""
        case .alias: "an alias"
        }
    }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let m = node.mapping?.mergingKeys() else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping, found \(ConfigNodeDecoder.describe(node))"))
        }
        // Dictionaries and AnyKey readers treat keys as data (service names, table names).
        let dataKeys = Key.self == AnyKey.self || String(describing: Key.self).contains("DictionaryCodingKey")
        session.opened(codingPath, m, dataKeys: dataKeys)
        return KeyedDecodingContainer(Keyed<Key>(decoder: self, mapping: m))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard let s = node.sequence else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected a list, found \(ConfigNodeDecoder.describe(node))"))
        }
        return Unkeyed(decoder: self, items: Array(s))
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { node.null == NSNull() }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try number(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try number(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try number(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try number(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try number(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try number(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    private func number<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let wide: Int64 = try decodeValue(Int64.self)
        guard let v = T(exactly: wide) else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "\(wide) is out of range"))
        }
        return v
    }

    // MARK: containers

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: ConfigNodeDecoder
        let mapping: Node.Mapping
        var codingPath: [CodingKey] { decoder.codingPath }
        var allKeys: [Key] { mapping.keys.compactMap { $0.string.flatMap(Key.init(stringValue:)) } }

        func contains(_ key: Key) -> Bool {
            decoder.session.asked(codingPath, key.stringValue)
            return mapping.value(key.stringValue) != nil
        }

        private func node(_ key: Key) throws -> Node {
            decoder.session.asked(codingPath, key.stringValue)
            guard let n = mapping.value(key.stringValue) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "is required"))
            }
            return n
        }

        func decodeNil(forKey key: Key) throws -> Bool { try node(key).null == NSNull() }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decode(type, key) }

        private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            try decoder.child(try node(key), key).decode(type)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            let d = decoder.child(try node(key), key)
            // A nested container is read in place: its keys are checked once its owner is done.
            let c = try d.container(keyedBy: type)
            decoder.session.completed(d.codingPath)
            return c
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            try decoder.child(try node(key), key).unkeyedContainer()
        }

        func superDecoder() throws -> Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> Decoder { decoder.child(try node(key), key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: ConfigNodeDecoder
        let items: [Node]
        var currentIndex = 0
        var codingPath: [CodingKey] { decoder.codingPath }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        private mutating func next() throws -> ConfigNodeDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list is shorter than expected"))
            }
            let d = decoder.child(items[currentIndex], IndexKey(intValue: currentIndex))
            currentIndex += 1
            return d
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { return false }
            if items[currentIndex].null == NSNull() { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let d = try next()
            let c = try d.container(keyedBy: type)
            decoder.session.completed(d.codingPath)
            return c
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }

    struct IndexKey: CodingKey {
        var stringValue: String { "\(intValue!)" }
        var intValue: Int?
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
}

extension Node.Mapping {
    /// YAML merge keys (`<<: *defaults`) applied: the merged mappings' keys that the mapping
    /// does not set itself, so a shared block of settings reads like written-out keys.
    func mergingKeys() -> Node.Mapping {
        guard contains(where: { $0.key.string == "<<" }) else { return self }
        var pairs: [(Node, Node)] = filter { $0.key.string != "<<" }.map { ($0.key, $0.value) }
        var present = Set(pairs.compactMap { $0.0.string })
        for (k, v) in self where k.string == "<<" {
            let sources = v.sequence.map(Array.init) ?? [v]
            for src in sources {
                for (mk, mv) in src.mapping?.mergingKeys() ?? Node.Mapping([]) where !present.contains(mk.string ?? "") {
                    pairs.append((mk, mv))
                    if let name = mk.string { present.insert(name) }
                }
            }
        }
        return Node.Mapping(pairs, tag, style, mark)
    }

    /// The value under a string key (the last one when a key is repeated).
    package func value(_ key: String) -> Node? {
        var found: Node?
        for (k, v) in self where k.string == key { found = v }
        return found
    }
}

/// Lists and string-keyed mappings decode item by item: a bad item is recorded in the session
/// and left out, and decoding goes on with the next — the others' problems are found too.
protocol ItemCollecting {
    static func decodeCollecting(_ d: ConfigNodeDecoder) throws -> Any
}

extension Array: ItemCollecting where Element: Decodable {
    static func decodeCollecting(_ d: ConfigNodeDecoder) throws -> Any {
        var c = try d.unkeyedContainer()
        var out: [Element] = []
        while !c.isAtEnd {
            let index = c.currentIndex
            do { out.append(try c.decode(Element.self)) } catch {
                d.session.recordItemError(error)
                if c.currentIndex == index { _ = try? c.decode(SkipItem.self) }
            }
        }
        return out
    }
}

extension Dictionary: ItemCollecting where Key == String, Value: Decodable {
    static func decodeCollecting(_ d: ConfigNodeDecoder) throws -> Any {
        let c = try d.container(keyedBy: AnyKey.self)
        var out: [String: Value] = [:]
        for k in c.allKeys {
            do { out[k.stringValue] = try c.decode(Value.self, forKey: k) } catch { d.session.recordItemError(error) }
        }
        return out
    }
}

/// Consumes one list item without looking at it.
private struct SkipItem: Decodable {
    init(from decoder: Decoder) throws {}
}
