import Foundation

/// Outcome of one health check on one target, shared by `/status`, `opsbot check` and the alert
/// engine (which sees it without any of OpsbotCore, hence its place in this lower module).
public struct CheckResult: Sendable, Hashable {
    public enum Status: Int, Sendable, Hashable, Comparable, Codable {
        case ok = 0, warning = 1, critical = 2
        /// Could not be determined (the database is unreachable, a timeout). Exit code 2.
        case unknown = 3
        public static func < (a: Status, b: Status) -> Bool { a.rawValue < b.rawValue }
        public var symbol: String { ["✅", "⚠️", "🔴", "❔"][rawValue] }
        public var label: String { ["ok", "warning", "critical", "unknown"][rawValue] }
        /// The label in the chat's language.
        public func label(_ language: Language) -> String {
            language == .ru ? ["норма", "предупреждение", "критично", "неизвестно"][rawValue] : label
        }
    }

    /// The rule or check name: `service_down`, `health`, `disk`, `schema`.
    public var check: String
    /// What it is about: `worker`, `web:/healthz`, `/var`.
    public var target: String
    public var status: Status
    /// One line, plain text, in English (logs, `opsbot check`, the audit).
    public var summary: String
    /// The same line in Russian when the check wrote one (`init(…message:…)`); the chat reads
    /// it through `summary(_:)`.
    public var summaryRU: String?
    /// The measured value, for thresholds and hysteresis (percent, MB, count).
    public var value: Double?
    /// Supporting lines (matched log lines, missing columns), plain text.
    public var evidence: [String]
    /// The evidence in Russian when it is opsbot's own prose (schema drift, a double credit);
    /// nil when it is quoted text (log lines, errors), which stays as it is.
    public var evidenceRU: [String]?
    /// A chat command that fixes it, e.g. `/restart worker` (shown as an alert button).
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

    /// A result whose summary is a catalog message, kept in every language.
    public init(check: String, target: String, status: Status, message: some Localizable, value: Double? = nil,
                evidence: [String] = [], remediation: String? = nil) {
        self.init(check: check, target: target, status: status, summary: message.english, value: value,
                  evidence: evidence, remediation: remediation)
        summaryRU = message.russian
    }

    /// The summary in `language` (English when the check wrote no Russian, e.g. Alertmanager's own text).
    public func summary(_ language: Language = Language.current) -> String {
        language == .ru ? (summaryRU ?? summary) : summary
    }

    /// The evidence in `language`.
    public func evidence(_ language: Language = Language.current) -> [String] {
        language == .ru ? (evidenceRU ?? evidence) : evidence
    }

    /// Sets the evidence from catalog messages, in every language.
    public mutating func setEvidence(_ lines: [some Localizable]) {
        evidence = lines.map(\.english)
        evidenceRU = lines.map(\.russian)
    }

    /// Sets the summary from a catalog message, in every language.
    public mutating func setSummary(_ message: some Localizable) {
        summary = message.english
        summaryRU = message.russian
    }

    /// `check:target`: the identity an alert keeps across rounds.
    public var fingerprint: String { "\(check):\(target)" }
}
