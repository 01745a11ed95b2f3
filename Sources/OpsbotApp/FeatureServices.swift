import Foundation
import OpsbotCore
import OpsbotSupport
import ServiceLifecycle
import TelegramBotAPI

/// Every feature's background work (alert scheduler and outbox, Alertmanager poll, HTTP
/// listener, service sampling and its SSH masters) as one service per feature, in a
/// `ServiceGroup` of their own — one group per config generation. A reload request re-reads the
/// config; an invalid one changes nothing, a valid one stops this generation (in reverse order,
/// each service awaited), swaps the config in and starts the next.
public struct FeatureServices: Service, CustomStringConvertible {
    let app: AppContext
    let reloads: AsyncStream<Void>
    let load: (@Sendable () -> Runtime)?
    /// The Telegram menu to update after a reload; nil in the console.
    let api: BotAPI?
    let clock: any OpsClock

    /// `reloads` are the requests (SIGHUP); `load` re-reads config and catalog for each.
    public init(app: AppContext, reloads: AsyncStream<Void> = AsyncStream { $0.finish() },
                load: (@Sendable () -> Runtime)? = nil, api: BotAPI? = nil, clock: any OpsClock = SystemClock()) {
        self.app = app
        self.reloads = reloads
        self.load = load
        self.api = api
        self.clock = clock
    }

    public var description: String { "features" }

    public func run() async throws {
        var requests = reloads.cancelOnGracefulShutdown().makeAsyncIterator()
        while true {
            let generation = ServiceGroup(configuration: Self.generation(app, clock: clock))
            let accepted: Runtime? = try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await generation.run() }
                var accepted: Runtime?
                // Until a reload is accepted, or the group shuts down (then `next()` is nil).
                while accepted == nil, await requests.next() != nil {
                    guard let load else { continue }
                    let next = load()
                    if await !Reload.refuses(next, app: app) { accepted = next }
                }
                // No more requests (none can come): run until the group stops.
                if accepted == nil { try? await gracefulShutdown() }
                await generation.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return accepted
            }
            guard let accepted else { return }
            await Reload.apply(accepted, to: app, api: api)
        }
    }

    /// One service per feature of the app's current wiring; one with nothing to run (not
    /// configured) just returns.
    static func generation(_ app: AppContext, clock: any OpsClock) -> ServiceGroupConfiguration {
        let services = app.wiring.features.map { feature in
            ServiceGroupConfiguration.ServiceConfiguration(service: FeatureBackground(feature: feature, app: app, clock: clock),
                                                           successTerminationBehavior: .ignore,
                                                           serviceName: "\(type(of: feature))")
        }
        return ServiceGroupConfiguration(services: services, logger: Log.logger)
    }
}

/// A feature's `runBackground`, cancelled when its group shuts down and given `grace` to finish
/// (an SSH master to close); work that does not notice the cancellation by then (a check
/// provider mid-run) is left behind, so a stop never waits on it.
struct FeatureBackground: Service {
    static let grace = Duration.seconds(3)

    let feature: any Feature
    let app: AppContext
    let clock: any OpsClock

    func run() async {
        let feature = feature, app = app, clock = clock
        let ended = FirstAnswer<Void>()
        let work = Task {
            await feature.runBackground(app)
            ended.give(())
        }
        await withTaskCancellationOrGracefulShutdownHandler {
            await ended.wait {}
        } onCancelOrGracefulShutdown: {
            work.cancel()
            Task {
                try? await clock.sleep(for: Self.grace)
                ended.give(())
            }
        }
    }
}
