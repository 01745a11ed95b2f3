import OpsbotSupport

extension HTTPText {
    public var russian: String {
        func within(_ s: Double?) -> String { s.map { " за \(HTTPText.seconds($0, .ru))" } ?? " вовремя" }
        return switch self {
        case .hostDidNotResolve(let s): "имя хоста не разрешилось\(within(s))"
        case .noConnection(let s): "не удалось подключиться\(within(s))"
        case .incompleteAnswer(let s): "ответ пришёл не целиком: " + (s.map { "прошло \(HTTPText.seconds($0, .ru))" } ?? "время вышло")
        case .noAnswer(let s): "нет ответа\(within(s))"
        case .connectionRefused: "в соединении отказано"
        case .couldNotConnect: "не удалось подключиться (там никто не слушает, или адрес недоступен)"
        case .hostDoesNotResolve: "имя хоста не разрешается (DNS)"
        case .transferFailed: "передача не удалась"
        case .transfer(let text): "ошибка передачи: \(text)"
        }
    }
}
