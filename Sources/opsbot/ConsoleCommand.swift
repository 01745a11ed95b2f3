import ArgumentParser
import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener
import ServiceLifecycle

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Talk to opsbot in this terminal — same router and catalog as Telegram, no token needed.",
        discussion: """
        You are the first configured admin in the first admin chat. Type /help. Buttons show as [1] [2]…: type the number to press one. Ctrl-D quits.

        Works with a pipe too:  printf '/ping\\n/audit\\n' | opsbot console
        """)

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Without --config: also load the demo sandbox's sections (demo/config-*.yaml), as `make demo` does.")
    var demo = false

    @Option(name: .long, help: "The chat's language here: en, ru or auto (auto is English: a terminal has no Telegram language). Default: the config's `language`.")
    var language: LanguageSetting?

    func run() async throws {
        let runtime = options.loadRuntime(demo: demo, needsToken: false, language: language)
        // Beside a running `opsbot run` on the same state: commands only, its scheduler is the one.
        let stateDir = runtime.config.resolvePath(runtime.config.stateDir)
        let lock = StateLock.acquire(stateDir: stateDir)
        var shared = false
        if case .held(let pid) = lock {
            shared = true
            ConsoleTransport.stdout("note: opsbot run\(pid.map { " (pid \($0))" } ?? "") is using the state directory \(stateDir): this console runs commands only — no alert scheduler, pollers, HTTP listener or reload of its own (the running opsbot does those).\n")
        }
        let store: OpsbotCoreStore
        do { store = try runtime.openStore() } catch { fail("\(error)") }
        let config = runtime.config
        guard let chatID = config.admins.chats.first, let user = config.admins.users.first else {
            fail("the console needs at least one admin chat and one admin user in the config (admins.chats, admins.users)")
        }
        // A terminal has no Telegram language: `auto` is English here.
        let transport = ConsoleTransport(fileDirectory: config.resolvePath(config.stateDir), language: config.language.fixed ?? .en)
        let app = runtime.makeApp(transport: transport, store: store)
        let router = Router(app: app)
        // What start-up says in the chat (an old confirmation's notice) is in the console's language.
        await Language.$current.withValue(transport.language) {
            await router.start()
            await Runtime.announceCatalogProblems(app)
        }
        ConsoleTransport.stdout("opsbot console — you are admin \(user.id) in chat \(chatID); \(runtime.catalog.visible.count) commands (/help). Ctrl-D quits.\n")
        // SIGHUP re-reads config and catalog here too (same rules as `run`); SIGTERM/SIGINT stop it like `run`.
        let options = options, demo = demo, language = language
        let input = ConsoleInput(router: router, transport: transport, chatID: chatID, user: user)
        let group = AppServices.group(app: app, frontEnd: input, frontEndName: "console input", api: nil, reload: {
            Runtime.load(configPath: options.config, overrides: .init(stateDir: options.stateDir, commandsDir: options.commandsDir, language: language),
                         demo: demo)
        }, background: !shared)
        do { try await group.run() } catch { Log.error("\(error)") }
        Log.flush()
        withExtendedLifetime(lock) {}
    }
}

/// The console's front end: reads lines from stdin until EOF, `quit` or a stop, and hands each
/// to the router (a number presses a button). A stop while a command runs lets it finish.
struct ConsoleInput: Service {
    let router: Router
    let transport: ConsoleTransport
    let chatID: Int64
    let user: Config.AdminUser

    func run() async {
        let interactive = isatty(0) != 0
        var messageID: Int64 = 0
        let language = transport.language
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if interactive { FileHandle.standardOutput.write(Data("> ".utf8)) }
            guard let line = await Self.readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "quit" || text == "exit" { break }
            if let n = Int(text) {
                switch transport.press(n, userID: user.id, username: user.name) {
                case .press(let press): await router.handle(.callback(press))
                case .noSuchButton: ConsoleTransport.stdout("  " + CoreText.consoleNoSuchButton(number: n).text(language) + "\n")
                case .gone(let why): ConsoleTransport.stdout("  (\(why))\n")
                }
                continue
            }
            if !text.hasPrefix("/") {
                ConsoleTransport.stdout("  " + CoreText.consoleNotACommand.text(language) + "\n")
                continue
            }
            messageID += 1
            await router.handle(.message(IncomingMessage(chatID: chatID, userID: user.id, username: user.name, messageID: messageID, text: text)))
        }
    }

    /// The next stdin line, read on a thread of its own; nil at EOF, or at once when the group
    /// stops (the blocked read is left behind: the process is about to exit).
    static func readLine() async -> String? {
        let answer = FirstAnswer<String?>()
        return await withTaskCancellationOrGracefulShutdownHandler {
            await answer.wait {
                let t = Thread { answer.give(Swift.readLine(strippingNewline: true)) }
                t.name = "opsbot.stdin"
                t.start()
            }
        } onCancelOrGracefulShutdown: {
            answer.give(nil)
        }
    }
}


extension LanguageSetting: ExpressibleByArgument {}
