import OpsbotSupport

extension PostgresText {
    public var russian: String {
        switch self {
        case .cannotConnect(let d): "не удаётся подключиться к базе: \(d)"
        case .connectionLost(let d): "соединение с базой потеряно: \(d)"
        case .sqlState(let m, let c): "\(m) (SQLSTATE \(c))"
        case .outOfMemory: "не хватило памяти"
        case .noConnection: "нет соединения"
        case .connectionClosed: "соединение закрыто"
        case .poolBusy(let n, let s): "все \(Plural.ru(n, "соединение", "соединения", "соединений")) с базой были заняты \(LocalFormat.duration(s, .ru))"
        case .queryDidNotFinish(let s): "запрос не завершился за \(LocalFormat.duration(s, .ru)); его отменили и разорвали соединение"
        case .queryCancelled(let s): "запрос выполнялся дольше \(LocalFormat.duration(s, .ru)) и был отменён"
        case .statementTimeout(let s): "запрос выполнялся дольше \(LocalFormat.duration(s, .ru)) и был отменён (statement_timeout)"
        case .noResult: "нет результата"
        case .noColumn(let c): "в результате нет колонки \(c)"
        case .columnIsNull(let c, let e): "колонка \(c) равна NULL, ожидалось \(e)"
        case .cannotRead(let c, let t, let e): "колонка \(c): не удаётся прочитать «\(t)» как \(e)"
        case .invalidIdentifier(let n): "недопустимый идентификатор «\(n)»"
        case .cannotQuote(let d): "не удаётся заключить идентификатор в кавычки: \(d)"
        case .unsupportedResult(let s): "неподдерживаемый результат (\(s))"
        }
    }
}
