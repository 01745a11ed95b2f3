import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

extension SchemaText {
    public var english: String {
        switch self {
        case .relationMissing(let t): "relation \(t) does not exist"
        case .columnMissing(let t, let c): "\(t).\(c) is missing"
        case .columnType(let t, let c, let a, let e): "\(t).\(c) is \(a), expected \(e)"
        case .columnNullable(let t, let c, let allows): "\(t).\(c) " + (allows ? "allows NULL, expected NOT NULL" : "is NOT NULL, expected nullable")
        case .unmergedHeads(let heads): "code has \(heads.count) alembic heads (\(heads.joined(separator: ", "))): branches are not merged (alembic merge heads)"
        case .versionTableMissing(let t): "relation \(t) does not exist (no migration has run)"
        case .versionTableEmpty(let t, let heads): "\(t) is empty: no migration applied, code expects \(heads.joined(separator: ", "))"
        case .unknownRevision(let at, let want): "database at \(at), which the code's migrations do not contain (ahead of the code, or from another branch); code expects \(want)"
        case .behind(let at, let want, let n): "database at \(at), code expects \(want) (\(n) migration\(n == 1 ? "" : "s") behind)"
        case .ahead(let at, let want, let n): "database at \(at), code expects \(want) (database \(n) migration\(n == 1 ? "" : "s") ahead)"
        case .revisionDiffers(let at, let want): "database at \(at.joined(separator: ", ")), code expects \(want.joined(separator: ", "))"
        case .notChecked(let f, _): "schema not checked: \(f)"
        case .schemaOK(let n, let head): "schema OK (\(n) columns checked" + (head.map { ", at head \($0)" } ?? "") + ")"
        case .drift(let p, _): "schema drift: \(p)"
        case .driftMany(let n): "schema drift: \(n) problems"
        case .versionsDirUnreadable(let d): "cannot read the alembic versions directory \(d)"
        case .migrationUnreadable(let p): "cannot read \(p)"
        case .noRevisionLine(let f): "\(f): no `revision = '…'` line"
        case .noMigrationFiles(let d): "no migration files (*.py) in \(d)"
        }
    }
}
