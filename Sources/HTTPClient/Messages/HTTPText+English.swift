import OpsbotSupport

extension HTTPText {
    public var english: String {
        func within(_ s: Double?) -> String { s.map { " within \(HTTPText.seconds($0, .en))" } ?? " in time" }
        return switch self {
        case .hostDidNotResolve(let s): "the host name did not resolve\(within(s))"
        case .noConnection(let s): "no connection\(within(s))"
        case .incompleteAnswer(let s): "the answer was still incomplete after \(s.map { HTTPText.seconds($0, .en) } ?? "the timeout")"
        case .noAnswer(let s): "no answer\(within(s))"
        case .connectionRefused: "connection refused"
        case .couldNotConnect: "could not connect (nothing listening there, or unreachable)"
        case .hostDoesNotResolve: "the host name does not resolve"
        case .transferFailed: "the transfer failed"
        case .transfer(let text): text
        }
    }
}
