import Foundation

/// Engine-wide knobs that config sets (`alerts:` section); `AlertEngine.Settings` is this type.
public struct AlertSettings: Sendable {
    public var defaultRepeat: Double = 3600
    /// Starts + resolves within `flapWindow` that make an alert flapping.
    public var flapChanges: Int = 4
    public var flapWindow: Double = 600
    /// Results no rule selects still alert, named after their check, severity from status.
    public var catchAll: Bool = true
    public var inhibitions: [InhibitRule] = DefaultRules.inhibitions
    public init() {}
}

/// What stays fixed between rounds: the rules, indexed by check once, and the settings.
/// A value, so the evaluation core can take it as a plain input.
public struct AlertPolicy: Sendable {
    public let rules: [AlertRule]
    public let settings: AlertSettings
    private let rulesByCheck: [String: [AlertRule]]
    private let wildcardRules: [AlertRule]

    public init(rules: [AlertRule], settings: AlertSettings = AlertSettings()) {
        self.rules = rules
        self.settings = settings
        var byCheck: [String: [AlertRule]] = [:]
        var wild: [AlertRule] = []
        for r in rules { if r.check == "*" { wild.append(r) } else { byCheck[r.check, default: []].append(r) } }
        rulesByCheck = byCheck
        wildcardRules = wild
    }

    public func rule(named name: String) -> AlertRule? { rules.first { $0.name == name } }

    /// The rules that turn `o` into alerts (one fingerprint each).
    func matchingRules(_ o: Observation) -> [AlertRule] {
        var out = (rulesByCheck[o.check] ?? []).filter { $0.matches(o) }
        out += wildcardRules.filter { $0.matches(o) }
        // A rule with a target glob shadows the catch-all rules of the same check (`log_conflict`
        // for `*:conflict` instead of the generic `log`).
        if out.count > 1 && out.contains(where: { $0.target != nil }) { out.removeAll { $0.target == nil } }
        if out.isEmpty && settings.catchAll && o.check != "alert_delivery" { out = [AlertRule(name: o.check)] }
        return out
    }

    func repeatInterval(_ a: AlertState) -> Double {
        rule(named: a.rule)?.repeatInterval ?? settings.defaultRepeat
    }
}
