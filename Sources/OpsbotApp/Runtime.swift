import Foundation
import LocalStore
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Loads everything a subcommand needs (config, catalog, store) and reports every problem
/// at once, each naming its file and key.
public struct Runtime: Sendable {
    public struct Overrides: Sendable {
        public var stateDir: String?
        public var commandsDir: String?
        public var apiURL: String?
        /// `console --language`: the chat language whatever the config says.
        public var language: LanguageSetting?
        public init(stateDir: String? = nil, commandsDir: String? = nil, apiURL: String? = nil, language: LanguageSetting? = nil) {
            self.stateDir = stateDir
            self.commandsDir = commandsDir
            self.apiURL = apiURL
            self.language = language
        }
    }

    public var config: Config
    public var catalog: Catalog
    public var commandsDirectory: String
    /// Problems found; empty when the setup is usable.
    public var problems: [ConfigError]
    /// The catalog's share of `problems` (a broken command file; `check` does not need it).
    public var catalogProblems: [ConfigError] = []
    /// What works but may not be what was meant (a partial alerts.checks, a chat id without
    /// -100, no DATABASE_URL, a command naming a missing file): `validate` lists them, `run`
    /// and `console` log them at start. Never a reason to refuse the config.
    public var warnings: [ConfigError] = []
    /// The feature values built from `config`, whose modules the catalog holds.
    public var wiring: FeatureWiring = FeatureWiring([])

    /// Problems that only matter for talking to a chat (`check` runs without them).
    public static let chatSetupKeys: Set<String> = ["admins.chats", "admins.users", "alerts.chat_id", "OPSBOT_TOKEN", "telegram.token_file"]

