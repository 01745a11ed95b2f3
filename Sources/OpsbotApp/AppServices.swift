import Foundation
import OpsbotCore
import OpsbotSupport
import ServiceLifecycle
import TelegramBotAPI
import UnixSignals

/// What `opsbot run` and `opsbot console` run: one `ServiceGroup`, started in this order —
/// the second-signal watch, the features' background work, the SIGHUP listener, the front end
/// (Telegram poller or console input). SIGTERM or SIGINT shuts them down in reverse: the front
/// end first (no new updates; running actions finish or time out), then the listener, then the
/// features; a second signal meanwhile exits 130 at once.
public enum AppServices {
    /// The most a stop may take before the group cancels what is left (running actions have 10 s).
    public static let maximumGracefulShutdown = Duration.seconds(15)

    /// `frontEnd` ending, by itself or with an error, stops the whole group gracefully.
    /// `reload` re-reads config and catalog on SIGHUP (nil: SIGHUP is not handled).
    /// `stopSignals` empty: only a parent's graceful shutdown stops the group (tests).
    /// `background` false: no feature background work and no reload (a console beside a `run`).
    public static func group(app: AppContext, frontEnd: any Service, frontEndName: String, api: BotAPI?,
                             reload: (@Sendable () -> Runtime)?, stopSignals: [UnixSignal] = [.sigterm, .sigint],
                             clock: any OpsClock = SystemClock(), background: Bool = true) -> ServiceGroup {
        let (reloads, requests) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if !stopSignals.isEmpty {
            services.append(.init(service: SecondStopSignal(signals: stopSignals), serviceName: "second stop signal"))
        }
        // background false: another opsbot runs the scheduler, pollers and listener on this state.
        if background {
            services.append(.init(service: FeatureServices(app: app, reloads: reloads, load: reload, api: api, clock: clock), serviceName: "features"))
        }
        if reload != nil && background {
            services.append(.init(service: HangUpListener(requests: requests), serviceName: "SIGHUP listener"))
        }
        services.append(.init(service: frontEnd, successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: frontEndName))
        var config = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: stopSignals, logger: Log.logger)
        config.maximumGracefulShutdownDuration = maximumGracefulShutdown
        return ServiceGroup(configuration: config)
    }
}

/// A second SIGTERM/SIGINT while stopping (an impatient Ctrl-C): exit 130 at once instead of
/// waiting for running actions. First in the group, so it listens until everything else stopped.
struct SecondStopSignal: Service {
    let signals: [UnixSignal]

    func run() async {
        var seen = 0
        for await _ in await UnixSignalsSequence(trapping: signals).cancelOnGracefulShutdown() {
            seen += 1
            guard seen >= 2 else { continue }
            Log.warning("second stop signal: exiting now, without waiting for running actions")
            Log.flush()
            exit(130)
        }
    }
}

/// SIGHUP (`systemctl reload opsbot`, `kill -HUP`): each one is a reload request.
struct HangUpListener: Service {
    let requests: AsyncStream<Void>.Continuation

    func run() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            requests.yield()
        }
    }
}
