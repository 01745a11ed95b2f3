import Alerting
import Foundation

/// Alerts pushed to the admin chat: the scheduler runs the check providers, the engine turns
/// results into notifications, the outbox delivers them. Commands /alerts, /mute, /unmute;
/// buttons with prefix `a`; check provider `alert_delivery`.
public enum AlertsFeature: Feature {
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
        let registry = Features.checkRegistry(config)
        let known = registry.all.map(\.name)
        for name in cfg.checks.keys.sorted() where registry.named(name) == nil {
            errors.append(ConfigError(file: config.source, key: "alerts.checks.\(name)", message: "no such check provider (known: \(known.joined(separator: ", ")))"))
        }
        return errors
    }

    public static func registerModules(_ r: ModuleRegistry) {
        r.register("alerts") { _, _ in AlertsModule() }
        r.register("mute") { _, _ in MuteModule() }
        r.register("unmute") { _, _ in UnmuteModule() }
    }

    public static func registerChecks(_ registry: CheckRegistry, config: Config) {
        registry.register(AlertDeliveryCheck())
    }

    public static func registerCallbacks(_ registry: CallbackRegistry) {
        registry.register(prefix: "a", AlertCallbackHandler())
    }

    /// The scheduler (one loop per provider) and the worker (evaluate + deliver every tick),
    /// until the task is cancelled.
    public static func runBackground(_ app: AppContext) async {
        let svc: AlertService
        do { svc = try AlertService.shared(app) } catch {
            Log.error("alerts: not started: \(error)")
            return
        }
        guard svc.config.enabled else { Log.info("alerts: disabled (alerts.enabled: false)"); return }
        let jobs = svc.scheduledChecks(app.checks)
        Log.info("alerts: \(jobs.count) check provider(s) scheduled (\(jobs.map { "\($0.provider.name) every \(Durations.format($0.interval))" }.joined(separator: ", "))), alert chat \(svc.chatID.map(String.init) ?? "none")")
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
                            let why = "check \(provider.name) did not finish within \(Durations.format(scheduler.timeout))"
                            svc.submit("scheduler:\(provider.name)", [CheckResult(check: "check_timeout", target: provider.name, status: .warning, summary: why)])
                            svc.submit(provider.name, [], unreachable: why)
                        }
                    }
                }
            }
            group.addTask { await worker(app, svc) }
            await group.waitForAll()
        }
    }

    static func worker(_ app: AppContext, _ svc: AlertService) async {
        var lastPrune = Date.distantPast
        while !Task.isCancelled {
            svc.evaluateRound()
            await svc.deliver(app)
            let now = app.clock.now()
            if now.timeIntervalSince(lastPrune) > 3600 {
                try? svc.store.prune(olderThan: 7 * 86400, now: now)
                lastPrune = now
            }
            do { try await app.clock.sleep(seconds: svc.config.tick) } catch { return }
        }
    }
}
