import Foundation
import OpsbotSupport

/// SystemOps' chat-facing words: the `/logs` filter as its reply header describes it.
public enum SystemOpsText: MessageCatalog {
    case level(LineFilter.Level)
    case since(String)

    public static var samples: [SystemOpsText] {
        LineFilter.Level.allCases.map { .level($0) } + [.since("2026-12-07 14:03:00")]
    }
}
