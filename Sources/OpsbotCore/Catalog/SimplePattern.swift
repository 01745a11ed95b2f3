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
