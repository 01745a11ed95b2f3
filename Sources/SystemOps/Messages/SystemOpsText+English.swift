extension SystemOpsText {
    public var english: String {
        switch self {
        case .level(let l): l.rawValue
        case .since(let t): "since \(t)"
        }
    }
}
