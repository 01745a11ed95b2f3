import Foundation

/// An error as an operator should read it. Foundation's file errors print as "The operation
/// could not be completed. (NSCocoaErrorDomain error 512.)"; this gives the reason instead.
/// English (logs, config errors); the chat uses `plainWordsText(error).text()`.
public func plainWords(_ error: Error) -> String {
    plainWordsText(error).en
}

/// `plainWords(error)` in every language: an error of a `Localizable` type keeps its Russian,
/// Foundation's file errors and errno texts are translated, anything else stays as it came.
public func plainWordsText(_ error: Error) -> LocalizedText {
    let ns = error as NSError
    guard ns.domain == NSCocoaErrorDomain else {
        let en = "\(error)"
        return LocalizedText(en: en, ru: (error as? any Localizable)?.russian ?? en)
    }
    if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
        return SupportText.systemError(String(cString: strerror(Int32(u.code))).lowercased()).localized
    }
    let m: SupportText = switch ns.code {
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: .noSuchFile
    case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: .permissionDenied
    case NSFileWriteOutOfSpaceError: .noSpace
    case NSFileWriteVolumeReadOnlyError: .readOnly
    case NSFileWriteFileExistsError: .fileExists
    case NSFileReadCorruptFileError, NSFileReadInapplicableStringEncodingError: .notValidText
    default: .fileOperationFailed(code: ns.code)
    }
    return m.localized
}
