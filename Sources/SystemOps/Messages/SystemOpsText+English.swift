extension SystemOpsText {
    public var english: String {
        switch self {
        case .level(let l): l.rawValue
        case .since(let t): "since \(t)"
        case .envMissing: "missing"
        case .envEmpty: "set but empty"
        case .envNotURL: "is not a URL (expected scheme://host…)"
        case .envSpaces: "has leading or trailing spaces"
        case .envNotInteger: "is not an integer"
        case .envNotBool: "is not true/false"
        case .envWrongLength(let n, let expected): "is \(n) bytes long, expected exactly \(expected)"
        case .envInvalidPattern: "rule has an invalid pattern"
        case .envWrongShape: "does not have the expected shape"
        }
    }
}
