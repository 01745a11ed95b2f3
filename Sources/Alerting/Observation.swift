import Foundation
import OpsbotSupport

/// One check result as the engine sees it: the same type `/status` and `opsbot check` use.
/// An `unknown` status changes nothing (neither fires nor clears).
public typealias Observation = CheckResult

/// Everything one provider (`services`, `database`) returned in one run. A fingerprint that
/// this source reported before and no longer reports counts as recovered — but only when the
/// run was complete: when `unreachable` is set or any result is `unknown`, the missing ones
/// are unknown, never recovered.
public struct SourceResults: Sendable, Hashable {
    public var source: String
    public var observations: [Observation]
    /// Why the provider could not run at all (timed out, source down); nil: it ran.
    public var unreachable: String?
    /// The same in Russian, when the provider said it in both.
    public var unreachableRU: String?
    public init(source: String, observations: [Observation], unreachable: String? = nil, unreachableRU: String? = nil) {
        self.source = source
        self.observations = observations
        self.unreachable = unreachable
        self.unreachableRU = unreachableRU
    }

    /// Why results missing from this run cannot count as recovered, if they cannot (English, Russian).
    var incompleteReason: LocalizedText? {
        if let u = unreachable { return LocalizedText(en: u, ru: unreachableRU ?? u) }
        return observations.first { $0.status == .unknown }.map(Self.unknownReason)
    }

    /// Why an unknown result is unknown: its summary, or that its check could not say.
    static func unknownReason(_ o: Observation) -> LocalizedText {
        o.summary.isEmpty ? AlertingText.checkUnknown(check: o.check).localized : LocalizedText(en: o.summary, ru: o.summary(.ru))
    }
}
