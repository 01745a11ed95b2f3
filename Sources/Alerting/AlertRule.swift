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
                  remediationLabel: "Restart {service}", description: "a configured service is not running"),
        AlertRule(name: "instances", forCount: 2, remediation: "/conflicts",
                  remediationLabel: "Conflicts", description: "more instances than configured (a bot: 409 Conflict)"),
        AlertRule(name: "restart_loop", severity: .critical, remediation: "/logs {service} 50 critical",
                  remediationLabel: "Last errors", description: "too many restarts in the last hour"),
        AlertRule(name: "memory_growth", forCount: 2, remediation: "/restart {service}",
                  remediationLabel: "Restart {service}", description: "memory keeps growing"),
        AlertRule(name: "health", severity: .critical, forCount: 2, remediation: "/restart {service}",
                  remediationLabel: "Restart {service}", description: "health endpoint does not answer 200"),
        AlertRule(name: "health_slow", forCount: 2,
                  description: "health endpoint slower than its `slow` threshold"),
        AlertRule(name: "database", severity: .critical, forCount: 2, remediation: "/status",
                  remediationLabel: "Status", description: "the application database does not answer"),
        AlertRule(name: "schema", severity: .critical, remediation: "/schema", remediationLabel: "Show schema",
                  description: "schema drift: missing tables/columns, alembic not at head"),
        AlertRule(name: "disk", remediation: "/disk", remediationLabel: "Show disk",
                  description: "disk or inodes above disk.warn_percent (critical above disk.critical_percent)"),
        AlertRule(name: "disk_fill", forCount: 2, remediation: "/disk", remediationLabel: "Show disk",
                  description: "a mount will be full within disk.fill_warn (critical: disk.fill_critical) at the recent rate"),
        AlertRule(name: "log", check: "log_pattern", description: "a configured log pattern matched within its window"),
        AlertRule(name: "log_growth", remediation: "/disk", remediationLabel: "Show disk",
                  description: "a log file grows faster than disk.log_growth.max_mb_per_hour (the disk fills with logs)"),
        AlertRule(name: "heartbeat", severity: .critical, remediation: "/restart {service}", remediationLabel: "Restart {service}",
                  description: "the service's heartbeat line is missing from its log"),
        AlertRule(name: "payments", remediation: "/payments {target}", remediationLabel: "Payments {target}",
                  description: "payments stuck in pending, or credited twice"),
        AlertRule(name: "payment_webhook_lost", severity: .critical, remediation: "/complete {target}",
                  remediationLabel: "Complete payment {target}",
                  description: "a payment pending here is paid at its provider for longer than payments.webhook_grace (the webhook never arrived)"),
        AlertRule(name: "provider_unreachable", severity: .critical, forCount: 2,
                  description: "a payment provider's API (YooKassa, Crypto Pay) does not answer its who-am-I call"),
        AlertRule(name: "provider_credentials", severity: .critical, remediation: "/payments pending", remediationLabel: "Pending payments",
                  description: "a payment provider refuses opsbot's credentials (401): check the named environment variable"),
        AlertRule(name: "webhook", remediation: "/status", remediationLabel: "Status",
                  description: "target bot webhook errors; a webhook set while the bot polls blocks getUpdates"),
        AlertRule(name: "target_bot", severity: .critical, description: "target bot getMe fails: token invalid or Telegram unreachable"),
        AlertRule(name: "dependency", severity: .critical, description: "a dependency the app needs does not answer"),
        AlertRule(name: "env", remediation: "/env {service}", remediationLabel: "Env of {service}",
                  description: "environment rules failing (/env)"),
        AlertRule(name: "check_timeout", description: "a check did not finish within its timeout; its alerts are unknown"),
    ]

    public static let inhibitions: [InhibitRule] = [
        InhibitRule(source: ["database"], targets: ["schema", "payments", "sql_*", "payment_webhook_lost"]),
        InhibitRule(source: ["service_down"], targets: ["health", "health_slow", "log", "heartbeat", "instances", "memory_growth"],
                    sameService: true),
    ]
}
