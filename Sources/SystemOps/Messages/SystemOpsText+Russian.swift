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
        }
    }
}
