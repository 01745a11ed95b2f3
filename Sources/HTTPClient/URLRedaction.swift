import Foundation
import OpsbotSupport

/// The URL as it may appear in an error: no query string, no user info, and the path
/// segment of a Bot API URL that holds the token (`/bot<token>/`) masked, whether or not
/// the token was registered with the Redactor.
enum URLRedaction {
    static func redact(_ url: String) -> String {
        var s = url
        if let q = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = String(s[..<q]) }
        if let scheme = s.range(of: "://") {
            let rest = s[scheme.upperBound...]
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            if let at = rest[..<hostEnd].lastIndex(of: "@") {
                s = String(s[..<scheme.upperBound]) + "[REDACTED]@" + String(rest[rest.index(after: at)...])
            }
        }
        if let r = s.range(of: "/bot") {
            let after = s[r.upperBound...]
            let end = after.firstIndex(of: "/") ?? after.endIndex
            if end > after.startIndex {
                s = String(s[..<r.upperBound]) + "[REDACTED]" + String(after[end...])
            }
        }
        return Redactor.shared.redact(s)
    }
}
