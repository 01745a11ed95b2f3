import Foundation
import LocalStore

/// Everything the router, the modules and the features share while opsbot runs.
public final class AppContext: Sendable {
    public let store: Store
    public let clock: any OpsClock
    public let transport: ChatTransport
    public let startedAt: Date
    /// Set by the Telegram poller after each successful getUpdates (none in the console).
    public let pollingHealth = PollingHealth()
    /// Config, catalog and the features built from them: replaced together by a reload (SIGHUP).
    private let live: Locked<(config: Config, catalog: Catalog, wiring: FeatureWiring)>

    public var config: Config { live.current.config }
    public var catalog: Catalog { live.current.catalog }
    /// Health checks installed by features, for `/status`, `opsbot check` and alerts.
    public var checks: CheckRegistry { live.current.wiring.checks }
    /// Inline-button handlers installed by features (the router adds its own `c`).
    public var callbacks: CallbackRegistry { live.current.wiring.callbacks }
    public var wiring: FeatureWiring { live.current.wiring }

    /// Swaps in a new config, catalog and the features built from them (bound to this app
    /// before the swap). Alert state lives in the store and confirmations in the router, so
    /// both survive.
    public func reload(config: Config, catalog: Catalog, wiring: FeatureWiring) {
        for f in wiring.features { f.attach(self) }
        live.withLock { $0 = (config, catalog, wiring) }
    }
    /// The language each chat's admins last wrote in (for `language: auto` alerts).
    private let chatLanguages = Locked<[Int64: Language]>([:])

    /// The language for a user of `chatID` whose Telegram `language_code` is `code`; the chat
    /// remembers it, so `auto` alerts follow whoever wrote there last.
    public func language(chat chatID: Int64, telegramCode code: String?) -> Language {
        // Remembered whatever the top-level setting: `alerts.language: auto` reads it too.
        if let code { chatLanguages.withLock { $0[chatID] = Language(telegramCode: code) } }
        return config.language.resolve(telegramCode: code)
    }

    /// The language of what opsbot pushes to `chatID` on its own (alerts, digests): `setting`
    /// (`alerts.language`, by default the top-level one); under `auto`, the language of the
    /// admin who last wrote in that chat, English until someone has.
    public func pushLanguage(chat chatID: Int64, setting: LanguageSetting? = nil) -> Language {
        (setting ?? config.language).fixed ?? chatLanguages.current[chatID] ?? .en
    }

    private let commandHook = Locked<(@Sendable (IncomingMessage) async -> Void)?>(nil)

    /// Binds every feature of `wiring` to this app (`Feature.attach`).
    public init(config: Config, store: Store, clock: any OpsClock = SystemClock(), transport: ChatTransport,
                catalog: Catalog, wiring: FeatureWiring = FeatureWiring([])) {
        self.live = Locked((config, catalog, wiring))
        self.store = store
        self.clock = clock
        self.transport = transport
        self.startedAt = clock.now()
        for f in wiring.features { f.attach(self) }
    }

    /// Runs a command line as if `message.userID` had typed it in `message.chatID` (alert
    /// remediation buttons use this, so the command still goes through ACL, validation and
    /// its confirmation). Set by the router when it starts.
    public func runCommand(_ message: IncomingMessage) async {
        guard let hook = commandHook.current else {
            Log.warning("runCommand before the router started: \(message.text)")
            return
        }
        await hook(message)
    }

    public func setCommandHook(_ hook: @escaping @Sendable (IncomingMessage) async -> Void) {
        commandHook.withLock { $0 = hook }
    }
}
