extension SupportText {
    public var english: String {
        switch self {
        case .noSuchFile: "no such file or directory"
        case .permissionDenied: "permission denied"
        case .noSpace: "no space left on the device"
        case .readOnly: "read-only file system"
        case .fileExists: "the file already exists"
        case .notValidText: "the file is not valid text"
        case .fileOperationFailed(let code): "the file operation failed (code \(code))"
        case .systemError(let words): words
        }
    }
}
