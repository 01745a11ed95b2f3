import Foundation
import OpsbotSupport

/// The result of running one argv.
public struct ProcessResult: Sendable, Hashable {
    public var exitCode: Int32
    /// Set when the process was killed by a signal (including our timeout kill).
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
    /// Output beyond the cap was dropped (the head is kept).
    public var truncated: Bool
    public var duration: Double

    public var succeeded: Bool { exitCode == 0 && signal == nil && !timedOut }

    /// A one-line description: `exit 0 in 0.2 s`, `killed after 30 s timeout`.
    public var summary: String {
        if timedOut { return "killed after the \(String(format: "%.0f", duration)) s timeout" }
        if let signal { return "killed by signal \(signal)" }
        return "exit \(exitCode) in \(String(format: "%.1f", duration)) s"
    }

    /// `summary` in the chat's language: `код 0 за 0,2 с`, `убит по таймауту 30 с`.
    public func summary(_ language: Language) -> String {
        guard language == .ru else { return summary }
        if timedOut { return "убит по таймауту \(LocalFormat.number(duration, decimals: 0, .ru)) с" }
        if let signal { return "убит сигналом \(signal)" }
        return "код \(exitCode) за \(LocalFormat.number(duration, decimals: 1, .ru)) с"
    }
}

public struct ProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
