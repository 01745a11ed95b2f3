import Foundation

/// An error as an operator should read it. Foundation's file errors print as "The operation
/// could not be completed. (NSCocoaErrorDomain error 512.)"; this gives the reason instead.
public func plainWords(_ error: Error) -> String {
    let ns = error as NSError
    guard ns.domain == NSCocoaErrorDomain else { return "\(error)" }
    if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(u.code))).lowercased()
    }
    switch ns.code {
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
    case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
    case NSFileWriteOutOfSpaceError: return "no space left on the device"
    case NSFileWriteVolumeReadOnlyError: return "read-only file system"
    case NSFileWriteFileExistsError: return "the file already exists"
    case NSFileReadCorruptFileError, NSFileReadInapplicableStringEncodingError: return "the file is not valid text"
    default: return "the file operation failed (code \(ns.code))"
    }
}
