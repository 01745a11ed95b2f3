import OpsbotSupport

extension SystemOpsText {
    public var russian: String {
        switch self {
        case .level(let l):
            switch l {
            case .error: "ошибки"
            case .warning: "предупреждения и ошибки"
            case .critical: "только критичные"
            }
        case .since(let t): "с \(t)"
        case .envMissing: "не задана"
        case .envEmpty: "задана, но пустая"
        case .envNotURL: "не URL (ожидается scheme://host…)"
        case .envSpaces: "с пробелами в начале или в конце"
        case .envNotInteger: "не целое число"
        case .envNotBool: "не true/false"
        case .envWrongLength(let n, let expected):
            "длиной \(Plural.ru(n, "байт", "байта", "байт")), а нужно ровно \(expected)"
        case .envInvalidPattern: "в правиле неверный шаблон"
        case .envWrongShape: "не того вида, что ожидается"
        }
    }
}
