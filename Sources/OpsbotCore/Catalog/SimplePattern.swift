/// Checks at catalog load that need no ICU: compiling an `NSRegularExpression` wakes ICU
/// (megabytes resident for the life of the process), and loading the catalog must not do
/// that just to learn that `[A-Za-z0-9_.:-]{1,191}` is a valid pattern. Anything these
/// checks do not recognise goes to `NSRegularExpression` as before, so what is accepted and
/// refused is unchanged.
enum SimplePattern {
    /// True only for patterns in a small subset every ICU version compiles: literals, `.`,
    /// `\d \s \w \D \S \W`, escaped ASCII punctuation, bracket classes of literals, ranges and
    /// those escapes (no nested sets, no `&&` or `--`), each optionally followed by one of
    /// `? * + {n} {n,} {n,m}`. False means "ask ICU", not "invalid".
    static func isCertainlyValid(_ pattern: String) -> Bool {
        let s = Array(pattern.unicodeScalars)
        guard !s.isEmpty, s.count <= 512 else { return false }
        var i = 0
        let meta: Set<Unicode.Scalar> = [".", "^", "$", "|", "(", ")", "[", "]", "{", "}", "*", "+", "?", "\\"]
        while i < s.count {
            // One atom.
            let c = s[i]
            if c == "\\" {
                guard i + 1 < s.count, isSafeEscape(s[i + 1]) else { return false }
                i += 2
            } else if c == "[" {
                guard let end = classEnd(s, from: i) else { return false }
                i = end + 1
            } else if c == "." || !meta.contains(c) {
                guard c.isASCII || c.properties.isAlphabetic else { return false }
                i += 1
            } else {
                return false
            }
            // At most one quantifier.
            if i < s.count {
                switch s[i] {
                case "?", "*", "+": i += 1
                case "{":
                    guard let end = braceEnd(s, from: i) else { return false }
                    i = end + 1
                default: break
                }
                if i < s.count, ["?", "*", "+", "{"].contains(s[i]) { return false }
            }
        }
        return true
    }

    /// `\d \s \w \D \S \W`, or an escaped ASCII punctuation character.
    private static func isSafeEscape(_ c: Unicode.Scalar) -> Bool {
        if "dswDSW".unicodeScalars.contains(c) { return true }
        return c.isASCII && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(c)
    }

