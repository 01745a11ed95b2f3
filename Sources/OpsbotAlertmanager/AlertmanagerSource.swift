import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// Alertmanager as an alert source. Each poll is a full snapshot of its alerts: each one becomes
/// a check result of provider `alertmanager` in opsbot's own engine (name from `alertname`,
/// target from the other identifying labels), so it gets opsbot's buttons, reminders and outbox.
/// An alert gone from the snapshot resolves — also one that resolved while silenced, which
/// Alertmanager never reports — unless Alertmanager restarted since it was seen (`restartHeld`). Alertmanager unreachable: its alerts stay *unknown* (not resolved)
/// and one `alertmanager` reachability alert fires. Silenced or inhibited alerts are muted in
/// opsbot for as long as Alertmanager suppresses them: not notified, not taken for resolved.
public final class AlertmanagerSource: Sendable {
    public static let providerName = "alertmanager"
    public let config: AlertmanagerConfig
    public let api: AlertmanagerAPI
    /// Wakes the poll loop early (the webhook).
    public let wakeup = Wakeup()
    private struct State {
        var lastResults: [CheckResult] = []
        /// Engine fingerprint (`alertname:target`) → the Alertmanager alert's labels.
        var labels: [String: [String: String]] = [:]
        var watchdogSeen: Date?
        var lastPoll: (at: Date, ok: Bool)?
        /// Alerts gone from the snapshot right after an Alertmanager restart: unknown until they
        /// come back or `restart_grace` after the restart (by fingerprint, their last result).
        var held: [String: CheckResult] = [:]
        /// When `lastResults` were fetched.
        var lastGoodPoll: Date?
    }
    private let state = Locked(State())
    private let startedAt: Date

    public init(config: AlertmanagerConfig, bearerToken: String?, now: Date) {
        self.config = config
        api = AlertmanagerAPI(baseURL: config.url, timeout: config.timeout, bearerToken: bearerToken)
        startedAt = now
    }

    /// The configured source; nil when `alertmanager:` is absent, or invalid or its token file
    /// unreadable (a config problem: `Features.validate` lists it, so only a debug line here).
    public static func make(_ config: Config, now: Date = Date()) -> AlertmanagerSource? {
        let cfg: AlertmanagerConfig
        do {
            guard let c = try AlertmanagerConfig.load(config) else { return nil }
            cfg = c
        } catch {
            Log.debug("alertmanager: not started: \(error)")   // a config problem, listed by validate and at start
            return nil
        }
        var token: String?
        if let f = cfg.bearerTokenFile {
            do { token = try readSecretFile(f, key: "alertmanager.bearer_token_file", config: config) } catch {
                Log.debug("alertmanager: not started: \(error)")   // a config problem, listed by validate and at start
                return nil
            }
        }
        return AlertmanagerSource(config: cfg, bearerToken: token, now: now)
    }

    /// Labels of the Alertmanager alert behind an engine fingerprint, from the last good poll.
    public func labels(forFingerprint fp: String) -> [String: String]? { state.withLock { $0.labels[fp] } }

    public var lastPoll: (at: Date, ok: Bool)? { state.withLock { $0.lastPoll } }

    /// The engine's identity for an Alertmanager alert: `alertname` and the other labels
    /// (severity excluded: a changed severity is the same alert).
    public func identity(_ labels: [String: String]) -> (check: String, target: String) {
        let name = labels["alertname"].flatMap { $0.isEmpty ? nil : $0 } ?? "alertmanager_alert"
        let rest = labels.filter { $0.key != "alertname" && $0.key != config.severityLabel && !$0.value.isEmpty }
        let target = rest.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return (name, target.isEmpty ? "-" : target)
    }

