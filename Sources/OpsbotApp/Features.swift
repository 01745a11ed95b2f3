// OpsbotApp — the composition root: which features this build has and how they are wired
// (`Features`), loading and validating a whole setup (`Runtime`, `CrossChecks`), reloads, and
// running it against Telegram (`TelegramService`). The only target that knows every feature.

import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener
import OpsbotGraphs

/// The composition: every feature compiled into opsbot, built as values from one config and
/// wired to each other (alerts count for `/status`, Alertmanager follows mutes, the listener
/// serves both). A new feature adds its type to `types` and one line to `build`.
public enum Features {
    /// Every feature type: the config sections they own are what a config may contain.
    public static let types: [any Feature.Type] = [
        CoreFeature.self, AlertsFeature.self, ServicesFeature.self, DatabaseFeature.self,
        AlertmanagerFeature.self, HTTPListenerFeature.self, HeartbeatFeature.self, GraphFeature.self,
    ]

    /// Every top-level config key of this build.
    public static var configSections: [ConfigSection] { ConfigLoader.sections(types) }

    /// The features of `config`. `environment`: what service backends see (opsbot's own, or a test's).
    /// `clock`: what restart verification and platform rate-limit waits sleep on (the app's clock).
    public static func build(_ config: Config, environment: [String: String] = ProcessInfo.processInfo.environment,
                             clock: any OpsClock = SystemClock()) -> FeatureWiring {
        let source = AlertmanagerSource.make(config)
        let alerts = AlertsFeature(config: config, muteHook: source.map { AlertmanagerSilencing(source: $0) })
        let services = ServicesFeature(config: config, environment: environment, clock: clock, alertCounts: { alerts.firingCounts() })
        return FeatureWiring([
            CoreFeature(),
            alerts,
            services,
            DatabaseFeature(config: config, environment: environment, clock: clock),
            AlertmanagerFeature(config: config, source: source, alerts: alerts),
            HTTPListenerFeature(source: source, alerts: alerts),
            HeartbeatFeature(config: config),
            GraphFeature(config: config, services: services),
        ])
    }

    /// Every feature's own config checks (`opsbot validate`).
    public static func validate(_ config: Config) -> [ConfigError] {
        types.flatMap { $0.validate(config) }
    }
}

/// `ConfigLoader` with this build's sections: what the binary and the tests read configs with.
public enum OpsbotConfig {
    public static func read(_ yaml: String, source: String, baseDirectory: String) throws -> Config {
        try ConfigLoader.read(yaml, source: source, baseDirectory: baseDirectory, sections: Features.configSections)
    }
    public static func decode(_ yaml: String, source: String, baseDirectory: String) throws -> (config: Config, session: ConfigDecodingSession) {
        try ConfigLoader.decode(yaml, source: source, baseDirectory: baseDirectory, sections: Features.configSections)
    }
    public static func parse(_ yaml: String, source: String, baseDirectory: String) throws -> Config {
        try ConfigLoader.parse(yaml, source: source, baseDirectory: baseDirectory, sections: Features.configSections)
    }
    public static func load(path: String?, demo: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        try ConfigLoader.load(path: path, demo: demo, environment: environment, sections: Features.configSections)
    }
}
