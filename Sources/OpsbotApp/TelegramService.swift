import Foundation
import LocalStore
import ServiceLifecycle
import TelegramBotAPI
import UnixSignals
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbot run`: getMe, the command menu, then the app's services (`AppServices`: features,
/// SIGHUP listener, the poller) until SIGTERM/SIGINT stops them gracefully. Returns the exit code.
public enum TelegramService {
    /// `reload` re-reads config and catalog; it is called on SIGHUP. `stopSignals` stop it
    /// gracefully (none: only a parent's graceful shutdown does — tests, with ServiceLifecycleTestKit).
    public static func serve(runtime: Runtime, token: String, store: Store, clock: any OpsClock = SystemClock(),
                             stopSignals: [UnixSignal] = [.sigterm, .sigint],
                             reload: (@Sendable () -> Runtime)? = nil) async -> Int32 {
        let config = runtime.config
        let api = BotAPI(baseURL: config.telegram.apiURL, token: token, observer: OpsMetrics.botAPIObserver)
        let me: TGUser
        do {
            me = try await api.getMe()
        } catch let e as BotAPIError where e.kind == .unauthorized {
            Log.error("Telegram rejected the bot token (401 Unauthorized): check OPSBOT_TOKEN (from @BotFather). Not starting.")
            await HeartbeatFeature.stopping(config, reason: "Telegram rejected the bot token (401 Unauthorized)")
            return 2
        } catch {
            Log.error("cannot reach the Bot API at \(config.telegram.apiURL): \(error). Not starting.")
            await HeartbeatFeature.stopping(config, reason: "cannot reach the Bot API at start: \(error)")
            return 2
        }
        Log.info("connected as @\(me.username ?? "?") (id \(me.id)); admin chats \(config.admins.chats.map(String.init).joined(separator: ", "))")

        let transport = TelegramTransport(api: api, documentThreshold: config.output.documentThreshold, clock: clock)
        let app = runtime.makeApp(transport: transport, store: store, clock: clock)
        let router = Router(app: app)
        router.botUsername = me.username
        await router.start()

        if let hook = try? await api.getWebhookInfo(), !hook.url.isEmpty {
            Log.warning("a webhook is set for this bot (\(hook.url)): Telegram refuses getUpdates while it is. Delete it (deleteWebhook) or give opsbot its own bot token.")
        }
        await CommandMenu.publish(runtime.catalog, language: config.language, api: api)
        await Runtime.announceCatalogProblems(app)

        let offset: Int64?
        do { offset = try store.updateOffset() } catch {
            Log.error("cannot read the update offset from the state store: \(error)")
            return 2
        }
        let poller = TelegramPoller(poller: UpdatePoller(api: api, pollTimeout: config.telegram.pollTimeout, initialOffset: offset, clock: clock),
                                    store: store, router: router, clock: clock)
        let group = AppServices.group(app: app, frontEnd: poller, frontEndName: "telegram poller", api: api,
                                      reload: reload, stopSignals: stopSignals, clock: clock)
        var code: Int32 = 0
        do { try await group.run() } catch {
            Log.error("\(error)")
            await HeartbeatFeature.stopping(app.config, reason: "\(error)")
            code = 2
        }
        Log.info("stopped")
        Log.flush()
        return code
    }
}

/// The long poll and the actions it starts. A stop ends the poll at once (a long poll in flight
/// is aborted), then waits for running actions up to 10 s; a fatal poll error (the token was
/// revoked) does the same, then stops the group with that error.
struct TelegramPoller: Service {
    let poller: UpdatePoller
    let store: Store
    let router: Router
    let clock: any OpsClock
    let actions = RunningActions()

    func run() async throws {
        var fatal: Error?
        do {
            try await cancelWhenGracefulShutdown { [poller, store, router, actions] in
                try await poller.run(persistOffset: { try store.setUpdateOffset($0) }, polled: {
                    router.app.pollingHealth.succeeded(at: clock.now())
                }, handle: { update in
                    OpsMetrics.current.updateReceived(at: clock.now())
                    guard let incoming = Incoming(update) else { return }
                    actions.start {
                        StageTrace.mark("dispatched")
                        await router.handle(incoming)
                        if let trace = StageTrace.current { Log.info(trace.line) }
                    }
                })
            }
            Log.info("stopping — no new updates, waiting for running actions")
        } catch {
            fatal = error
        }
        let left = await actions.waitUntilIdle(timeout: .seconds(10), clock: clock)
        if left > 0 { Log.warning("\(left) action(s) still running at exit") }
        if let fatal { throw fatal }
    }
}
