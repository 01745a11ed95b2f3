import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// `heartbeat:` as a feature: while `opsbot run` talks to Telegram, one round per interval
/// judges opsbot's own health — Telegram polling recent, alert messages delivered — and pings
/// the switch (`Heartbeat`). Not in `console` (a console session must not ping production's).
public struct HeartbeatFeature: Feature {
    public static var configSections: [ConfigSection] { [HeartbeatConfig.section] }

    let config: HeartbeatConfig?

    public init(config: Config) { self.config = try? HeartbeatConfig.load(config) }

    public static func validate(_ config: Config) -> [ConfigError] {
        do { _ = try HeartbeatConfig.load(config); return [] } catch let e as ConfigError { return [e] } catch {
            return [ConfigError(file: config.source, key: "heartbeat", message: "\(error)")]
        }
    }

    public func runBackground(_ app: AppContext) async {
        guard let config, app.transport is TelegramTransport else { return }
        await Heartbeat(config: config).run(clock: app.clock) { await Self.assess(app) }
    }

    /// What is wrong with opsbot itself this round; empty when healthy. The app's checks
    /// (a service down) are the alerts' business, not the switch's: it pages when opsbot is
    /// the one that cannot page.
    static func assess(_ app: AppContext) async -> [String] {
        var out: [String] = []
        let now = app.clock.now()
        let grace = Double(app.config.telegram.pollTimeout) + 60
        if let last = app.pollingHealth.lastSuccess {
            let age = now.timeIntervalSince(last)
            if age > grace { out.append("Telegram: no successful getUpdates for \(Durations.format(age))") }
        } else if now.timeIntervalSince(app.startedAt) > grace {
            out.append("Telegram: no successful getUpdates since the start, \(Durations.format(now.timeIntervalSince(app.startedAt))) ago")
        }
        if let delivery = app.checks.named(AlertDeliveryCheck.providerName) {
            for r in await delivery.run(app) where r.status == .critical { out.append("alerts: " + r.summary) }
        }
        return out
    }

    /// `/fail` now, before opsbot exits on an error (the token revoked, the Bot API unreachable
    /// at start): the switch hears why instead of waiting out its grace period.
    public static func stopping(_ config: Config, reason: String) async {
        guard let h = try? HeartbeatConfig.load(config) else { return }
        await Heartbeat(config: h).send(.fail("opsbot stopped: " + reason))
    }
}
