import Foundation
import OpsbotSupport

extension HTTPError {
    /// The seconds libcurl reports for a timeout ("… timed out after 1000 milliseconds …").
    public var afterSeconds: Double? {
        guard let r = message.range(of: #"after (\d+) (milliseconds|ms)"#, options: .regularExpression) else { return nil }
        let digits = message[r].split(separator: " ")[1]
        return Double(digits).map { $0 / 1000 }
    }

    /// What went wrong in an operator's words: what timed out and after how long, without
    /// libcurl's own text or the URL ("no answer within 5 s", "no connection within 3 s",
    /// "connection refused", "the host name does not resolve"). `timeout`: the request's
    /// total timeout, said when libcurl's text gives no figure. English (logs); the chat
    /// shows `plainWordsMessage(timeout:).text()`.
    public func plainWords(timeout: Double? = nil) -> String {
        plainWordsMessage(timeout: timeout).english
    }

    /// `plainWords` as a catalog message, for the chat in its language.
    public func plainWordsMessage(timeout: Double? = nil) -> HTTPText {
        let lower = message.lowercased()
        // The stage that ran out says which limit it was: the connect timeout (libcurl's figure) or the total.
        let connecting = lower.contains("resolving timed out") || lower.contains("connection timed out") || lower.contains("failed to connect")
        let after = connecting ? afterSeconds ?? timeout : timeout ?? afterSeconds
        switch kind {
        case .timeout:
            if lower.contains("resolving timed out") { return .hostDidNotResolve(within: after) }
            if connecting { return .noConnection(within: after) }
            if let r = lower.range(of: #"with (\d+) (out of \d+ )?bytes received"#, options: .regularExpression),
               !lower[r].hasPrefix("with 0 ") {
                return .incompleteAnswer(after: after)
            }
            return .noAnswer(within: after)
        case .connect:
            return lower.contains("refused") ? .connectionRefused : .couldNotConnect
        case .dns:
            return .hostDoesNotResolve
        case .other:
            // libcurl's sentence without the "METHOD URL: " this client puts in front.
            let text = message.range(of: #"^[A-Z]+ \S+: "#, options: .regularExpression).map { String(message[$0.upperBound...]) } ?? message
            return text.isEmpty ? .transferFailed : .transfer(text)
        }
    }
}
