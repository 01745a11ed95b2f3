import Foundation
import OpsbotSupport

/// What the shell must do after a step of the core: say something, or write state.
public enum AlertEffect: Sendable, Hashable {
    /// A message for the admins (rendered and queued by the app), in the order they come.
    case notify(AlertNotification)
    /// Alert states to write: changed this round or by an action.
    case save([AlertState])
    /// Fingerprints to forget (recovered, history no longer matters).
    case delete([String])
    case saveMute(Mute)
    case deleteMute(String)
}

/// The alert engine's evaluation as a pure function: state + a round of results + rules +
/// `now` → new state + effects. No store, no clock, no lock: `AlertEngine` loads the state,
/// calls this, persists and hands the notifications out. The only thing it asks of its
/// caller is a fresh id for an alert it starts tracking (a never-reused sequence).
public enum AlertEvaluation {
    /// Everything the engine remembers, by fingerprint and by mute key.
    public struct State: Sendable, Hashable {
        public var alerts: [String: AlertState]
        public var mutes: [String: Mute]

        public init(alerts: [String: AlertState] = [:], mutes: [String: Mute] = [:]) {
            self.alerts = alerts
            self.mutes = mutes
        }

        /// State as read back at start. A pending alert starts its `for` count afresh: nothing
        /// fires before its check has had `for` rounds in this process.
        public static func loaded(alerts: [AlertState], mutes: [Mute]) -> State {
            let fresh = alerts.map { a -> AlertState in
                var a = a
                if a.phase == .pending { a.consecutiveFailures = 0 }
                return a
            }
            return State(alerts: Dictionary(fresh.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a }),
                         mutes: Dictionary(mutes.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// One round as a value-to-value function; see `step(_:_:policy:now:newID:)` for the rules.
    public static func step(_ state: State, _ batch: [SourceResults], policy: AlertPolicy, now: Date,
                            newID: () -> String) -> (State, [AlertEffect]) {
        var next = state
        let effects = step(&next, batch, policy: policy, now: now, newID: newID)
        return (next, effects)
    }

    /// Evaluates one round (the results of every provider that finished since the last one), in
    /// place (the engine's form: no copy of the state per round). Only a positive observation changes an alert: an `unknown` result, or a fingerprint
    /// missing from an incomplete run, marks it unknown — never resolved, never reminded of.
    /// Effects: the notifications in the order to send them, then `save` (unordered) and `delete`.
    public static func step(_ st: inout State, _ batch: [SourceResults], policy: AlertPolicy, now: Date,
                            newID: () -> String) -> [AlertEffect] {
        var round = Round()
        for src in batch { observe(src, into: &st, &round, policy: policy, now: now, newID: newID) }
        st.mutes = st.mutes.filter { $0.value.until > now }
        let firingIndex = st.alerts.values.filter(\.isFiring)
        var out = trackFlapping(&st, &round, settings: policy.settings, now: now)
        out = announce(&st, &round, firing: firingIndex, policy: policy, now: now, flapping: out)
        let deleted = forgetRecovered(&st, &round, settings: policy.settings, now: now)
        var effects = out.map(AlertEffect.notify)
        let saved = round.changed.compactMap { st.alerts[$0] }   // in no particular order: a storm saves thousands
        if !saved.isEmpty { effects.append(.save(saved)) }
        if !deleted.isEmpty { effects.append(.delete(deleted)) }
        return effects
    }

    /// What one round has seen and done so far.
    struct Round {
        var touched = Set<String>()       // observed this round
        var changed = Set<String>()       // to persist
        var started: [String] = []        // became firing this round
        var resolved: [AlertState] = []   // firing → ok this round (the state before)
        var failingNow = Set<String>()    // observed failing this round (reminders only for these)
        var becameUnknown: [String] = []
        var knownAgain: [String] = []
    }

    /// Applies one provider's results.
    static func observe(_ src: SourceResults, into st: inout State, _ r: inout Round, policy: AlertPolicy, now: Date,
                        newID: () -> String) {
        var seen = Set<String>()
        for o in src.observations {
            for rule in policy.matchingRules(o) {
                let fp = "\(rule.name):\(o.target)"
                seen.insert(fp)
                if o.status == .unknown {
                    markUnknown(fp, SourceResults.unknownReason(o), &st, &r, now: now)
                    continue
                }
                r.touched.insert(fp)
                let before = st.alerts[fp]
                let wasUnknown = before?.isUnknown == true && before?.isFiring == true && before?.firingSent == true
                switch update(&st.alerts, rule: rule, o: o, source: src.source, now: now, newID: newID) {
                case .none: break
                case .changed: r.changed.insert(fp)
                case .started: r.changed.insert(fp); r.started.append(fp)
                case .resolved(let old): r.changed.insert(fp); r.resolved.append(old)
                }
                if let a = st.alerts[fp], a.phase == .firing, isFailing(rule, o, current: a) == true {
                    r.failingNow.insert(fp)
                    if wasUnknown { r.knownAgain.append(fp) }
                }
            }
        }
        // Reported before by this source, not now: recovered when the run was complete,
        // unknown when it was not (a failed query must not read as "no more problems").
        let incomplete = src.incompleteReason
        for (fp, a) in st.alerts where a.source == src.source && !seen.contains(fp) && a.phase != .ok {
            if let why = incomplete { markUnknown(fp, why, &st, &r, now: now); continue }
            r.touched.insert(fp)
            r.changed.insert(fp)
            if let old = recover(&st.alerts, fp, now: now) { r.resolved.append(old) }
        }
    }

    static func markUnknown(_ fp: String, _ reason: LocalizedText, _ st: inout State, _ r: inout Round, now: Date) {
        guard var a = st.alerts[fp], a.phase != .ok, a.unknownSince == nil else { return }
        a.unknownSince = now
        a.unknownReason = reason.en
        a.unknownReasonRU = reason.ru
        st.alerts[fp] = a
        r.changed.insert(fp)
        if a.isFiring && a.firingSent { r.becameUnknown.append(fp) }
    }

    /// Flapping bookkeeping for everything that changed phase, then settling of those quiet
    /// for a whole window. Returns the flapping/settled notifications.
    static func trackFlapping(_ st: inout State, _ r: inout Round, settings: AlertSettings, now: Date) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for fp in r.started + r.resolved.map(\.fingerprint) {
            guard var a = st.alerts[fp] else { continue }
            a.transitions = a.transitions.filter { now.timeIntervalSince($0) < settings.flapWindow } + [now]
            if !a.flapping && a.transitions.count >= settings.flapChanges {
                a.flapping = true
                out.append(.flapping(a))
            }
            st.alerts[fp] = a
        }
        for (fp, a0) in st.alerts where a0.flapping {
            guard let last = a0.transitions.last, now.timeIntervalSince(last) >= settings.flapWindow else { continue }
            var a = a0
            a.flapping = false
            a.transitions = []
            if a.isFiring { a.firingSent = true; a.lastSent = now }
            st.alerts[fp] = a
            r.changed.insert(fp)
            out.append(.settled(a))
        }
        return out
    }

    /// Decides what is said this round: one firing digest (first), the flapping notes, resolved,
    /// unknown, known again and one reminder digest — muted, inhibited and flapping alerts stay quiet.
    static func announce(_ st: inout State, _ r: inout Round, firing: [AlertState], policy: AlertPolicy, now: Date,
                         flapping: [AlertNotification]) -> [AlertNotification] {
        var out = flapping
        var group: [AlertState] = []
        var reminderGroup: [AlertState] = []
        var resolvedOut: [AlertState] = []
        for old in r.resolved {
            guard let a = st.alerts[old.fingerprint], !a.flapping else { continue }
            if old.firingSent { resolvedOut.append(old) }
        }
        let sources = inhibitionSources(firing, policy.settings.inhibitions)
        for fp in r.touched.sorted() {
            guard var a = st.alerts[fp], a.isFiring, !a.flapping else { continue }
            if isMuted(a, st.mutes, now) || inhibited(a, sources, policy.settings.inhibitions) { continue }
            if !a.firingSent {
                a.firingSent = true
                a.lastSent = now
                group.append(a)
            } else if r.knownAgain.contains(fp) {
                a.lastSent = now   // the "known again" line is this round's reminder
            } else if r.failingNow.contains(fp), a.ackedBy == nil,
                      now.timeIntervalSince(a.lastSent ?? a.firstSeen) >= policy.repeatInterval(a) {
                a.lastSent = now
                a.remindersSent += 1
                reminderGroup.append(a)
            } else { continue }
            st.alerts[fp] = a
            r.changed.insert(fp)
        }

        func bySeverity(_ x: AlertState, _ y: AlertState) -> Bool { (x.severity, y.fingerprint) > (y.severity, x.fingerprint) }
        func audible(_ fps: [String]) -> [AlertState] {
            fps.compactMap { st.alerts[$0] }.filter { !$0.flapping && !isMuted($0, st.mutes, now) }.sorted(by: bySeverity)
        }
        if !group.isEmpty { out.insert(.firing(group.sorted(by: bySeverity)), at: 0) }
        if !resolvedOut.isEmpty { out.append(.resolved(resolvedOut.sorted { $0.fingerprint < $1.fingerprint }, at: now)) }
        let unknownOut = audible(r.becameUnknown)
        if !unknownOut.isEmpty { out.append(.unknown(unknownOut)) }
        let knownOut = audible(r.knownAgain)
        if !knownOut.isEmpty { out.append(.known(knownOut)) }
        if !reminderGroup.isEmpty { out.append(.reminders(reminderGroup.sorted(by: bySeverity))) }
        return out
    }

    /// Forgets recovered alerts once their history no longer matters; returns their fingerprints.
    static func forgetRecovered(_ st: inout State, _ r: inout Round, settings: AlertSettings, now: Date) -> [String] {
        var deleted: [String] = []
        for (fp, a) in st.alerts where a.phase == .ok && !a.flapping {
            if a.transitions.allSatisfy({ now.timeIntervalSince($0) >= settings.flapWindow }) { deleted.append(fp) }
        }
        for fp in deleted { st.alerts[fp] = nil; r.changed.remove(fp) }
        return deleted.sorted()
    }
}
