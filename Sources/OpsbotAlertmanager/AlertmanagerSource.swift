import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// Alertmanager as an alert source. Each poll is a full snapshot of its alerts: each one becomes
/// a check result of provider `alertmanager` in opsbot's own engine (name from `alertname`,
/// target from the other identifying labels), so it gets opsbot's buttons, reminders and outbox.
/// An alert gone from the snapshot resolves — also one that resolved while silenced, which
/// Alertmanager never reports. Alertmanager unreachable: its alerts stay *unknown* (not resolved)
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
                return s.lastResults
            }
            Log.warning("alertmanager: poll failed: \(error)")
            let unknown = known.map { r -> CheckResult in
                var u = r
                u.status = .unknown
                u.summary = "unknown: Alertmanager unreachable (last: \(r.summary))"
                return u
            }
            return unknown + [CheckResult(check: "alertmanager", target: reach, status: .critical,
                                          summary: "Alertmanager at \(reach) unreachable: \(error). Its \(known.count) alert(s) are unknown until it answers again.")]
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
        let lastWatchdog = state.withLock { s -> Date? in
            s.lastResults = results
            s.labels = labels
            s.lastPoll = (now, true)
            if watchdogSeen { s.watchdogSeen = now }
            return s.watchdogSeen
        }
        if let alerts { muteSuppressed(alerts, suppressed, now: now) }
        results.append(CheckResult(check: "alertmanager", target: reach, status: .ok, summary: "\(fetched.count) alert(s)"))
        if let w = config.watchdogAlertname {
            let since = lastWatchdog ?? startedAt
            let missing = now.timeIntervalSince(since)
            results.append(missing > config.watchdogTimeout
                ? CheckResult(check: "alertmanager_watchdog", target: w, status: .critical,
                              summary: "the always-firing \(w) alert has been missing from Alertmanager for \(Durations.format(missing)): the Prometheus → Alertmanager path is broken", value: missing)
                : CheckResult(check: "alertmanager_watchdog", target: w, status: .ok))
        }
        return results
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

    /// A silenced or inhibited alert is muted in opsbot while Alertmanager suppresses it
    /// (renewed each poll, never shortening a longer mute someone set).
    func muteSuppressed(_ svc: AlertService, _ fingerprints: [String], now: Date) {
        guard !fingerprints.isEmpty else { return }
        let hold = config.poll * 3 + 60
        let live = Dictionary(svc.engine.mutes.map { ($0.key, $0.until) }, uniquingKeysWith: { a, _ in a })
        for fp in fingerprints where (live[fp].map { $0.timeIntervalSince(now) } ?? 0) < config.poll * 2 + 30 {
            svc.engine.mute(fp, for: hold, reason: "silenced or inhibited in Alertmanager", by: "alertmanager")
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
            return [CheckResult(check: "alertmanager", target: "config", status: .unknown, summary: "alertmanager: not configured or its token file is unreadable")]
        }
        return await src.poll(app: app)
    }
}

/// A one-slot wake signal: `wait` returns after `timeout` seconds or as soon as `signal` is
/// called (a signal while nobody waits is kept for the next wait; many coalesce into one).
public final class Wakeup: Sendable {
    private struct S { var pending = false; var cont: CheckedContinuation<Void, Never>?; var timer: Task<Void, Never>? }
    private let s = Locked(S())
    public init() {}

    public func signal() {
        let c = s.withLock { st -> CheckedContinuation<Void, Never>? in
            guard let c = st.cont else { st.pending = true; return nil }
            st.cont = nil
            st.timer?.cancel()
            st.timer = nil
            return c
        }
        c?.resume()
    }

    public func wait(timeout: Double, clock: any OpsClock = SystemClock()) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
                let now = s.withLock { st -> Bool in
                    if st.pending || Task.isCancelled { st.pending = false; return true }
                    st.cont = cont
                    st.timer = Task { [weak self] in
                        do { try await clock.sleep(seconds: timeout) } catch { return }
                        self?.signal()
                    }
                    return false
                }
                if now { cont.resume() }
            }
        } onCancel: { self.signal() }
    }
}
