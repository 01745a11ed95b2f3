// OpsbotAlertmanager — Alertmanager as an alert source: the poller, silences (/silences,
// /expire_silence) and the mute hook that turns a chat mute into a silence. Depends on
// OpsbotCore and OpsbotAlerts.

import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// Alertmanager as an alert source (`alertmanager:`): a poll loop feeding opsbot's alert engine,
/// woken early by the webhook; `/silences`, `/expire_silence`; Mute/Unmute create/expire silences.
public struct AlertmanagerFeature: Feature {
    public static var configSections: [ConfigSection] { [ConfigSection("alertmanager", as: AlertmanagerConfig.self)] }

    /// Nil when `alertmanager:` is not configured (or unusable, logged).
    public let source: AlertmanagerSource?
    let alerts: AlertsFeature
    /// `alertmanager:` is there (its check reports an unusable one).
    let configured: Bool

    /// `source`: from `AlertmanagerSource.make(config)`, shared with the alerts feature's mute hook.
    public init(config: Config, source: AlertmanagerSource?, alerts: AlertsFeature) {
        self.source = source
        self.alerts = alerts
        configured = ((try? AlertmanagerConfig.load(config)) ?? nil) != nil
    }

    public static func validate(_ config: Config) -> [ConfigError] {
        let cfg: AlertmanagerConfig
        do {
            guard let c = try AlertmanagerConfig.load(config) else { return [] }
            cfg = c
        } catch let e as ConfigError { return [e] } catch {
            return [ConfigError(file: config.source, key: "alertmanager", message: "\(error)")]
        }
        var errors: [ConfigError] = []
        if let alerts = try? AlertsConfig.load(config), !alerts.catchAll {
            errors.append(ConfigError(file: config.source, key: "alerts.catch_all",
                                      message: "is false, so Alertmanager alerts (which no rule names) would be dropped: set it to true or remove alertmanager"))
        }
        for (key, file) in [("alertmanager.bearer_token_file", cfg.bearerTokenFile), ("alertmanager.webhook_token_file", cfg.webhookTokenFile)] {
            guard let file else { continue }
            do { _ = try readSecretFile(file, key: key, config: config) } catch let e as ConfigError { errors.append(e) } catch {}
        }
        return errors
    }

    public func registerModules(_ r: ModuleRegistry) {
        r.register("silences") { _, _ in SilencesModule(source: source, configured: configured) }
        r.register("expire_silence") { _, _ in ExpireSilenceModule(source: source, configured: configured) }
    }

    public func registerChecks(_ registry: CheckRegistry) {
        if configured { registry.register(AlertmanagerCheck(source: source)) }
    }

    public func registerCallbacks(_ registry: CallbackRegistry) {
        registry.register(prefix: "am", AlertmanagerCallbackHandler())
    }

    /// Polls every `poll` (or at once when the webhook wakes it) and submits the snapshot.
    public func runBackground(_ app: AppContext) async {
        guard let src = source else { return }
        let svc: AlertService
        do { svc = try alerts.service() } catch { Log.error("alertmanager: alerts not available: \(error)"); return }
        guard svc.config.enabled else { Log.warning("alertmanager: configured, but alerts.enabled is false: not polling"); return }
        Log.info("alertmanager: polling \(src.config.url) every \(Durations.format(src.config.poll))")
        while !Task.isCancelled {
            let elapsed = app.clock.stopwatch()
            let results = await src.poll(app: app, muting: svc)
            OpsMetrics.current.check(provider: AlertmanagerSource.providerName, seconds: elapsed())
            svc.submit(AlertmanagerSource.providerName, results, wake: true)
            // A webhook flood polls at most 5 times a second (they coalesce in the wakeup).
            try? await app.clock.sleep(for: .milliseconds(200))
            await src.wakeup.wait(timeout: max(0, src.config.poll - 0.2), clock: app.clock)
        }
    }
}