    /// One poll: the results for the engine (and `opsbot check alertmanager`, which passes
    /// `muteSuppressed: false`: a one-off check changes no alert state).
    public func poll(app: AppContext, muting alerts: AlertService? = nil) async -> [CheckResult] {
        let now = app.clock.now()
        let reach = URL(string: config.url).map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? config.url
        let fetched: [AlertmanagerAPI.Alert]
        do {
            fetched = try await api.alerts(receiver: config.receiver)
        } catch {
            OpsMetrics.current.alertmanagerPoll(ok: false)
            let known = state.withLock { s -> [CheckResult] in
                s.lastPoll = (now, false)
                return s.lastResults + s.held.values.sorted { $0.fingerprint < $1.fingerprint }
            }
            Log.warning("alertmanager: poll failed: \(error)")
            let unknown = known.map { r -> CheckResult in
                var u = r
                u.status = .unknown
                u.setSummary(AlertmanagerText.unknownUnreachable(last: LocalizedText(en: r.summary, ru: r.summary(.ru))))
                return u
            }
            return unknown + [CheckResult(check: "alertmanager", target: reach, status: .critical,
                                          message: AlertmanagerText.unreachable(at: reach, error: "\(error)", alerts: known.count))]
        }
        OpsMetrics.current.alertmanagerPoll(ok: true)
        var results: [CheckResult] = []
        var labels: [String: [String: String]] = [:]
        var suppressed: [String] = []
        var watchdogSeen = false
        for a in fetched {
            if let w = config.watchdogAlertname, a.labels["alertname"] == w { watchdogSeen = true; continue }
            let id = identity(a.labels)
            let r = result(a, id)
            if labels[r.fingerprint] != nil { continue }    // same identity twice (differs only by severity)
            labels[r.fingerprint] = a.labels
            results.append(r)
            if a.status.state == "suppressed" { suppressed.append(r.fingerprint) }
        }
        results += await restartHeld(results, now: now)
        let lastWatchdog = state.withLock { s -> Date? in
            s.lastResults = results.filter { $0.status != .unknown }
            s.labels.merge(labels) { $1 }
            s.labels = s.labels.filter { labels[$0.key] != nil || s.held[$0.key] != nil }
            s.lastPoll = (now, true)
            s.lastGoodPoll = now
            if watchdogSeen { s.watchdogSeen = now }
            return s.watchdogSeen
        }
        if let alerts { muteSuppressed(alerts, suppressed, now: now) }
        results.append(CheckResult(check: "alertmanager", target: reach, status: .ok, message: AlertmanagerText.alertCount(fetched.count)))
        if let w = config.watchdogAlertname {
            let since = lastWatchdog ?? startedAt
            let missing = now.timeIntervalSince(since)
            results.append(missing > config.watchdogTimeout
                ? CheckResult(check: "alertmanager_watchdog", target: w, status: .critical,
                              message: AlertmanagerText.watchdogMissing(alertname: w, seconds: missing), value: missing)
                : CheckResult(check: "alertmanager_watchdog", target: w, status: .ok))
        }
        return results
    }