    /// The index of the `]` closing the class at `from`, when the class is in the subset.
    private static func classEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start + 1
        if i < s.count, s[i] == "^" { i += 1 }
        var items = 0
        var previous: Unicode.Scalar? = nil  // a literal that may start a range
        while i < s.count {
            let c = s[i]
            if c == "]" { return items > 0 ? i : nil }
            if c == "[" || c == "&" { return nil }
            if c == "\\" {
                guard i + 1 < s.count, isSafeEscape(s[i + 1]) else { return nil }
                previous = nil  // no ranges from escapes: ask ICU about those
                i += 2
            } else if c == "-" {
                let last = i + 1 < s.count && s[i + 1] == "]"
                if items == 0 || last {
                    previous = nil  // a literal '-' first or last
                    i += 1
                } else {
                    // A range: a literal before, a plain literal after, in order.
                    guard let low = previous, i + 1 < s.count else { return nil }
                    let high = s[i + 1]
                    guard high.isASCII, high != "\\", high != "[", high != "]", high != "-", high != "&", low.value <= high.value else { return nil }
                    previous = nil
                    i += 2
                }
            } else {
                guard c.isASCII else { return nil }
                previous = c
                i += 1
            }
            items += 1
        }
        return nil
    }

    /// The index of the `}` closing `{n}`, `{n,}` or `{n,m}` (n ≤ m, short numbers) at `from`.
    private static func braceEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        guard let close = s[start...].firstIndex(of: "}") else { return nil }
        let body = String(String.UnicodeScalarView(s[(start + 1)..<close]))
        let parts = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        func number(_ t: Substring) -> Int? { t.count <= 4 && t.allSatisfy(\.isASCII) ? Int(t) : nil }
        guard let low = parts.first.flatMap(number) else { return nil }
        if parts.count == 2 && !parts[1].isEmpty {
            guard let high = number(parts[1]), low <= high else { return nil }
        }
        return close
    }

    /// `^(?:pattern)$` matched without ICU, or nil when this cannot answer for sure (the
    /// pattern is outside the subset, or the text holds anything but printable ASCII, where
    /// ICU's Unicode classes and line-end rules would need copying). On printable ASCII, `\d`
    /// is 0-9, `\s` the space, `\w` letters, digits and `_`, `.` any character: as in ICU.
    static func wholeMatch(_ text: String, _ pattern: String) -> Bool? {
        guard isCertainlyValid(pattern), let atoms = atoms(pattern) else { return nil }
        let t = Array(text.utf8)
        guard t.count <= 4096, t.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { return nil }
        // reachable[j]: the atoms so far can consume exactly t[0..<j].
        var reachable = [Bool](repeating: false, count: t.count + 1)
        reachable[0] = true
        for atom in atoms {
            var next = [Bool](repeating: false, count: t.count + 1)
            for j in 0...t.count where reachable[j] {
                if atom.min == 0 { next[j] = true }
                var k = j
                while k < t.count, k - j < atom.max, atom.accepts(t[k]) {
                    k += 1
                    if k - j >= atom.min { next[k] = true }
                }
            }
            reachable = next
        }
        return reachable[t.count]
    }

    /// One atom with its repetition bounds; `accepts` decides one printable ASCII byte.
    struct Atom {
        var accepts: (UInt8) -> Bool
        var min = 1, max = 1
    }

    /// The subset's atoms (call after `isCertainlyValid`); nil for what it does not model.
    static func atoms(_ pattern: String) -> [Atom]? {
        let s = Array(pattern.unicodeScalars)
        var out: [Atom] = []
        var i = 0
        func single(_ c: Unicode.Scalar) -> ((UInt8) -> Bool)? {
            guard c.isASCII else { return nil }
            let v = UInt8(c.value)
            return { $0 == v }
        }
        func escape(_ c: Unicode.Scalar) -> ((UInt8) -> Bool)? {
            switch c {
            case "d": return { $0 >= 0x30 && $0 <= 0x39 }
            case "D": return { !($0 >= 0x30 && $0 <= 0x39) }
            case "s": return { $0 == 0x20 }
            case "S": return { $0 != 0x20 }
            case "w": return { isWord($0) }
            case "W": return { !isWord($0) }
            default: return single(c)
            }
        }
        while i < s.count {
            var atom: Atom
            if s[i] == "\\" {
                guard let f = escape(s[i + 1]) else { return nil }
                atom = Atom(accepts: f)
                i += 2
            } else if s[i] == "[" {
                var j = i + 1
                let negated = s[j] == "^"
                if negated { j += 1 }
                var tests: [(UInt8) -> Bool] = []
                var first = true
                while s[j] != "]" {
                    if s[j] == "\\" {
                        guard let f = escape(s[j + 1]) else { return nil }
                        tests.append(f)
                        j += 2
                    } else if s[j] == "-" && (first || s[j + 1] == "]") {
                        tests.append({ $0 == 0x2D })
                        j += 1
                    } else if j + 2 < s.count, s[j + 1] == "-", s[j + 2] != "]" {
                        guard s[j].isASCII, s[j + 2].isASCII else { return nil }
                        let lo = UInt8(s[j].value), hi = UInt8(s[j + 2].value)
                        tests.append({ $0 >= lo && $0 <= hi })
                        j += 3
                    } else {
                        guard let f = single(s[j]) else { return nil }
                        tests.append(f)
                        j += 1
                    }
                    first = false
                }
                let all = tests
                atom = Atom(accepts: { b in all.contains { $0(b) } != negated })
                i = j + 1
            } else if s[i] == "." {
                atom = Atom(accepts: { _ in true })
                i += 1
            } else {
                guard let f = single(s[i]) else { return nil }
                atom = Atom(accepts: f)
                i += 1
            }
            if i < s.count {
                switch s[i] {
                case "?": (atom.min, atom.max) = (0, 1); i += 1
                case "*": (atom.min, atom.max) = (0, Int.max); i += 1
                case "+": (atom.min, atom.max) = (1, Int.max); i += 1
                case "{":
                    let close = s[i...].firstIndex(of: "}")!
                    let parts = String(String.UnicodeScalarView(s[(i + 1)..<close])).split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                    atom.min = Int(parts[0])!
                    atom.max = parts.count == 1 ? atom.min : (parts[1].isEmpty ? Int.max : Int(parts[1])!)
                    i = close + 1
                default: break
                }
            }
            out.append(atom)
        }
        return out
    }

    private static func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    /// `^[a-z0-9_]{1,32}$` as ICU matches it (its `$` also matches before one final line
    /// terminator), by hand.
    static func isCommandName(_ name: String) -> Bool {
        var scalars = Array(name.unicodeScalars)
        if scalars.count >= 2, scalars[scalars.count - 2] == "\r", scalars.last == "\n" {
            scalars.removeLast(2)
        } else if let last = scalars.last, ["\n", "\u{B}", "\u{C}", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(last) {
            scalars.removeLast()
        }
        return (1...32).contains(scalars.count)
            && scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
