import Foundation
import OpsbotSupport

/// What the engine remembers about one fingerprint; persisted so that a restart with nothing
/// changed sends nothing.
public struct AlertState: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable {
        /// Failing, but fewer than `for` consecutive times.
        case pending
        case firing
        /// Recovered; kept only while its recent changes matter for flapping.
        case ok
    }

    /// Short id for buttons (callback_data ≤ 64 bytes): base-36 sequence.
    public var id: String
    public var fingerprint: String
    public var rule: String
    public var target: String
    /// Provider that reported it: when that provider stops reporting it, it has recovered.
    public var source: String
    public var phase: Phase
    public var severity: Severity
    public var consecutiveFailures: Int = 0
    /// First failing result of this episode.
    public var firstSeen: Date
    public var firingSince: Date?
    /// When the firing message or the last reminder was queued.
    public var lastSent: Date?
    public var firingSent: Bool = false
    /// Failing results seen since it started (for reminders).
    public var failedChecks: Int = 0
    public var lastSeen: Date
    public var summary: String = ""
    /// The summary in Russian when the check wrote one (absent from state saved before it existed).
    public var summaryRU: String?
    public var value: Double?
    public var evidence: [String] = []
    public var evidenceRU: [String]?
    /// Ready-to-run command for the remediation button, and its label.
    public var remediation: String?
    public var remediationLabel: String?
    public var remediationLabelRU: String?
    public var ackedBy: String?
    public var ackedAt: Date?
    public var flapping: Bool = false
    /// Times it started firing or resolved, within the flapping window.
    public var transitions: [Date] = []
    public var remindersSent: Int = 0
    /// Set while its check cannot say (failed, timed out, source unreachable): neither
    /// resolved nor reminded of; cleared by the next positive observation.
    public var unknownSince: Date?
    public var unknownReason: String?
    public var unknownReasonRU: String?
    /// The rule's description, for the message.
    public var ruleDescription: String?
    public var ruleDescriptionRU: String?

    public var isFiring: Bool { phase == .firing }
    public var isUnknown: Bool { unknownSince != nil }

    /// The summary in `language` (English when the check wrote no Russian).
    public func summary(_ language: Language) -> String {
        language == .ru ? (summaryRU ?? summary) : summary
    }

    /// The rule's description in `language`. State saved before the Russian was kept still
    /// finds it when the description is a default rule's own.
    public func ruleDescription(_ language: Language) -> String? {
        guard language == .ru, let d = ruleDescription else { return ruleDescription }
        if let ru = ruleDescriptionRU { return ru }
        return DefaultRules.rules.first { $0.name == rule && $0.description == d }?.descriptionRU ?? d
    }

    /// The evidence in `language` (quoted text is the same in both).
    public func evidence(_ language: Language) -> [String] {
        language == .ru ? (evidenceRU ?? evidence) : evidence
    }

    /// Why it is unknown, in `language`.
    public func unknownReason(_ language: Language) -> String? {
        language == .ru ? (unknownReasonRU ?? unknownReason) : unknownReason
    }

    /// The remediation button's text in `language` (the command when the rule names no label).
    public func remediationText(_ language: Language) -> String? {
        guard let cmd = remediation else { return nil }
        return (language == .ru ? (remediationLabelRU ?? remediationLabel) : remediationLabel) ?? cmd
    }
}

/// Silences a rule (`disk`) or one fingerprint (`disk:/var`) until a time.
public struct Mute: Sendable, Hashable, Codable {
    public var key: String
    public var until: Date
    public var reason: String?
    public var by: String?
    public var createdAt: Date
    public init(key: String, until: Date, reason: String? = nil, by: String? = nil, createdAt: Date) {
        self.key = key
        self.until = until
        self.reason = reason
        self.by = by
        self.createdAt = createdAt
    }
}

/// What the engine wants said. Rendering (HTML, buttons) is the app's job.
public enum AlertNotification: Sendable, Hashable {
    /// Alerts that started in one evaluation round, most severe first.
    case firing([AlertState])
    /// Still firing after their repeat interval: one digest per round, most severe first.
    case reminders([AlertState])
    /// Recovered alerts whose firing had been sent, with `firingSince` for the duration.
    case resolved([AlertState], at: Date)
    /// Changes state too often: said once; reminders stop until it settles.
    case flapping(AlertState)
    /// Quiet for a whole window again; `phase` tells whether it settled firing or ok.
    case settled(AlertState)
    /// Firing alerts whose check can no longer say (`unknownSince`, `unknownReason`).
    case unknown([AlertState])
    /// Unknown alerts observed again, still failing.
    case known([AlertState])

    public var maxSeverity: Severity {
        switch self {
        case .firing(let a), .resolved(let a, _), .reminders(let a), .unknown(let a), .known(let a): a.map(\.severity).max() ?? .warning
        case .flapping(let a), .settled(let a): a.severity
        }
    }
}
