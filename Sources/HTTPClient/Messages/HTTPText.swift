import OpsbotSupport

/// What an HTTP failure reads as in the chat (`HTTPError.plainWordsText`): what timed out and
/// after how long, without libcurl's own sentence or the URL. Seconds are the figure said
/// ("within 5 s"); nil says "in time" / "the timeout".
public enum HTTPText: MessageCatalog {
    case hostDidNotResolve(within: Double?)
    case noConnection(within: Double?)
    case incompleteAnswer(after: Double?)
    case noAnswer(within: Double?)
    case connectionRefused
    case couldNotConnect
    case hostDoesNotResolve
    case transferFailed
    /// libcurl's sentence for anything else, as it came.
    case transfer(String)

    public static var samples: [HTTPText] {
        [.hostDidNotResolve(within: 3), .noConnection(within: 0.5), .incompleteAnswer(after: 10), .noAnswer(within: nil),
         .connectionRefused, .couldNotConnect, .hostDoesNotResolve, .transferFailed, .transfer("SSL certificate problem: unable to get local issuer certificate")]
    }

    /// `500 ms`, `5 s` / `500 мс`, `5 с`.
    static func seconds(_ s: Double, _ language: Language) -> String {
        let ms = language == .ru ? "мс" : "ms", sec = language == .ru ? "с" : "s"
        return s < 1 ? "\(Int((s * 1000).rounded())) \(ms)" : "\(Int(s.rounded())) \(sec)"
    }
}