    /// Reads config and catalog. Never throws: problems are returned for the caller to print.
    /// Without a config file, the embedded default (one console admin, the shipped catalog);
    /// `demo` adds the demo sandbox's sections — only `opsbot console --demo` (`make demo`).
    public static func load(configPath: String?, overrides: Overrides = Overrides(), demo: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> Runtime {
        let path = configPath ?? environment["OPSBOT_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        var environment = environment
        if path == nil && demo && (environment["DEMO_DIR"] ?? "").isEmpty {
            // The embedded demo config names its sandbox through ${DEMO_DIR} (`make demo` sets it).
            environment["DEMO_DIR"] = FileManager.default.currentDirectoryPath + "/.demo"
        }
        var config: Config
        do {
            config = try OpsbotConfig.load(path: path, demo: demo, environment: environment)
        } catch let e as ConfigError {
            return Runtime(config: Config(), catalog: Catalog(), commandsDirectory: "", problems: [e])
        } catch {
            return Runtime(config: Config(), catalog: Catalog(), commandsDirectory: "", problems: [ConfigError(file: path ?? "config", key: "", message: "\(error)")])
        }
        if let s = overrides.stateDir { config.stateDir = s }
        if let c = overrides.commandsDir { config.commandsDir = c }
        if let a = overrides.apiURL { config.telegram.apiURL = a }
        if let l = overrides.language { config.language = l }
        var problems = ConfigLoader.lint(config)
        problems += Features.validate(config)
        let wiring = Features.build(config, environment: environment)
        // A `commands_dir` set to anything but the default is used as given; the default
        // (`Commands`) falls back to the shipped catalog when the config's directory has none.
        let dir = locateCommands(config, explicit: overrides.commandsDir != nil
                                     || (path != nil && config.commandsDirSet && config.commandsDir != Config().commandsDir))
        // The demo's own runbooks (demo/Commands: its sandbox's files and tables) join the
        // core catalog only in `console --demo`.
        let extra = demo && path == nil ? [config.resolvePath("demo/Commands")] : []
        let loaded = CatalogLoader.load(directory: dir, extra: extra, registry: wiring.modules, config: config)
        let cross = CrossChecks.run(config, catalog: loaded.catalog, checks: wiring.checks)
        problems += cross.config + loaded.errors + cross.catalog
        // A feature's own check may throw the section problem the loader already listed.
        var seen = Set<String>()
        problems = problems.filter { seen.insert($0.description).inserted }
        var runtime = Runtime(config: config, catalog: loaded.catalog, commandsDirectory: dir, problems: problems)
        runtime.catalogProblems = loaded.errors + cross.catalog
        runtime.wiring = wiring
        runtime.warnings = cross.warnings + setupWarnings(config, catalog: loaded.catalog)
        return runtime
    }

    /// Warnings about the environment and the catalog on this machine: no DATABASE_URL while
    /// `database:` is configured; commands naming files or programs that are not here.
    static func setupWarnings(_ config: Config, catalog: Catalog) -> [ConfigError] {
        var out: [ConfigError] = []
        if config.databaseURL == nil, let node = config.root?.mapping?.value("database") {
            out.append(ConfigError(file: config.source, key: "database", message: "DATABASE_URL is not set in opsbot's environment: the database checks and commands are off (/status says database: not configured)", line: node.mark?.line))
        }
        for e in catalog.entries where e.notConfigured == nil {
            for m in e.module.missingPaths(config) {
                out.append(ConfigError(file: e.command.source, key: "settings", message: "/\(e.command.name): \(m)"))
            }
        }
        return out
    }

    /// Warnings only the live backends can give (`validate`): catalog statements naming tables
    /// or columns the database does not have. Each command asked at once.
    public func liveWarnings() async -> [ConfigError] {
        await withTaskGroup(of: [ConfigError].self) { group in
            for e in catalog.entries where e.notConfigured == nil {
                group.addTask {
                    await e.module.liveProblems().map { ConfigError(file: e.command.source, key: "settings", message: "/\(e.command.name): \($0)") }
                }
            }
            var out: [ConfigError] = []
            for await w in group { out += w }
            return out.sorted { $0.file < $1.file }
        }
    }

    /// The catalog directory: `--commands-dir` or the config file's `commands_dir` as given;
    /// otherwise (a config without the key, or the embedded default) `Commands/` next to the
    /// config if it exists, else the shipped one found from the executable: `<prefix>/share/opsbot/Commands`
    /// for `<prefix>/bin/opsbot` (the package's /usr, `make install`'s /usr/local, the tarball),
    /// or the repository's for `.build/<config>/opsbot`.
    static func locateCommands(_ config: Config, explicit: Bool,
                               executable: String = Runtime.executablePath) -> String {
        let configured = config.resolvePath(config.commandsDir)
        if explicit || FileManager.default.fileExists(atPath: configured) { return configured }
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [exe.appendingPathComponent("../share/opsbot/Commands"), exe.appendingPathComponent("../../Commands"),
                          exe.appendingPathComponent("../../../Commands"), URL(fileURLWithPath: "/usr/share/opsbot/Commands")] {
            let p = candidate.standardized.path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return configured
    }

    /// This process's binary: /proc/self/exe (argv[0] is only `opsbot` when found through PATH).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    }

    /// One warning in the alert chat when command files did not load (run and console start).
    public static func announceCatalogProblems(_ app: AppContext) async {
        guard let summary = app.catalog.invalidSummary, let chat = (try? AlertsConfig.load(app.config))?.chat(app.config) ?? app.config.admins.chats.first else { return }
        let redact = Redactor.shared.redact
        let text = AppText.catalogInvalid(summary: redact(summary), files: app.catalog.invalidFiles.map { redact($0.description) })
        do { _ = try await app.transport.send(Reply(html: text.text(app.pushLanguage(chat: chat))), to: chat) } catch {
            Log.warning("cannot post the catalog warning in chat \(chat): \(error)")
        }
    }

    /// Opens the local store in the configured state directory.
    public func openStore() throws -> Store {
        try Store(directory: config.resolvePath(config.stateDir))
    }

    public func makeApp(transport: ChatTransport, store: Store, clock: any OpsClock = SystemClock()) -> AppContext {
        AppContext(config: config, store: store, clock: clock, transport: transport, catalog: catalog, wiring: wiring)
    }

    /// Starts every feature's background work (alert scheduler…) as child tasks of the caller.
    public static func runBackground(_ app: AppContext) async {
        await app.wiring.runBackground(app)
    }
}
