import Foundation
import LocalStore
import TelegramBotAPI

/// `opsbot run`: getMe, the command menu, the poll loop, the background features, and a
/// graceful stop on SIGTERM/SIGINT. Returns the process exit code.
public enum TelegramService {
    /// `reload` re-reads config and catalog; it is called on SIGHUP.
    public static func serve(runtime: Runtime, token: String, store: Store, stopSignal: (@Sendable () async -> Void)? = nil,
                             reload: (@Sendable () -> Runtime)? = nil) async -> Int32 {
        let config = runtime.config
        let api = BotAPI(baseURL: config.telegram.apiURL, token: token)
        OpsMetrics.observeBotAPI()
        let me: TGUser
        do {
            me = try await api.getMe()
        } catch let e as BotAPIError where e.kind == .unauthorized {
            Log.error("Telegram rejected the bot token (401 Unauthorized): check OPSBOT_TOKEN (from @BotFather). Not starting.")
            return 2
        } catch {
            Log.error("cannot reach the Bot API at \(config.telegram.apiURL): \(error). Not starting.")
            return 2
        }
        Log.info("connected as @\(me.username ?? "?") (id \(me.id)); admin chats \(config.admins.chats.map(String.init).joined(separator: ", "))")

        let transport = TelegramTransport(api: api, documentThreshold: config.output.documentThreshold)
        let app = runtime.makeApp(transport: transport, store: store)
        let router = Router(app: app)
        router.botUsername = me.username
        await router.start()

        if let hook = try? await api.getWebhookInfo(), !hook.url.isEmpty {
            Log.warning("a webhook is set for this bot (\(hook.url)): Telegram refuses getUpdates while it is. Delete it (deleteWebhook) or give opsbot its own bot token.")
        }
        let menu = runtime.catalog.visible.map { (command: $0.name, description: $0.description) }
        do { try await api.setMyCommands(menu) } catch { Log.warning("setMyCommands failed (the menu may be stale): \(error)") }
        await Runtime.announceCatalogProblems(app)

        let offset: Int64?
        do { offset = try store.updateOffset() } catch {
            Log.error("cannot read the update offset from the state store: \(error)")
            return 2
        }
        let inFlight = InFlight()
        let poller = UpdatePoller(api: api, pollTimeout: config.telegram.pollTimeout, initialOffset: offset)
        let background = Locked<Task<Void, Never>?>(Task { await Runtime.runBackground(app) })
        let hangUp = Task {
            guard let reload else { return }
            for await _ in HangUp.signals() {
                await Reload.apply(reload(), to: app, api: api, background: background)
            }
        }
        // The first of: polling ended (fatal error) or a stop was asked for. A long poll in
        // flight is not waited for: its thread is abandoned at exit.
        let (ended, signal) = AsyncStream<Int32?>.makeStream()
        let polling = Task {
            do {
                try await poller.run(persistOffset: { try store.setUpdateOffset($0) }, handle: { update in
                    OpsMetrics.current.updateReceived(at: Date())
                    guard let incoming = Incoming(update) else { return }
                    inFlight.run {
                        StageTrace.mark("dispatched")
                        await router.handle(incoming)
                        if let trace = StageTrace.current { Log.info(trace.line) }
                    }
                })
                signal.yield(0)
            } catch {
                Log.error("\(error)")
                signal.yield(2)
            }
        }
        let stop = Task {
            if let stopSignal { await stopSignal() } else {
                let sig = await Termination.wait()
                Log.info("signal \(sig): stopping — no new updates, waiting for running actions")
            }
            signal.yield(nil)
        }
        var code: Int32 = 0
        for await e in ended {
            code = e ?? 0
            break
        }
        polling.cancel()
        stop.cancel()
        hangUp.cancel()
        background.current?.cancel()
        let left = await inFlight.drain(timeout: 10)
        if left > 0 { Log.warning("\(left) action(s) still running at exit") }
        Log.info("stopped")
        Log.flush()
        return code
    }
}
