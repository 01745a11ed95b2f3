import Foundation

/// One check result as the engine sees it (OpsbotCore's CheckResult without the core types),
/// so the engine stays free of Telegram and of the app.
public struct Observation: Sendable, Hashable {
    public enum Status: Int, Sendable, Hashable, Codable {
        case ok = 0, warning = 1, critical = 2
        /// Could not be determined: changes nothing (neither fires nor clears).
        case unknown = 3
    }

    public var check: String
    public var target: String
    public var status: Status
    public var summary: String
    public var value: Double?
    public var evidence: [String]
    /// A command the check suggests (`/restart worker`); a rule's remediation wins.
    public var remediation: String?

    public init(check: String, target: String, status: Status, summary: String = "", value: Double? = nil,
                evidence: [String] = [], remediation: String? = nil) {
        self.check = check
        self.target = target
        self.status = status
        self.summary = summary
        self.value = value
        self.evidence = evidence
        self.remediation = remediation
    }
}

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
