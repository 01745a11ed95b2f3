import Foundation

/// One fingerprint's phase changes: ok → pending → firing (after `for` rounds) → ok.
extension AlertEvaluation {
    enum Change { case none, changed, started, resolved(AlertState) }

    /// Whether `o` counts as failing for `rule`: thresholds with hysteresis when the rule has
    /// them and the result a value, else its status. nil: it cannot say (unknown).
    static func isFailing(_ rule: AlertRule, _ o: Observation, current: AlertState?) -> Bool? {
        if o.status == .unknown { return nil }
        if let fire = rule.fire, let v = o.value {
            if current?.phase == .firing { return v >= (rule.clear ?? fire) }
            return v >= fire
        }
        switch o.status {
        case .ok: return false
        case .warning, .critical: return true
        case .unknown: return nil
        }
    }

    static func update(_ alerts: inout [String: AlertState], rule: AlertRule, o: Observation, source: String, now: Date,
                       newID: () -> String) -> Change {
        let fp = "\(rule.name):\(o.target)"
        var current = alerts[fp]
        guard let failing = isFailing(rule, o, current: current) else { return .none }
        if current?.unknownSince != nil {
            current?.unknownSince = nil
            current?.unknownReason = nil
            current?.unknownReasonRU = nil
            alerts[fp] = current
        }
        if !failing {
            guard let c = current, c.phase != .ok else { return .none }
            if let old = recover(&alerts, fp, now: now) { return .resolved(old) }
            return .changed
        }
        var a = current ?? AlertState(id: newID(), fingerprint: fp, rule: rule.name, target: o.target, source: source,
                                      phase: .pending, severity: .warning, firstSeen: now, lastSeen: now)
        if a.phase == .ok {
            a.phase = .pending
            a.consecutiveFailures = 0
            a.firstSeen = now
            a.failedChecks = 0
        }
        a.source = source
        a.severity = rule.severity(forCheck: o.status == .critical ? .critical : .warning)
        a.ruleDescription = rule.description
        a.ruleDescriptionRU = rule.descriptionRU
        a.consecutiveFailures += 1
        a.failedChecks += 1
        a.lastSeen = now
        a.summary = o.summary
        a.summaryRU = o.summaryRU
        a.value = o.value
        a.evidence = Array(o.evidence.prefix(20))
        a.evidenceRU = o.evidenceRU.map { Array($0.prefix(20)) }
        if let cmd = rule.remediation ?? o.remediation {
            a.remediation = AlertRule.fill(cmd, target: o.target, check: o.check)
            a.remediationLabel = rule.remediationLabel.map { AlertRule.fill($0, target: o.target, check: o.check) }
            a.remediationLabelRU = rule.remediationLabelRU.map { AlertRule.fill($0, target: o.target, check: o.check) }
        }
        var change = Change.changed
        if a.phase == .pending && a.consecutiveFailures >= rule.forCount {
            a.phase = .firing
            a.firingSince = now
            a.firingSent = false
            a.ackedBy = nil
            a.ackedAt = nil
            a.remindersSent = 0
            change = .started
        }
        alerts[fp] = a
        return change
    }

    /// Marks it ok; returns the state before when it was firing.
    static func recover(_ alerts: inout [String: AlertState], _ fp: String, now: Date) -> AlertState? {
        guard var a = alerts[fp] else { return nil }
        let old = a
        a.phase = .ok
        a.unknownSince = nil
        a.unknownReason = nil
        a.unknownReasonRU = nil
        a.consecutiveFailures = 0
        a.lastSeen = now
        alerts[fp] = a
        return old.phase == .firing ? old : nil
    }
}
