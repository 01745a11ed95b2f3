import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension DatabaseText {
    var russian: String {
        switch self {
        case .urlNotInEnvironment: "в окружении opsbot не задан DATABASE_URL"
        case .schemaListsNothing: "в database.schema не перечислено ни таблиц, ни миграций"
        case .urlNotSet: "DATABASE_URL не задан"
        case .failure(let e, let nothing): e.russian + (nothing ? " Ничего не изменено." : "")
        case .unknownFailure(let e, let nothing): "❔ " + e.russian + (nothing ? " Ничего не изменено." : "")
        case .redFailure(let e, let nothing): "🔴 " + e.russian + (nothing ? " Ничего не изменено." : "")
        case .schemaNothingToCheck(let source): "нечего проверять: в database.schema в \(source) нет ни таблиц, ни миграций — проверка прошла бы впустую"
        case .schemaDriftHeader(let n): "🔴 <b>схема разошлась с кодом</b> (проверено \(Plural.ru(n, "колонка", "колонки", "колонок")))"
        case .reachable(let ms): "доступна, отклик \(Int(ms.rounded())) мс"
        case .unreachable(let e): "недоступна: " + e.russian
        case .sqlFailed(let c, let e): "🔴 /\(c): \(e.russian) Ничего не изменено."
        case .sqlPreview(let s): "Выполнится в одной транзакции:\n<pre>\(HTML.escape(s))</pre>"
        case .sqlRunLabel: "Выполнить"
        case .sqlDone(let c, let status, let rows): "✅ /\(c): \(status)" + (rows.map { " (\(Plural.ru($0, "строка", "строки", "строк")))" } ?? "")
        case .sqlNoRows(let c): "/\(c): строк нет"
        case .sqlRows(let c, let n): "/\(c): \(Plural.ru(n, "строка", "строки", "строк"))"
        case .sqlMoreRows(let n): "\n… ещё \(Plural.ru(n, "строка", "строки", "строк")) \(Plural.ruWord(n, "не показана", "не показаны", "не показано"))"
        case .sqlAsFile(let c, let n): HTML.escape("/\(c): \(Plural.ru(n, "строка", "строки", "строк"))") + " (файлом)"
        }
    }
}
