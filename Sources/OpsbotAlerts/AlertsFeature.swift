// OpsbotAlerts — the alerts feature: the check scheduler, the engine (pure core in `Alerting`)
// with its SQLite state, the outbox, the renderer, /alerts /mute /unmute and the `a:` buttons.
// Depends on OpsbotCore and Alerting; other alert sources plug in through `AlertMuteHook`.

import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport

/// Alerts pushed to the admin chat: the scheduler runs the check providers, the engine turns
/// results into notifications, the outbox delivers them. Commands /alerts, /mute, /unmute;
/// buttons with prefix `a`; check provider `alert_delivery`.
public final class AlertsFeature: Feature, Sendable {
    public let config: Config
    /// Built by `attach` from the config and the app's local store (the alert state lives there).
    private let bound = Locked<Result<AlertService, Error>?>(nil)

    /// Another alert source that follows mutes (Alertmanager's silences).
    public let muteHook: (any AlertMuteHook)?

    public init(config: Config, muteHook: (any AlertMuteHook)? = nil) {
        self.config = config
        self.muteHook = muteHook
    }

    /// The engine, outbox and store of this process; throws when `alerts:` is invalid.
    public func service() throws -> AlertService {
        guard let r = bound.current else { throw AlertsNotStarted() }
        return try r.get()
    }

    public func attach(_ app: AppContext) {
        bound.withLock {
            $0 = Result {
                let cfg = try AlertsConfig.load(config)
                let setting = cfg.language
                return try AlertService(config: cfg, chatID: cfg.chat(config), db: app.store.db, clock: app.clock,
                                        instance: try AlertsConfig.instance(config),
                                        pushLanguage: { [weak app] chat in app?.pushLanguage(chat: chat, setting: setting) ?? setting?.fixed ?? .en })
            }
        }
    }

    /// Firing alerts, unmuted and muted, for `/status`; nil when alerts are off or broken.
    public func firingCounts() -> (firing: Int, muted: Int)? {
        guard let svc = try? service(), svc.config.enabled else { return nil }
        let active = svc.engine.active.filter(\.isFiring)
        return (active.filter { !svc.engine.isMuted($0) }.count, active.filter { svc.engine.isMuted($0) }.count)
    }

    public static var configSections: [ConfigSection] { [ConfigSection("alerts", as: AlertsConfig.self), ConfigSection("instance", as: String.self)] }

    public static func validate(_ config: Config) -> [ConfigError] {
        let cfg: AlertsConfig
        do { cfg = try AlertsConfig.load(config) } catch let e as ConfigError { return [e] } catch {
            return [ConfigError(file: config.source, key: "alerts", message: "\(error)")]
        }
        var errors: [ConfigError] = []
        if cfg.enabled && cfg.chat(config) == nil {
            errors.append(ConfigError(file: config.source, key: "alerts.chat_id", message: "no alert chat: set alerts.chat_id or admins.chats"))
        }
        return errors
    }

    public func registerModules(_ r: ModuleRegistry) {
        r.register("alerts") { _, _ in AlertsModule(alerts: self) }
        r.register("mute") { _, _ in MuteModule(alerts: self) }
        r.register("unmute") { _, _ in UnmuteModule(alerts: self) }
    }

    public func registerChecks(_ registry: CheckRegistry) {
        registry.register(AlertDeliveryCheck(alerts: self))
    }

    public func registerCallbacks(_ registry: CallbackRegistry) {
        registry.register(prefix: "a", AlertCallbackHandler(alerts: self))
    }

    /// The scheduler (one loop per provider) and the worker (evaluate + deliver every tick),
    /// until the task is cancelled.
    public func runBackground(_ app: AppContext) async {
        let svc: AlertService
        do { svc = try service() } catch {
            Log.error("alerts: not started: \(error)")
            return
        }
        guard svc.config.enabled else { Log.info("alerts: disabled (alerts.enabled: false)"); return }
        let jobs = svc.scheduledChecks(app.checks)
        Log.info("alerts: \(jobs.count) check provider(s) scheduled (\(jobs.map { "\($0.provider.name) every \(Durations.format($0.interval))" }.joined(separator: ", "))), alert chat \(svc.chatID.map(String.init) ?? "none")")
        let off = svc.unscheduledChecks(app.checks)
        if !off.isEmpty {
            Log.warning("alerts: alerts.checks lists only \(svc.config.checks.keys.sorted().joined(separator: ", ")), so these checks never run and never alert: \(off.joined(separator: ", ")) (add them to alerts.checks, or remove alerts.checks to run every check at default_interval)")
        }
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                let scheduler = CheckScheduler(interval: job.interval, timeout: svc.config.timeout, jitter: svc.config.jitter,
                                               clock: app.clock)
                let provider = job.provider
                group.addTask {
                    await scheduler.loop(initialDelay: Double.random(in: 0...0.5), run: {
                        let elapsed = app.clock.stopwatch()
                        let r = await provider.run(app)
                        OpsMetrics.current.check(provider: provider.name, seconds: elapsed())
                        return r
                    }) { results in
                        if results == nil { OpsMetrics.current.check(provider: provider.name, seconds: nil) }
                        if let results {
                            svc.submit(provider.name, results)
                        } else {
                            Log.warning("alerts: check \(provider.name) timed out after \(Durations.format(scheduler.timeout))")
                            let why = AlertText.checkTimedOut(check: provider.name, seconds: scheduler.timeout)
                            svc.submit("scheduler:\(provider.name)", [CheckResult(check: "check_timeout", target: provider.name, status: .warning, message: why)])
                            svc.submit(provider.name, [], unreachable: why.localized)
                        }
                    }
                }
            }
            group.addTask { await Self.worker(app, svc) }
            await group.waitForAll()
        }
    }

    static func worker(_ app: AppContext, _ svc: AlertService) async {
        var lastPrune = Date.distantPast
        var lastRecord = Date.distantPast
        while !Task.isCancelled {
            svc.evaluateRound()
            await svc.deliver(app)
            let now = app.clock.now()
            if now.timeIntervalSince(lastRecord) >= 60 {
                // For `/graph alerts`: how many alerts fire (muted ones included), once a minute.
                app.store.history.record([("alerts:firing", Double(svc.engine.active.filter(\.isFiring).count))], at: now)
                lastRecord = now
            }
            if now.timeIntervalSince(lastPrune) > 3600 {
                try? svc.store.prune(olderThan: 7 * 86400, now: now)
                lastPrune = now
            }
            // Every tick, or at once when a source asks (an Alertmanager webhook: ≤ 100 ms to the chat).
            await svc.evaluationWakeup.wait(timeout: svc.config.tick, clock: app.clock)
        }
    }
}

/// `service()` before `attach` (a programming error, said plainly rather than crashing).
struct AlertsNotStarted: Error, CustomStringConvertible, Localizable {
    var description: String { english }
    var english: String { AlertText.notStarted.english }
    var russian: String { AlertText.notStarted.russian }
}
