import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// A completion step from config (`UPDATE users SET balance = balance + {amount} WHERE id = {user}`)
/// turned into a query whose placeholders are bind parameters filled from the payment row.
enum CompletionSQL {
    static func placeholders(in s: String) -> [String] { Placeholders.names(in: s) }

    /// `{role}` → `$n` bound to `values[role]` (nil → NULL).
    static func query(_ template: String, values: [String: String?]) -> PostgresQuery {
        var fragments: [PostgresQuery.Fragment] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            fragments.append(.sql(String(rest[..<open])))
            let role = String(rest[rest.index(after: open)..<close])
            fragments.append(.bind(PostgresBind(text: values[role] ?? nil)))
            rest = rest[rest.index(after: close)...]
        }
        fragments.append(.sql(String(rest)))
        return PostgresQuery(fragments: fragments)
    }
}
