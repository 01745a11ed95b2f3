/// `{name}` placeholders in operator-written templates (argv elements, completion SQL).
public enum Placeholders {
    /// The names in `s`, in order: `"{a}-{b}"` → `["a", "b"]`.
    public static func names(in s: String) -> [String] {
        var out: [String] = []
        var rest = s[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }
}
