/// The chat-facing phrases of OpsbotSupport: `plainWords(error)`, an error as an operator reads it.
public enum SupportText: MessageCatalog {
    case noSuchFile
    case permissionDenied
    case noSpace
    case readOnly
    case fileExists
    case notValidText
    case fileOperationFailed(code: Int)
    /// The C library's words for an errno (`strerror`, "Permission denied"), as they came.
    case systemError(String)

    public static var samples: [SupportText] {
        [.noSuchFile, .permissionDenied, .noSpace, .readOnly, .fileExists, .notValidText, .fileOperationFailed(code: 512),
         .systemError("Permission denied")]
    }
}
