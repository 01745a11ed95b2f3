import Foundation
import OpsbotSupport

/// Turns rounds of check results into notifications: `for`, repeat, hysteresis, flapping,
/// inhibition, grouping, acknowledge and mute. No I/O except through `AlertPersistence`;
/// time comes from the injected clock.
public final class AlertEngine: Sendable {
    public struct Settings: Sendable {
        public var defaultRepeat: Double = 3600
        /// Starts + resolves within `flapWindow` that make an alert flapping.
        public var flapChanges: Int = 4
        public var flapWindow: Double = 600
        /// Results no rule selects still alert, named after their check, severity from status.
        public var catchAll: Bool = true
        public var inhibitions: [InhibitRule] = DefaultRules.inhibitions
        public init() {}
    }

    public let settings: Settings
    private let rulesByCheck: [String: [AlertRule]]
    private let wildcardRules: [AlertRule]
    public let rules: [AlertRule]
    private let clock: any OpsClock
    private let persistence: AlertPersistence
    private let state: Locked<(alerts: [String: AlertState], mutes: [String: Mute])>

    public init(rules: [AlertRule], settings: Settings = Settings(), clock: any OpsClock, persistence: AlertPersistence) throws {
        self.rules = rules
        self.settings = settings
        self.clock = clock
        self.persistence = persistence
        var byCheck: [String: [AlertRule]] = [:]
        var wild: [AlertRule] = []
        for r in rules { if r.check == "*" { wild.append(r) } else { byCheck[r.check, default: []].append(r) } }
        rulesByCheck = byCheck
        wildcardRules = wild
        // A pending alert starts its `for` count afresh: at start nothing fires before its check
        // has had `for` rounds in this process.
        let alerts = try persistence.loadAlerts().map { a -> AlertState in
            var a = a
            if a.phase == .pending { a.consecutiveFailures = 0 }
            return a
        }
        let mutes = try persistence.loadMutes()
        state = Locked((Dictionary(alerts.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a }),
                        Dictionary(mutes.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })))
    }

    public func rule(named name: String) -> AlertRule? { rules.first { $0.name == name } }

    // MARK: evaluation

    /// Evaluates one round (the results of every provider that finished since the last one).
    /// Only a positive observation changes an alert: an `unknown` result, or a fingerprint
    /// missing from an incomplete run, marks it unknown — never resolved, never reminded of.
    public func evaluate(_ batch: [SourceResults]) -> [AlertNotification] {
        let now = clock.now()
        return state.withLock { st -> [AlertNotification] in
            var touched = Set<String>()       // observed this round
            var changed = Set<String>()       // to persist
            var started: [String] = []        // became firing this round
            var resolved: [AlertState] = []   // firing → ok this round
            var failingNow = Set<String>()    // observed failing this round (reminders only for these)
            var becameUnknown: [String] = []
            var knownAgain: [String] = []

            func markUnknown(_ fp: String, _ reason: String) {
                guard var a = st.alerts[fp], a.phase != .ok, a.unknownSince == nil else { return }
                a.unknownSince = now
                a.unknownReason = reason
                st.alerts[fp] = a
                changed.insert(fp)
                if a.isFiring && a.firingSent { becameUnknown.append(fp) }
            }

            for src in batch {
                var seen = Set<String>()
                let incomplete = src.incompleteReason
                for o in src.observations {
                    for rule in matchingRules(o) {
                        let fp = "\(rule.name):\(o.target)"
                        seen.insert(fp)
                        if o.status == .unknown {
                            markUnknown(fp, o.summary.isEmpty ? "\(o.check) unknown" : o.summary)
                            continue
                        }
                        touched.insert(fp)
                        let wasUnknown = st.alerts[fp]?.isUnknown == true && st.alerts[fp]?.isFiring == true && st.alerts[fp]?.firingSent == true
                        switch update(&st.alerts, rule: rule, o: o, source: src.source, now: now) {
                        case .none: break
                        case .changed: changed.insert(fp)
                        case .started: changed.insert(fp); started.append(fp)
                        case .resolved(let old): changed.insert(fp); resolved.append(old)
                        }
                        if let a = st.alerts[fp], a.phase == .firing, isFailing(rule, o, current: a) == true {
                            failingNow.insert(fp)
                            if wasUnknown { knownAgain.append(fp) }
                        }
                    }
                }
                // Reported before by this source, not now: recovered when the run was complete,
                // unknown when it was not (a failed query must not read as "no more problems").
                for (fp, a) in st.alerts where a.source == src.source && !seen.contains(fp) && a.phase != .ok {
                    if let why = incomplete { markUnknown(fp, why); continue }
                    touched.insert(fp)
                    changed.insert(fp)
                    if let old = recover(&st.alerts, fp, now: now) { resolved.append(old) }
                }
            }

            st.mutes = st.mutes.filter { $0.value.until > now }
            let firingIndex = st.alerts.values.filter(\.isFiring)
            var out: [AlertNotification] = []
            var group: [AlertState] = []
            var reminderGroup: [AlertState] = []
            var resolvedOut: [AlertState] = []

            // Flapping bookkeeping for everything that changed phase.
            for fp in started + resolved.map(\.fingerprint) {
                guard var a = st.alerts[fp] else { continue }
                a.transitions = a.transitions.filter { now.timeIntervalSince($0) < settings.flapWindow } + [now]
                if !a.flapping && a.transitions.count >= settings.flapChanges {
                    a.flapping = true
                    out.append(.flapping(a))
                }
                st.alerts[fp] = a
            }
            // Settling: quiet for a whole window.
            for (fp, a0) in st.alerts where a0.flapping {
                guard let last = a0.transitions.last, now.timeIntervalSince(last) >= settings.flapWindow else { continue }
                var a = a0
                a.flapping = false
                a.transitions = []
                if a.isFiring { a.firingSent = true; a.lastSent = now }
                st.alerts[fp] = a
                changed.insert(fp)
                out.append(.settled(a))
            }

            for old in resolved {
                let fp = old.fingerprint
                guard let a = st.alerts[fp], !a.flapping else { continue }
                if old.firingSent { resolvedOut.append(old) }
            }
            let sources = inhibitionSources(firingIndex)
            for fp in touched.sorted() {
                guard var a = st.alerts[fp], a.isFiring, !a.flapping else { continue }
                if muted(a, st.mutes, now) || inhibited(a, sources) { continue }
                if !a.firingSent {
                    a.firingSent = true
                    a.lastSent = now
                    group.append(a)
                } else if knownAgain.contains(fp) {
                    a.lastSent = now   // the "known again" line is this round's reminder
                } else if failingNow.contains(fp), a.ackedBy == nil,
                          now.timeIntervalSince(a.lastSent ?? a.firstSeen) >= repeatInterval(a) {
                    a.lastSent = now
                    a.remindersSent += 1
                    reminderGroup.append(a)
                } else { continue }
                st.alerts[fp] = a
                changed.insert(fp)
            }

            func bySeverity(_ x: AlertState, _ y: AlertState) -> Bool { (x.severity, y.fingerprint) > (y.severity, x.fingerprint) }
            if !group.isEmpty { out.insert(.firing(group.sorted(by: bySeverity)), at: 0) }
            if !resolvedOut.isEmpty { out.append(.resolved(resolvedOut.sorted { $0.fingerprint < $1.fingerprint }, at: now)) }
            let unknownOut = becameUnknown.compactMap { st.alerts[$0] }.filter { !$0.flapping && !muted($0, st.mutes, now) }
            if !unknownOut.isEmpty { out.append(.unknown(unknownOut.sorted(by: bySeverity))) }
            let knownOut = knownAgain.compactMap { st.alerts[$0] }.filter { !$0.flapping && !muted($0, st.mutes, now) }
            if !knownOut.isEmpty { out.append(.known(knownOut.sorted(by: bySeverity))) }
            if !reminderGroup.isEmpty { out.append(.reminders(reminderGroup.sorted(by: bySeverity))) }

            // Forget recovered alerts once their history no longer matters.
            var deleted: [String] = []
            for (fp, a) in st.alerts where a.phase == .ok && !a.flapping {
                if a.transitions.allSatisfy({ now.timeIntervalSince($0) >= settings.flapWindow }) {
                    deleted.append(fp)
                }
            }
            for fp in deleted { st.alerts[fp] = nil; changed.remove(fp) }
            persist(changed.compactMap { st.alerts[$0] }, deleted: deleted)
            return out
        }
    }

    private enum Change { case none, changed, started, resolved(AlertState) }

    private func matchingRules(_ o: Observation) -> [AlertRule] {
        var out = (rulesByCheck[o.check] ?? []).filter { $0.matches(o) }
        out += wildcardRules.filter { $0.matches(o) }
        // A rule with a target glob shadows the catch-all rules of the same check (`log_conflict`
        // for `*:conflict` instead of the generic `log`).
        if out.count > 1 && out.contains(where: { $0.target != nil }) { out.removeAll { $0.target == nil } }
        if out.isEmpty && settings.catchAll && o.check != "alert_delivery" { out = [AlertRule(name: o.check)] }
        return out
    }

    private func isFailing(_ rule: AlertRule, _ o: Observation, current: AlertState?) -> Bool? {
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

    private func update(_ alerts: inout [String: AlertState], rule: AlertRule, o: Observation, source: String, now: Date) -> Change {
        let fp = "\(rule.name):\(o.target)"
        var current = alerts[fp]
        guard let failing = isFailing(rule, o, current: current) else { return .none }
        if current?.unknownSince != nil {
            current?.unknownSince = nil
            current?.unknownReason = nil
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
        a.consecutiveFailures += 1
        a.failedChecks += 1
        a.lastSeen = now
        a.summary = o.summary
        a.value = o.value
        a.evidence = Array(o.evidence.prefix(20))
        if let cmd = rule.remediation ?? o.remediation {
            a.remediation = AlertRule.fill(cmd, target: o.target, check: o.check)
            a.remediationLabel = rule.remediationLabel.map { AlertRule.fill($0, target: o.target, check: o.check) }
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
    private func recover(_ alerts: inout [String: AlertState], _ fp: String, now: Date) -> AlertState? {
        guard var a = alerts[fp] else { return nil }
        let old = a
        a.phase = .ok
        a.unknownSince = nil
        a.unknownReason = nil
        a.consecutiveFailures = 0
        a.lastSeen = now
        alerts[fp] = a
        return old.phase == .firing ? old : nil
    }

    private func repeatInterval(_ a: AlertState) -> Double {
        rule(named: a.rule)?.repeatInterval ?? settings.defaultRepeat
    }

    private func muted(_ a: AlertState, _ mutes: [String: Mute], _ now: Date) -> Bool {
        [a.fingerprint, a.rule].contains { mutes[$0].map { $0.until > now } ?? false }
    }

    /// For each inhibit rule, the firing alerts that can silence others, overall and by
    /// service: computed once per round, so a storm of N alerts costs O(N), not O(N²).
    struct InhibitionSources {
        var all: Set<String> = []
        var byService: [String: Set<String>] = [:]
    }

    private func inhibitionSources(_ firing: [AlertState]) -> [InhibitionSources] {
        settings.inhibitions.map { inh in
            var s = InhibitionSources()
            for f in firing where inh.source.contains(where: { Glob.match($0, f.rule) }) {
                s.all.insert(f.fingerprint)
                s.byService[AlertRule.service(of: f.target), default: []].insert(f.fingerprint)
            }
            return s
        }
    }

    private func inhibited(_ a: AlertState, _ sources: [InhibitionSources]) -> Bool {
        for (i, inh) in settings.inhibitions.enumerated() where inh.targets.contains(where: { Glob.match($0, a.rule) }) {
            let candidates = inh.sameService ? (sources[i].byService[AlertRule.service(of: a.target)] ?? []) : sources[i].all
            if candidates.contains(where: { $0 != a.fingerprint }) { return true }
        }
        return false
    }

    private func newID() -> String {
        let n = (try? persistence.nextAlertSequence()) ?? Int64(clock.now().timeIntervalSince1970 * 1000)
        return String(n, radix: 36)
    }

    private func persist(_ alerts: [AlertState], deleted: [String]) {
        do {
            if !alerts.isEmpty { try persistence.saveAlerts(alerts) }
            if !deleted.isEmpty { try persistence.deleteAlerts(deleted) }
        } catch {
            Log.error("alerts: cannot persist alert state: \(error)")
        }
    }

    // MARK: queries and actions

    /// Every tracked alert that is not ok, most severe and oldest first.
    public var active: [AlertState] {
        state.current.alerts.values.filter { $0.phase != .ok }
            .sorted { ($0.severity, $1.firstSeen) > ($1.severity, $0.firstSeen) }
    }

    public func alert(id: String) -> AlertState? { state.current.alerts.values.first { $0.id == id } }
    public func alert(fingerprint: String) -> AlertState? { state.current.alerts[fingerprint] }

    public var mutes: [Mute] {
        let now = clock.now()
        return state.current.mutes.values.filter { $0.until > now }.sorted { $0.key < $1.key }
    }

    public func isMuted(_ a: AlertState) -> Bool { muted(a, state.current.mutes, clock.now()) }

    /// The firing alert that silences `a` (the database down for the payments alerts), if any.
    public func inhibitor(of a: AlertState) -> AlertState? {
        let all = state.current.alerts
        let firing = all.values.filter(\.isFiring)
        for inh in settings.inhibitions where inh.targets.contains(where: { Glob.match($0, a.rule) }) {
            let candidates = firing.filter { f in
                f.fingerprint != a.fingerprint && inh.source.contains { Glob.match($0, f.rule) }
                    && (!inh.sameService || AlertRule.service(of: f.target) == AlertRule.service(of: a.target))
            }
            if let f = candidates.min(by: { $0.fingerprint < $1.fingerprint }) { return f }
        }
        return nil
    }

    /// No more reminders until it resolves. Nil when there is no such firing alert.
    @discardableResult
    public func acknowledge(id: String, by who: String) -> AlertState? {
        state.withLock { st -> AlertState? in
            guard var a = st.alerts.values.first(where: { $0.id == id }), a.isFiring else { return nil }
            if a.ackedBy == nil {
                a.ackedBy = who
                a.ackedAt = clock.now()
                st.alerts[a.fingerprint] = a
                persist([a], deleted: [])
            }
            return a
        }
    }

    /// Silences a rule name or a fingerprint for `duration` seconds.
    @discardableResult
    public func mute(_ key: String, for duration: Double, reason: String? = nil, by who: String? = nil) -> Mute {
        let now = clock.now()
        let m = Mute(key: key, until: now.addingTimeInterval(duration), reason: reason, by: who, createdAt: now)
        state.withLock { $0.mutes[key] = m }
        do { try persistence.saveMute(m) } catch { Log.error("alerts: cannot persist mute: \(error)") }
        return m
    }

    /// True when there was a live mute for `key`.
    @discardableResult
    public func unmute(_ key: String) -> Bool {
        let now = clock.now()
        let had = state.withLock { st -> Bool in
            let live = st.mutes[key].map { $0.until > now } ?? false
            st.mutes[key] = nil
            return live
        }
        do { try persistence.deleteMute(key) } catch { Log.error("alerts: cannot persist unmute: \(error)") }
        return had
    }

    /// A rule name or a fingerprint `rule:target` of a known rule (or a tracked alert).
    public func isMuteKey(_ key: String) -> Bool {
        if rule(named: key) != nil || state.current.alerts[key] != nil { return true }
        guard let colon = key.firstIndex(of: ":") else { return false }
        return rule(named: String(key[..<colon])) != nil
    }
}
