import Foundation
import OpsbotSupport

/// One check result as the engine sees it: the same type `/status` and `opsbot check` use.
/// An `unknown` status changes nothing (neither fires nor clears).
public typealias Observation = CheckResult

/// Everything one provider (`services`, `database`) returned in one run. A fingerprint that
/// this source reported before and no longer reports counts as recovered.
public struct SourceResults: Sendable, Hashable {
    public var source: String
    public var observations: [Observation]
    public init(source: String, observations: [Observation]) {
        self.source = source
        self.observations = observations
    }
}
