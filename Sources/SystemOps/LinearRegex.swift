import Foundation

/// A regular expression typed in the chat (`/logs worker /timeout|refused/`), matched in time
/// linear in the line's length, whatever the pattern: `(a+)+$` over a long line costs the
/// same as `a`. Backtracking engines (NSRegularExpression) take exponential time on such
/// patterns, so a chat message could pin a CPU core for hours.
///
/// The syntax is the common subset: literals, `.`, `[a-z]`, `[^…]`, `\d \w \s \D \W \S \b`,
/// escaped punctuation, `( )`, `(?: )`, `|`, `* + ?` (lazy forms accepted), `{n}`, `{n,}`,
/// `{n,m}`, `^`, `$`, and a leading `(?i)` for case-insensitive. Backreferences and lookaround
/// cannot be matched in linear time and are refused with a clear message.
public struct LinearRegex: Sendable, CustomStringConvertible {
    public let pattern: String
    let program: [Inst]
    let caseInsensitive: Bool
    /// The program flattened into plain arrays for the matching loop (no enum payload copies).
    let kinds: [UInt8], argA: [Int], argB: [Int], bitsLow: [UInt64], bitsHigh: [UInt64]

    public var description: String { pattern }

    public struct SyntaxError: Error, CustomStringConvertible {
        public var description: String
    }

    enum Inst: Sendable {
        case char(CharSet)
        case split(Int, Int)
        case jump(Int)
        case lineStart, lineEnd
        case wordBoundary(Bool)
        case match
    }

    /// A set of characters: ranges, class escapes, negation.
    struct CharSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [Character] = []   // d w s D W S
        var negated = false
        var any = false

        /// Membership of the 128 ASCII characters, precomputed (with and without case folding).
        var ascii: (UInt64, UInt64) = (0, 0)
        var asciiFolded: (UInt64, UInt64) = (0, 0)

        mutating func prepare() {
            var plain: (UInt64, UInt64) = (0, 0), folded: (UInt64, UInt64) = (0, 0)
            for v in 0..<128 {
                let u = Unicode.Scalar(UInt8(v))
                if slowContains(u, fold: false) { if v < 64 { plain.0 |= 1 << UInt64(v) } else { plain.1 |= 1 << UInt64(v - 64) } }
                if slowContains(u, fold: true) { if v < 64 { folded.0 |= 1 << UInt64(v) } else { folded.1 |= 1 << UInt64(v - 64) } }
            }
            ascii = plain
            asciiFolded = folded
        }

        @inline(__always) func contains(_ c: Unicode.Scalar, fold: Bool) -> Bool {
            let v = c.value
            if v < 128 {
                let bits = fold ? asciiFolded : ascii
                return v < 64 ? bits.0 & (1 << UInt64(v)) != 0 : bits.1 & (1 << UInt64(v - 64)) != 0
            }
            return slowContains(c, fold: fold)
        }

        func slowContains(_ c: Unicode.Scalar, fold: Bool) -> Bool {
            if any { return c != "\n" }
            var hit = test(c.value)
            if !hit, fold {
                let lower = Character(c).lowercased().unicodeScalars.first!.value
                let upper = Character(c).uppercased().unicodeScalars.first!.value
                hit = test(lower) || test(upper)
            }
            return hit != negated
        }

