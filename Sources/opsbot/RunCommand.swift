import ArgumentParser
import Foundation
import OpsbotCore
import TelegramBotAPI
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve the admin chat(s) in Telegram by long polling.",
        discussion: """
        Needs a config file (--config or OPSBOT_CONFIG; start from opsbot.example.yaml), the bot token in OPSBOT_TOKEN (or telegram.token_file) and the admin chat and user ids (admins.* in the config, or OPSBOT_ADMIN_CHAT_IDS / OPSBOT_ADMIN_USER_IDS).

        SIGTERM or Ctrl-C stops polling, lets running actions finish (up to 10 s) and exits 0; a second one exits at once (130). SIGHUP (systemctl reload opsbot) re-reads the config and the catalog; an invalid new config is refused and the running one kept.
        """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Bot API base URL (default: $OPSBOT_API_URL, else https://api.telegram.org).", valueName: "url"))
    var apiURL: String?

    func run() async throws {
        // Never the embedded default: a production `run` from a checkout must not watch the demo.
        guard configuredPath(options) != nil else {
            fail("""
            no config file: opsbot run needs --config FILE (or OPSBOT_CONFIG).
              Start from the documented example:  cp opsbot.example.yaml /etc/opsbot/opsbot.yaml
              then set admins, and check it with:  opsbot validate --config /etc/opsbot/opsbot.yaml
            """)
        }
        let runtime = options.loadRuntime(apiURL: apiURL, allowNoAdmins: true)
        guard let token = runtime.config.token, !token.isEmpty else {
            fail("no bot token: set OPSBOT_TOKEN (from @BotFather) or telegram.token_file in the config")
        }
        let stateDir = runtime.config.resolvePath(runtime.config.stateDir)
        let lock = StateLock.acquire(stateDir: stateDir)
        if case .held(let pid) = lock {
            fail("another opsbot\(pid.map { " (pid \($0))" } ?? "") is running on the state directory \(stateDir) (it holds \(stateDir)/opsbot.lock): two would poll the same bot and send every alert twice. Stop it, or give this one its own --state-dir.")
        }
        let store: OpsbotCoreStore
        do { store = try runtime.openStore() } catch { fail("\(error)") }
        let options = options, apiURL = apiURL
        let code = await TelegramService.serve(runtime: runtime, token: token, store: store, reload: {
            Runtime.load(configPath: options.config, overrides: .init(stateDir: options.stateDir, commandsDir: options.commandsDir, apiURL: apiURL))
        })
        Log.flush()
        withExtendedLifetime(lock) {}
        throw ExitCode(code)
    }
}
