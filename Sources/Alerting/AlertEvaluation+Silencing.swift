import Foundation

/// Mutes, inhibitions and acknowledgements: what keeps a firing alert quiet, as pure
/// functions of the state (the engine's queries and actions call these).
extension AlertEvaluation {
    static func isMuted(_ a: AlertState, _ mutes: [String: Mute], _ now: Date) -> Bool {
        [a.fingerprint, a.rule].contains { mutes[$0].map { $0.until > now } ?? false }
    }

    /// For each inhibit rule, the firing alerts that can silence others, overall and by
    /// service: computed once per round, so a storm of N alerts costs O(N), not O(N²).
    struct InhibitionSources {
        var all: Set<String> = []
        var byService: [String: Set<String>] = [:]
    }

    static func inhibitionSources(_ firing: [AlertState], _ inhibitions: [InhibitRule]) -> [InhibitionSources] {
        inhibitions.map { inh in
            var s = InhibitionSources()
            for f in firing where inh.source.contains(where: { Glob.match($0, f.rule) }) {
                s.all.insert(f.fingerprint)
                s.byService[AlertRule.service(of: f.target), default: []].insert(f.fingerprint)
            }
            return s
        }
    }

    static func inhibited(_ a: AlertState, _ sources: [InhibitionSources], _ inhibitions: [InhibitRule]) -> Bool {
        for (i, inh) in inhibitions.enumerated() where inh.targets.contains(where: { Glob.match($0, a.rule) }) {
            let candidates = inh.sameService ? (sources[i].byService[AlertRule.service(of: a.target)] ?? []) : sources[i].all
            if candidates.contains(where: { $0 != a.fingerprint }) { return true }
        }
        return false
    }

    /// The firing alert that silences `a` (the database down for the payments alerts), if any.
    public static func inhibitor(of a: AlertState, in st: State, _ inhibitions: [InhibitRule]) -> AlertState? {
        let firing = st.alerts.values.filter(\.isFiring)
        for inh in inhibitions where inh.targets.contains(where: { Glob.match($0, a.rule) }) {
            let candidates = firing.filter { f in
                f.fingerprint != a.fingerprint && inh.source.contains { Glob.match($0, f.rule) }
                    && (!inh.sameService || AlertRule.service(of: f.target) == AlertRule.service(of: a.target))
            }
            if let f = candidates.min(by: { $0.fingerprint < $1.fingerprint }) { return f }
        }
        return nil
    }

    /// No more reminders for the firing alert `id` until it resolves. Returns the alert (nil when
    /// there is no such firing alert) and what to write; a second acknowledgement changes nothing.
    public static func acknowledge(_ st: inout State, id: String, by who: String, now: Date) -> (AlertState?, [AlertEffect]) {
        guard var a = st.alerts.values.first(where: { $0.id == id }), a.isFiring else { return (nil, []) }
        guard a.ackedBy == nil else { return (a, []) }
        a.ackedBy = who
        a.ackedAt = now
        st.alerts[a.fingerprint] = a
        return (a, [.save([a])])
    }

    /// Silences a rule name or a fingerprint for `duration` seconds from `now`.
    public static func mute(_ st: inout State, _ key: String, for duration: Double, reason: String?, by who: String?,
                            now: Date) -> (Mute, [AlertEffect]) {
        let m = Mute(key: key, until: now.addingTimeInterval(duration), reason: reason, by: who, createdAt: now)
        st.mutes[key] = m
        return (m, [.saveMute(m)])
    }

    /// Lifts a mute; the Bool says whether it was still live at `now`.
    public static func unmute(_ st: inout State, _ key: String, now: Date) -> (Bool, [AlertEffect]) {
        let live = st.mutes[key].map { $0.until > now } ?? false
        st.mutes[key] = nil
        return (live, [.deleteMute(key)])
    }
}
