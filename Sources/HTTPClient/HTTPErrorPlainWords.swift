import Foundation

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
    /// total timeout, said when libcurl's text gives no figure.
    public func plainWords(timeout: Double? = nil) -> String {
        func seconds(_ s: Double) -> String { s < 1 ? "\(Int((s * 1000).rounded())) ms" : "\(Int(s.rounded())) s" }
        let lower = message.lowercased()
        // The stage that ran out says which limit it was: the connect timeout (libcurl's figure) or the total.
        let connecting = lower.contains("resolving timed out") || lower.contains("connection timed out") || lower.contains("failed to connect")
        let after = (connecting ? afterSeconds ?? timeout : timeout ?? afterSeconds).map(seconds)
        switch kind {
        case .timeout:
            let within = after.map { " within \($0)" } ?? " in time"
            if lower.contains("resolving timed out") { return "the host name did not resolve\(within)" }
            if connecting { return "no connection\(within)" }
            if let r = lower.range(of: #"with (\d+) (out of \d+ )?bytes received"#, options: .regularExpression),
               !lower[r].hasPrefix("with 0 ") {
                return "the answer was still incomplete after \(after ?? "the timeout")"
            }
            return "no answer\(within)"
        case .connect:
            return lower.contains("refused") ? "connection refused" : "could not connect (nothing listening there, or unreachable)"
        case .dns:
            return "the host name does not resolve"
        case .other:
            // libcurl's sentence without the "METHOD URL: " this client puts in front.
            let text = message.range(of: #"^[A-Z]+ \S+: "#, options: .regularExpression).map { String(message[$0.upperBound...]) } ?? message
            return text.isEmpty ? "the transfer failed" : text
        }
    }
}
