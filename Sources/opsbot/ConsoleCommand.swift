import ArgumentParser
import Foundation
import OpsbotCore

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

    func run() async throws {
        let runtime = options.loadRuntime(demo: demo)
        let store: OpsbotCoreStore
        do { store = try runtime.openStore() } catch { fail("\(error)") }
        let config = runtime.config
        guard let chatID = config.admins.chats.first, let user = config.admins.users.first else {
            fail("the console needs at least one admin chat and one admin user in the config (admins.chats, admins.users)")
        }
        let transport = ConsoleTransport(fileDirectory: config.resolvePath(config.stateDir))
        let app = runtime.makeApp(transport: transport, store: store)
        let router = Router(app: app)
        await router.start()
        await Runtime.announceCatalogProblems(app)
        let background = Locked<Task<Void, Never>?>(Task { await Runtime.runBackground(app) })
        // SIGHUP re-reads config and catalog here too (same rules as `run`).
        let options = options, demo = demo
        let hangUp = Task {
            for await _ in HangUp.signals() {
                let next = Runtime.load(configPath: options.config, overrides: .init(stateDir: options.stateDir, commandsDir: options.commandsDir), demo: demo)
                await Reload.apply(next, to: app, api: nil, background: background)
            }
        }
        let interactive = isatty(0) != 0
        ConsoleTransport.stdout("opsbot console — you are admin \(user.id) in chat \(chatID); \(runtime.catalog.visible.count) commands (/help). Ctrl-D quits.\n")
        var messageID: Int64 = 0
        while true {
            if interactive { FileHandle.standardOutput.write(Data("> ".utf8)) }
            guard let line = await runBlocking(name: "opsbot.stdin", { readLine(strippingNewline: true) }) else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "quit" || text == "exit" { break }
            if let n = Int(text) {
                switch transport.press(n, userID: user.id, username: user.name) {
                case .press(let press): await router.handle(.callback(press))
                case .noSuchButton: ConsoleTransport.stdout("  (no button [\(n)] was shown in this session)\n")
                case .gone(let why): ConsoleTransport.stdout("  (\(why))\n")
                }
                continue
            }
            if !text.hasPrefix("/") {
                ConsoleTransport.stdout("  (commands start with /, e.g. /help)\n")
                continue
            }
            messageID += 1
            await router.handle(.message(IncomingMessage(chatID: chatID, userID: user.id, username: user.name, messageID: messageID, text: text)))
        }
        hangUp.cancel()
        background.current?.cancel()
        Log.flush()
    }
}
