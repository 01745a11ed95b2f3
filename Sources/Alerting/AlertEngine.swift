import Foundation
import OpsbotSupport

/// Turns rounds of check results into notifications: `for`, repeat, hysteresis, flapping,
/// inhibition, grouping, acknowledge and mute. The decisions are `AlertEvaluation`'s (a pure
/// core); this shell holds the state behind a lock, reads the clock, writes through
/// `AlertPersistence` and hands the notifications out.
public final class AlertEngine: Sendable {
    public typealias Settings = AlertSettings

    public let policy: AlertPolicy
    public var settings: Settings { policy.settings }
    public var rules: [AlertRule] { policy.rules }
    private let clock: any OpsClock
    private let persistence: AlertPersistence
    private let state: Locked<AlertEvaluation.State>

    public init(rules: [AlertRule], settings: Settings = Settings(), clock: any OpsClock, persistence: AlertPersistence) throws {
        self.policy = AlertPolicy(rules: rules, settings: settings)
        self.clock = clock
        self.persistence = persistence
        state = Locked(.loaded(alerts: try persistence.loadAlerts(), mutes: try persistence.loadMutes()))
    }

    public func rule(named name: String) -> AlertRule? { policy.rule(named: name) }

    // MARK: evaluation

    /// Evaluates one round (the results of every provider that finished since the last one);
    /// see `AlertEvaluation.step` for what it decides.
    public func evaluate(_ batch: [SourceResults]) -> [AlertNotification] {
        let now = clock.now()
        return state.withLock { st -> [AlertNotification] in
            perform(AlertEvaluation.step(&st, batch, policy: policy, now: now, newID: newID))
        }
    }

    /// Writes the state effects and returns the notifications, in order.
    private func perform(_ effects: [AlertEffect]) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for effect in effects {
            do {
                switch effect {
                case .notify(let n): out.append(n)
                case .save(let alerts): try persistence.saveAlerts(alerts)
                case .delete(let fps): try persistence.deleteAlerts(fps)
                case .saveMute(let m): try persistence.saveMute(m)
                case .deleteMute(let key): try persistence.deleteMute(key)
                }
            } catch {
                switch effect {
                case .saveMute: Log.error("alerts: cannot persist mute: \(error)")
                case .deleteMute: Log.error("alerts: cannot persist unmute: \(error)")
                default: Log.error("alerts: cannot persist alert state: \(error)")
                }
            }
        }
        return out
    }

    private func newID() -> String {
        let n = (try? persistence.nextAlertSequence()) ?? Int64(clock.now().timeIntervalSince1970 * 1000)
        return String(n, radix: 36)
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

    public func isMuted(_ a: AlertState) -> Bool { AlertEvaluation.isMuted(a, state.current.mutes, clock.now()) }

    /// The firing alert that silences `a` (the database down for the payments alerts), if any.
    public func inhibitor(of a: AlertState) -> AlertState? {
        AlertEvaluation.inhibitor(of: a, in: state.current, settings.inhibitions)
    }

    /// No more reminders until it resolves. Nil when there is no such firing alert.
    @discardableResult
    public func acknowledge(id: String, by who: String) -> AlertState? {
        state.withLock { st -> AlertState? in
            let (a, effects) = AlertEvaluation.acknowledge(&st, id: id, by: who, now: clock.now())
            _ = perform(effects)
            return a
        }
    }

    /// Silences a rule name or a fingerprint for `duration` seconds.
    @discardableResult
    public func mute(_ key: String, for duration: Double, reason: String? = nil, by who: String? = nil) -> Mute {
        let now = clock.now()
        let (m, effects) = state.withLock { AlertEvaluation.mute(&$0, key, for: duration, reason: reason, by: who, now: now) }
        _ = perform(effects)
        return m
    }

    /// True when there was a live mute for `key`.
    @discardableResult
    public func unmute(_ key: String) -> Bool {
        let now = clock.now()
        let (had, effects) = state.withLock { AlertEvaluation.unmute(&$0, key, now: now) }
        _ = perform(effects)
        return had
    }

    /// A rule name or a fingerprint `rule:target` of a known rule (or a tracked alert).
    public func isMuteKey(_ key: String) -> Bool {
        if rule(named: key) != nil || state.current.alerts[key] != nil { return true }
        guard let colon = key.firstIndex(of: ":") else { return false }
        return rule(named: String(key[..<colon])) != nil
    }
}
