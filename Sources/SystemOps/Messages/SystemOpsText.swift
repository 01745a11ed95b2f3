import Foundation
import OpsbotSupport

/// SystemOps' chat-facing words: the `/logs` filter as its reply header describes it, and
/// what is wrong with an environment variable (`EnvRule.problem`; the value is never said).
public enum SystemOpsText: MessageCatalog {
    case level(LineFilter.Level)
    case since(String)
    case envMissing
    case envEmpty
    case envNotURL
    case envSpaces
    case envNotInteger
    case envNotBool
    case envWrongLength(bytes: Int, expected: Int)
    case envInvalidPattern
    case envWrongShape

    public static var samples: [SystemOpsText] {
        LineFilter.Level.allCases.map { .level($0) } + [.since("2026-12-07 14:03:00"), .envMissing, .envEmpty, .envNotURL, .envSpaces,
                                                        .envNotInteger, .envNotBool, .envWrongLength(bytes: 31, expected: 32), .envInvalidPattern, .envWrongShape]
    }
}