    /// Alertmanager keeps alerts in memory only: right after it restarts, the alerts Prometheus
    /// has not re-sent yet are missing from the snapshot. An alert last seen before Alertmanager
    /// (re)started and missing now is unknown (not resolved) while Alertmanager has been up less
    /// than `restart_grace`; one the running Alertmanager already reported and dropped did
    /// resolve. Asked (one `/api/v2/status`) only when some alert went missing. Returns the
    /// unknown results.
    func restartHeld(_ results: [CheckResult], now: Date) async -> [CheckResult] {
        let present = Set(results.map(\.fingerprint))
        let (fromLast, fromHeld, lastPoll) = state.withLock { s -> ([CheckResult], [CheckResult], Date?) in
            (s.lastResults.filter { !present.contains($0.fingerprint) && s.held[$0.fingerprint] == nil },
             s.held.values.filter { !present.contains($0.fingerprint) }, s.lastGoodPoll)
        }
        guard !fromLast.isEmpty || !fromHeld.isEmpty else {
            state.withLock { $0.held = [:] }
            return []
        }
        let started: Date
        do { started = try await api.startedAt() } catch {
            Log.warning("alertmanager: \(fromLast.count + fromHeld.count) alert(s) gone, and its start time unknown (\(error)): taken for resolved")
            state.withLock { $0.held = [:] }
            return []
        }
        let up = now.timeIntervalSince(started)
        // Last seen by an Alertmanager process that has since been replaced.
        let restartedSince = lastPoll.map { started > $0 } ?? false
        let missing = (fromHeld + (restartedSince ? fromLast : [])).sorted { $0.fingerprint < $1.fingerprint }
        guard up < config.restartGrace, !missing.isEmpty else {
            state.withLock { $0.held = [:] }
            return []
        }
        state.withLock { $0.held = Dictionary(missing.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a }) }
        Log.info("alertmanager: restarted \(Durations.format(max(0, up))) ago; \(missing.count) alert(s) not re-sent yet are unknown until \(Durations.format(config.restartGrace)) after its start")
        return missing.map { r in
            var u = r
            u.status = .unknown
            u.setSummary(AlertmanagerText.unknownRestarted(up: up, grace: config.restartGrace))
            return u
        }
    }

    func result(_ a: AlertmanagerAPI.Alert, _ id: (check: String, target: String)) -> CheckResult {
        let sev = (a.labels[config.severityLabel] ?? "").lowercased()
        let status: CheckResult.Status = ["critical", "page", "error", "high", "fatal"].contains(sev) ? .critical : .warning
        let ann = a.annotations ?? [:]
        let summary = ann["summary"] ?? ann["description"]?.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        var evidence: [String] = []
        if let d = ann["description"], ann["summary"] != nil { evidence += d.split(whereSeparator: \.isNewline).prefix(8).map(String.init) }
        evidence.append("labels: " + a.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if a.status.state == "suppressed" {
            evidence.append("Alertmanager: " + ((a.status.silencedBy ?? []).isEmpty ? "inhibited" : "silenced"))
        }
        var fix: String?
        if let r = ann[config.remediationAnnotation]?.trimmingCharacters(in: .whitespacesAndNewlines), r.hasPrefix("/"), r.count <= 200, !r.contains("\n") {
            fix = r
        }
        return CheckResult(check: id.check, target: id.target, status: status, summary: "[Alertmanager] " + summary,
                           evidence: evidence, remediation: fix)
    }

    /// Who the mutes that follow Alertmanager's suppression are by (a person's mute never is).
    static let muteOwner = "alertmanager"

    /// A silenced or inhibited alert is muted in opsbot while Alertmanager suppresses it
    /// (renewed each poll, never shortening a longer mute someone set). The hold outlasts a
    /// few failed polls; a good poll that finds the alert no longer suppressed — its silence
    /// expired, its inhibitor resolved, or the alert itself resolved — lifts the mute at once,
    /// so the alert notifies again on this poll and `/alerts` lists no stale mute.
    func muteSuppressed(_ svc: AlertService, _ fingerprints: [String], now: Date) {
        let suppressed = Set(fingerprints)
        for m in svc.engine.mutes where m.by == Self.muteOwner && !suppressed.contains(m.key) {
            svc.engine.unmute(m.key)
        }
        guard !fingerprints.isEmpty else { return }
        let hold = config.poll * 3 + 60
        let live = Dictionary(svc.engine.mutes.map { ($0.key, $0.until) }, uniquingKeysWith: { a, _ in a })
        for fp in fingerprints where (live[fp].map { $0.timeIntervalSince(now) } ?? 0) < config.poll * 2 + 30 {
            svc.engine.mute(fp, for: hold, reason: AlertText.muteReasonAlertmanager.english, by: Self.muteOwner)
        }
    }
}

/// A provider so that `opsbot check alertmanager` works; the alert scheduler leaves it to
/// `AlertmanagerFeature`'s own loop, which the webhook can wake.
struct AlertmanagerCheck: CheckProvider {
    let source: AlertmanagerSource?
    var name: String { AlertmanagerSource.providerName }
    var scheduledByAlerts: Bool { false }
    func run(_ app: AppContext) async -> [CheckResult] {
        guard let src = source else {
            return [CheckResult(check: "alertmanager", target: "config", status: .unknown, message: AlertmanagerText.checkNotConfigured)]
        }
        return await src.poll(app: app)
    }
}