        private func test(_ v: UInt32) -> Bool {
            for r in ranges where r.contains(v) { return true }
            for k in classes where LinearRegex.inClass(k, v) { return true }
            return false
        }
    }

    /// Instructions a pattern may compile to (a `{n,m}` repeat copies its operand).
    static let maxProgram = 5000

    public init(_ pattern: String) throws {
        self.pattern = pattern
        var p = pattern
        if p.hasPrefix("(?i)") { caseInsensitive = true; p.removeFirst(4) } else { caseInsensitive = false }
        var parser = Parser(Array(p.unicodeScalars))
        let node = try parser.parseAlternation()
        if parser.i < parser.s.count { throw SyntaxError(description: "unbalanced ) at position \(parser.i + 1)") }
        var prog: [Inst] = []
        try LinearRegex.emit(node, into: &prog)
        prog.append(.match)
        program = prog
        var kinds: [UInt8] = [], a: [Int] = [], b: [Int] = [], lo: [UInt64] = [], hi: [UInt64] = []
        for inst in prog {
            var k: UInt8 = 0, x = 0, y = 0, l: UInt64 = 0, h: UInt64 = 0
            switch inst {
            case .char(let cs):
                k = 0
                (l, h) = caseInsensitive ? cs.asciiFolded : cs.ascii
            case .split(let p, let q): k = 1; x = p; y = q
            case .jump(let t): k = 2; x = t
            case .lineStart: k = 3
            case .lineEnd: k = 4
            case .wordBoundary(let want): k = 5; x = want ? 1 : 0
            case .match: k = 6
            }
            kinds.append(k); a.append(x); b.append(y); lo.append(l); hi.append(h)
        }
        self.kinds = kinds; argA = a; argB = b; bitsLow = lo; bitsHigh = hi
    }

    static func inClass(_ k: Character, _ v: UInt32) -> Bool {
        guard let u = Unicode.Scalar(v) else { return false }
        switch k {
        case "d": return (48...57).contains(v)
        case "D": return !(48...57).contains(v)
        case "w": return u.properties.isAlphabetic || (48...57).contains(v) || v == 95
        case "W": return !(u.properties.isAlphabetic || (48...57).contains(v) || v == 95)
        case "s": return u.properties.isWhitespace
        case "S": return !u.properties.isWhitespace
        default: return false
        }
    }

    // MARK: syntax tree

    indirect enum Node {
        case set(CharSet)
        case concat([Node])
        case alt([Node])
        case repeatN(Node, min: Int, max: Int?)
        case lineStart, lineEnd, wordBoundary(Bool)
        case empty
    }

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var depth = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }

        func err(_ m: String) -> SyntaxError { SyntaxError(description: m) }

        mutating func parseAlternation() throws -> Node {
            var branches = [try parseConcat()]
            while i < s.count, s[i] == "|" {
                i += 1
                branches.append(try parseConcat())
            }
            return branches.count == 1 ? branches[0] : .alt(branches)
        }

        mutating func parseConcat() throws -> Node {
            var items: [Node] = []
            while i < s.count, s[i] != "|", s[i] != ")" {
                var atom = try parseAtom()
                atom = try parseQuantifiers(atom)
                items.append(atom)
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
        }

        mutating func parseQuantifiers(_ atom: Node) throws -> Node {
            var atom = atom
            while i < s.count {
                let c = s[i]
                var q: (Int, Int?)?
                if c == "*" { q = (0, nil); i += 1 } else if c == "+" { q = (1, nil); i += 1 } else if c == "?" { q = (0, 1); i += 1 } else if c == "{", let b = try parseBraces() {
                    q = b
                }
                guard let (lo, hi) = q else { break }
                if case .lineStart = atom { throw err("nothing to repeat before position \(i)") }
                if i < s.count, s[i] == "?" { i += 1 }   // lazy: same matches
                if i < s.count, s[i] == "+" { throw err("possessive quantifiers are not supported") }
                atom = .repeatN(atom, min: lo, max: hi)
            }
            return atom
        }

        /// `{n}`, `{n,}`, `{n,m}`; nil (a literal `{`) when it is not a repeat.
        mutating func parseBraces() throws -> (Int, Int?)? {
            var j = i + 1
            func number() -> Int? {
                var n = ""
                while j < s.count, s[j].properties.numericType != nil, let d = Int(String(s[j])) { n += "\(d)"; j += 1 }
                return n.isEmpty ? nil : Int(n.prefix(6))
            }
            guard let lo = number() else { return nil }
            var hi: Int? = lo
            if j < s.count, s[j] == "," { j += 1; hi = number() }
            guard j < s.count, s[j] == "}" else { return nil }
            if let hi, hi < lo { throw err("{\(lo),\(hi)}: the maximum is below the minimum") }
            if lo > 1000 || (hi ?? 0) > 1000 { throw err("repeat counts above 1000 are not supported") }
            i = j + 1
            return (lo, hi)
        }

        mutating func parseAtom() throws -> Node {
            let c = s[i]
            switch c {
            case "(":
                i += 1
                if i < s.count, s[i] == "?" {
                    guard i + 1 < s.count, s[i + 1] == ":" else {
                        throw err("lookaround and other (?…) groups are not supported (only (?:…) and a leading (?i))")
                    }
                    i += 2
                }
                depth += 1
                guard depth <= 50 else { throw err("groups are nested too deeply") }
                let inner = try parseAlternation()
                guard i < s.count, s[i] == ")" else { throw err("missing )") }
                i += 1
                depth -= 1
                return inner
            case ")": throw err("unbalanced )")
            case "*", "+", "?": throw err("nothing to repeat before \(c) at position \(i + 1)")
            case ".":
                i += 1
                var cs = CharSet(); cs.any = true
                return .set(cs)
            case "^": i += 1; return .lineStart
            case "$": i += 1; return .lineEnd
            case "[": return .set(try parseClass())
            case "\\":
                i += 1
                guard i < s.count else { throw err("trailing \\") }
                let e = s[i]
                i += 1
                if e == "b" { return .wordBoundary(true) }
                if e == "B" { return .wordBoundary(false) }
                if let cs = try escape(e) { return .set(cs) }
                throw err("\\\(e) is not supported")
            default:
                i += 1
                return .set(CharSet(ranges: [c.value...c.value]))
            }
        }

        /// The set for an escape, nil for one that is not a character.
        func escape(_ e: Unicode.Scalar) throws -> CharSet? {
            switch e {
            case "d", "D", "w", "W", "s", "S": return CharSet(classes: [Character(e)])
            case "t": return CharSet(ranges: [9...9])
            case "n": return CharSet(ranges: [10...10])
            case "r": return CharSet(ranges: [13...13])
            case "1"..."9": throw err("backreferences (\\\(e)) are not supported")
            default:
                if e.properties.isAlphabetic || e.properties.numericType != nil { return nil }
                return CharSet(ranges: [e.value...e.value])
            }
        }

        mutating func parseClass() throws -> CharSet {
            i += 1
            var cs = CharSet()
            if i < s.count, s[i] == "^" { cs.negated = true; i += 1 }
            var first = true
            while i < s.count, s[i] != "]" || first {
                first = false
                var lo: UInt32
                if s[i] == "\\" {
                    i += 1
                    guard i < s.count else { throw err("trailing \\ in [ ]") }
                    guard let e = try escape(s[i]) else { throw err("\\\(s[i]) is not supported in [ ]") }
                    i += 1
                    if !e.classes.isEmpty { cs.classes += e.classes; continue }
                    lo = e.ranges[0].lowerBound
                } else {
                    lo = s[i].value
                    i += 1
                }
                if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                    i += 1
                    var hi: UInt32
                    if s[i] == "\\" {
                        i += 1
                        guard i < s.count, let e = try escape(s[i]), e.classes.isEmpty else { throw err("bad range in [ ]") }
                        hi = e.ranges[0].lowerBound
                    } else { hi = s[i].value }
                    i += 1
                    guard lo <= hi else { throw err("bad range in [ ]: the end is before the start") }
                    cs.ranges.append(lo...hi)
                } else {
                    cs.ranges.append(lo...lo)
                }
            }
            guard i < s.count else { throw err("missing ]") }
            i += 1
            return cs
        }
    }

    // MARK: compile

    static func emit(_ n: Node, into p: inout [Inst]) throws {
        guard p.count < maxProgram else { throw SyntaxError(description: "the pattern is too large (repeat counts expand it)") }
        switch n {
        case .empty: break
        case .set(var cs):
            cs.prepare()
            p.append(.char(cs))
        case .lineStart: p.append(.lineStart)
        case .lineEnd: p.append(.lineEnd)
        case .wordBoundary(let b): p.append(.wordBoundary(b))
        case .concat(let items): for x in items { try emit(x, into: &p) }
        case .alt(let branches):
            var jumps: [Int] = []
            for (k, b) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = p.count
                    p.append(.split(0, 0))
                    try emit(b, into: &p)
                    jumps.append(p.count)
                    p.append(.jump(0))
                    p[split] = .split(split + 1, p.count)
                } else {
                    try emit(b, into: &p)
                }
            }
            for j in jumps { p[j] = .jump(p.count) }
        case .repeatN(let x, let lo, let hi):
            for _ in 0..<lo { try emit(x, into: &p) }
            if let hi {
                var ends: [Int] = []
                for _ in lo..<hi {
                    let split = p.count
                    p.append(.split(0, 0))
                    try emit(x, into: &p)
                    p[split] = .split(split + 1, 0)
                    ends.append(split)
                }
                for e in ends { if case .split(let a, _) = p[e] { p[e] = .split(a, p.count) } }
            } else {
                let split = p.count
                p.append(.split(0, 0))
                try emit(x, into: &p)
                p.append(.jump(split))
                p[split] = .split(split + 1, p.count)
            }
        }
    }

    // MARK: match

    /// Whether the pattern matches anywhere in `line`. Time O(line length × pattern size).
    public func matches(_ line: String) -> Bool {
        let text = Array(line.unicodeScalars)
        let n = program.count
        var current = [Int](repeating: 0, count: n), next = [Int](repeating: 0, count: n)
        var currentCount = 0, nextCount = 0
        var mark = [Int](repeating: -1, count: n)
        var stack = [Int](repeating: 0, count: n * 2 + 2)
        var generation = 0
        let anchored = kinds[0] == 3

        func isWord(_ k: Int) -> Bool { k >= 0 && k < text.count && LinearRegex.inClass("w", text[k].value) }

        /// Adds `pc` and everything reachable from it without consuming a character.
        func add(_ start: Int, at pos: Int) -> Bool {
            var top = 0
            stack[top] = start; top += 1
            while top > 0 {
                top -= 1
                let pc = stack[top]
                if mark[pc] == generation { continue }
                mark[pc] = generation
                switch kinds[pc] {
                case 6: return true
                case 2: stack[top] = argA[pc]; top += 1
                case 1: stack[top] = argB[pc]; stack[top + 1] = argA[pc]; top += 2
                case 3: if pos == 0 { stack[top] = pc + 1; top += 1 }
                case 4: if pos == text.count { stack[top] = pc + 1; top += 1 }
                case 5: if (isWord(pos - 1) != isWord(pos)) == (argA[pc] == 1) { stack[top] = pc + 1; top += 1 }
                default: current[currentCount] = pc; currentCount += 1
                }
            }
            return false
        }

        for pos in 0...text.count {
            generation += 1
            currentCount = 0
            // Threads carried over from the previous character, then a fresh start here.
            for k in 0..<nextCount { if add(next[k], at: pos) { return true } }
            if !anchored || pos == 0 { if add(0, at: pos) { return true } }
            nextCount = 0
            guard pos < text.count, currentCount > 0 else {
                if anchored && pos > 0 { return false }
                continue
            }
            let c = text[pos]
            let v = c.value
            for k in 0..<currentCount {
                let pc = current[k]
                let hit: Bool
                if v < 64 { hit = bitsLow[pc] & (1 << UInt64(v)) != 0 } else if v < 128 { hit = bitsHigh[pc] & (1 << UInt64(v - 64)) != 0 } else {
                    if case .char(let cs) = program[pc] { hit = cs.slowContains(c, fold: caseInsensitive) } else { hit = false }
                }
                if hit { next[nextCount] = pc + 1; nextCount += 1 }
            }
        }
        return false
    }
}
