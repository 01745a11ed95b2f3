import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension DatabaseText {
    var english: String {
        switch self {
        case .urlNotInEnvironment: "DATABASE_URL is not set in opsbot's environment"
        case .schemaListsNothing: "database.schema lists no tables and no migrations"
        case .urlNotSet: "DATABASE_URL is not set"
        case .failure(let e, let nothing): e.english + (nothing ? " Nothing was changed." : "")
        case .unknownFailure(let e, let nothing): "❔ " + e.english + (nothing ? " Nothing was changed." : "")
        case .redFailure(let e, let nothing): "🔴 " + e.english + (nothing ? " Nothing was changed." : "")
        case .schemaNothingToCheck(let source): "nothing to check: database.schema has no tables and no migrations in \(source) — the gate would pass vacuously"
        case .schemaDriftHeader(let n): "🔴 <b>schema drift</b> (\(n) columns checked)"
        case .reachable(let ms): String(format: "reachable, round trip %.0f ms", ms)
        case .unreachable(let e): "unreachable: " + e.english
        case .sqlFailed(let c, let e): "🔴 /\(c): \(e.english) Nothing was changed."
        case .sqlPreview(let s): "Will run in one transaction:\n<pre>\(HTML.escape(s))</pre>"
        case .sqlRunLabel: "Run"
        case .sqlDone(let c, let status, let rows): "✅ /\(c): \(status)" + (rows.map { " (\($0) row\($0 == 1 ? "" : "s"))" } ?? "")
        case .sqlNoRows(let c): "/\(c): no rows"
        case .sqlRows(let c, let n): "/\(c): \(n) row\(n == 1 ? "" : "s")"
        case .sqlMoreRows(let n): "\n… \(n) more rows not shown"
        case .sqlAsFile(let c, let n): HTML.escape("/\(c): \(n) row\(n == 1 ? "" : "s")") + " (as a file)"
        }
    }
}
