import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension SchemaText {
    public var russian: String {
        switch self {
        case .relationMissing(let t): "нет таблицы \(t)"
        case .columnMissing(let t, let c): "нет колонки \(t).\(c)"
        case .columnType(let t, let c, let a, let e): "колонка \(t).\(c) имеет тип \(a), а код ждёт \(e)"
        case .columnNullable(let t, let c, let allows): "колонка \(t).\(c) " + (allows ? "допускает NULL, а код ждёт NOT NULL" : "NOT NULL, а код ждёт, что она допускает NULL")
        case .unmergedHeads(let heads): "в коде \(Plural.ru(heads.count, "голова", "головы", "голов")) alembic (\(heads.joined(separator: ", "))): ветки миграций не слиты (alembic merge heads)"
        case .versionTableMissing(let t): "нет таблицы \(t) (ни одна миграция не запускалась)"
        case .versionTableEmpty(let t, let heads): "\(t) пуста: ни одна миграция не применена, код ждёт \(heads.joined(separator: ", "))"
        case .unknownRevision(let at, let want): "база на ревизии \(at), которой нет в миграциях кода (база впереди кода или с другой ветки); код ждёт \(want)"
        case .behind(let at, let want, let n): "база на ревизии \(at), код ждёт \(want) (отстаёт на \(Plural.ru(n, "миграцию", "миграции", "миграций")))"
        case .ahead(let at, let want, let n): "база на ревизии \(at), код ждёт \(want) (база впереди на \(Plural.ru(n, "миграцию", "миграции", "миграций")))"
        case .revisionDiffers(let at, let want): "база на ревизии \(at.joined(separator: ", ")), код ждёт \(want.joined(separator: ", "))"
        case .notChecked(_, let f): "схема не проверена: \(f)"
        case .schemaOK(let n, let head): "схема в порядке (проверено \(Plural.ru(n, "колонка", "колонки", "колонок"))" + (head.map { ", ревизия \($0)" } ?? "") + ")"
        case .drift(_, let p): "схема разошлась с кодом: \(p)"
        case .driftMany(let n): "схема разошлась с кодом: \(Plural.ru(n, "проблема", "проблемы", "проблем"))"
        case .versionsDirUnreadable(let d): "не удаётся прочитать каталог миграций alembic \(d)"
        case .migrationUnreadable(let p): "не удаётся прочитать \(p)"
        case .noRevisionLine(let f): "\(f): нет строки `revision = '…'`"
        case .noMigrationFiles(let d): "в \(d) нет файлов миграций (*.py)"
        }
    }
}
