/// Plural forms by the CLDR rules (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html).
public enum Plural {
    /// Russian integer categories: one (1, 21, 101…), few (2–4, 22–24…), many (0, 5–20, 25–30…).
    public enum RussianForm: Sendable, Hashable { case one, few, many }

    /// CLDR: one if n%10=1 and n%100≠11; few if n%10 in 2…4 and n%100 not in 12…14; else many.
    public static func russianForm(_ n: Int) -> RussianForm {
        let a = n.magnitude
        let d = a % 10, h = a % 100
        if d == 1 && h != 11 { return .one }
        if (2...4).contains(d) && !(12...14).contains(h) { return .few }
        return .many
    }

    /// "1 платёж", "2 платежа", "5 платежей".
    public static func ru(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        "\(n) " + ruWord(n, one, few, many)
    }

    /// The noun alone, for when the number is written elsewhere.
    public static func ruWord(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        switch russianForm(n) {
        case .one: one
        case .few: few
        case .many: many
        }
    }

    /// "1 payment", "5 payments" (CLDR English: one if n = 1).
    public static func en(_ n: Int, _ one: String, _ other: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : (other ?? one + "s"))
    }
}
