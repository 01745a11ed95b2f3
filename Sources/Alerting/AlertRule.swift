import Foundation

/// Turns check results into alerts: which results (check name, target glob), how loud, after
/// how many failures, how often to remind, thresholds with hysteresis, and the fix.
public struct AlertRule: Sendable, Hashable {
    /// Unique; the first half of the fingerprint (`disk:/var`) and what `/mute disk 1h` names.
    public var name: String
    /// CheckResult.check it selects (`disk`, `log_pattern`), or `*`.
    public var check: String
    /// Glob on CheckResult.target (`web:*`); nil matches all. A rule with a target shadows
    /// the rules of the same check without one.
    public var target: String?
    /// The least severity: raises a check's warning to critical, never lowers a critical.
    /// nil: the check's own severity.
    public var severity: Severity?
    /// Explicit mapping of the check's severity (`critical: warning`): the only way a rule may
    /// lower what a check reports. Applied before `severity`.
    public var severityMap: [Severity: Severity]
    /// Consecutive failing results before it fires (ignores blips).
    public var forCount: Int
    /// Seconds between reminders while it keeps firing; nil: the engine default (1 h).
    public var repeatInterval: Double?
    /// Fires when CheckResult.value ≥ fire …
    public var fire: Double?
    /// … and clears only when value < clear (hysteresis); defaults to `fire`.
    public var clear: Double?
    /// Chat command for the remediation button; `{target}`, `{service}` and `{check}` are filled in.
    public var remediation: String?
    /// Button text; `{service}`/`{target}` are filled in. Default: the command.
    public var remediationLabel: String?
    public var description: String?
    /// The same in Russian (the default rules have both; a config rule's own text has none,
    /// and shows as written in every language).
    public var descriptionRU: String?
    public var remediationLabelRU: String?

    public init(name: String, check: String? = nil, target: String? = nil, severity: Severity? = nil,
                severityMap: [Severity: Severity] = [:], forCount: Int = 1,
                repeatInterval: Double? = nil, fire: Double? = nil, clear: Double? = nil, remediation: String? = nil,
                remediationLabel: String? = nil, description: String? = nil) {
        self.name = name
        self.check = check ?? name
        self.target = target
        self.severity = severity
        self.severityMap = severityMap
        self.forCount = max(1, forCount)
        self.repeatInterval = repeatInterval
        self.fire = fire
        self.clear = clear
        self.remediation = remediation
        self.remediationLabel = remediationLabel
        self.description = description
    }

    /// A rule whose description and button label are catalog messages, kept in every language.
    init(name: String, severity: Severity? = nil, forCount: Int = 1, check: String? = nil, remediation: String? = nil,
         label: AlertingText? = nil, about: AlertingText) {
        self.init(name: name, check: check, severity: severity, forCount: forCount, remediation: remediation,
                  remediationLabel: label?.english, description: about.english)
        descriptionRU = about.russian
        remediationLabelRU = label?.russian
    }

    /// What an alert of this rule is: the check's severity, mapped when the rule says so
    /// explicitly, else raised to the rule's floor — never lowered.
    public func severity(forCheck s: Severity) -> Severity {
        if let mapped = severityMap[s] { return mapped }
        return max(s, severity ?? s)
    }

    public func matches(_ o: Observation) -> Bool {
        (check == "*" || check == o.check) && (target.map { Glob.match($0, o.target) } ?? true)
    }

    /// `service` of a target: the part before the first `:` (`web` of `web:/healthz`).
    public static func service(of target: String) -> String {
        target.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
    }

    static func fill(_ template: String, target: String, check: String) -> String {
        template.replacingOccurrences(of: "{target}", with: target)
            .replacingOccurrences(of: "{service}", with: service(of: target))
            .replacingOccurrences(of: "{check}", with: check)
    }
}

/// "While an alert of `source` fires, alerts of `targets` are silenced": the database being
/// down explains the schema and payments alerts; a service down explains its health alerts.
public struct InhibitRule: Sendable, Hashable {
    /// Rule names (globs) whose firing alerts inhibit.
    public var source: [String]
    /// Rule names (globs) that are silenced.
    public var targets: [String]
    /// Only when both targets name the same service (`worker` vs `worker:conflict`).
    public var sameService: Bool

    public init(source: [String], targets: [String], sameService: Bool = false) {
        self.source = source
        self.targets = targets
        self.sameService = sameService
    }
}

/// The rules opsbot ships with, one per alert of RUNBOOKS.md; config rules override them by name.
public enum DefaultRules {
    public static let rules: [AlertRule] = [
        AlertRule(name: "service_down", severity: .critical, forCount: 2, remediation: "/restart {service}",
                  label: .restartLabel, about: .serviceDownDescription),
        AlertRule(name: "instances", forCount: 2, remediation: "/conflicts", label: .conflictsLabel, about: .instancesDescription),
        AlertRule(name: "restart_loop", severity: .critical, remediation: "/logs {service} 50 critical",
                  label: .lastErrorsLabel, about: .restartLoopDescription),
        AlertRule(name: "memory_growth", forCount: 2, remediation: "/restart {service}",
                  label: .restartLabel, about: .memoryGrowthDescription),
        AlertRule(name: "health", severity: .critical, forCount: 2, remediation: "/restart {service}",
                  label: .restartLabel, about: .healthDescription),
        AlertRule(name: "health_slow", forCount: 2, about: .healthSlowDescription),
        AlertRule(name: "database", severity: .critical, forCount: 2, remediation: "/status", label: .statusLabel, about: .databaseDescription),
        AlertRule(name: "schema", severity: .critical, remediation: "/schema", label: .showSchemaLabel, about: .schemaDescription),
        AlertRule(name: "disk", remediation: "/disk", label: .showDiskLabel, about: .diskDescription),
        AlertRule(name: "disk_fill", forCount: 2, remediation: "/disk", label: .showDiskLabel, about: .diskFillDescription),
        AlertRule(name: "log", check: "log_pattern", about: .logDescription),
        AlertRule(name: "log_growth", remediation: "/disk", label: .showDiskLabel, about: .logGrowthDescription),
        AlertRule(name: "heartbeat", severity: .critical, remediation: "/restart {service}", label: .restartLabel, about: .heartbeatDescription),
        AlertRule(name: "payments", remediation: "/payments {target}", label: .paymentsLabel, about: .paymentsDescription),
        AlertRule(name: "payment_webhook_lost", severity: .critical, remediation: "/complete {target}",
                  label: .completePaymentLabel, about: .paymentWebhookLostDescription),
        AlertRule(name: "provider_unreachable", severity: .critical, forCount: 2, about: .providerUnreachableDescription),
        AlertRule(name: "provider_credentials", severity: .critical, remediation: "/payments pending", label: .pendingPaymentsLabel,
                  about: .providerCredentialsDescription),
        AlertRule(name: "webhook", remediation: "/status", label: .statusLabel, about: .webhookDescription),
        AlertRule(name: "target_bot", severity: .critical, about: .targetBotDescription),
        AlertRule(name: "dependency", severity: .critical, about: .dependencyDescription),
        AlertRule(name: "env", remediation: "/env {service}", label: .envLabel, about: .envDescription),
        AlertRule(name: "check_timeout", about: .checkTimeoutDescription),
    ]

    public static let inhibitions: [InhibitRule] = [
        InhibitRule(source: ["database"], targets: ["schema", "payments", "sql_*", "payment_webhook_lost"]),
        InhibitRule(source: ["service_down"], targets: ["health", "health_slow", "log", "heartbeat", "instances", "memory_growth"],
                    sameService: true),
    ]
}
