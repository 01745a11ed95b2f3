import ArgumentParser
import Foundation
import Logging
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

@main
struct Opsbot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opsbot",
        abstract: "A Telegram ops bot: runbooks (status, logs, schema, payments, restart…) from the admin chat.",
        discussion: """
        Quick start (no token needed):  opsbot console --demo   (make demo)
        In Telegram:                    OPSBOT_TOKEN=… opsbot run --config opsbot.yaml
        Deploy gate / cron:             opsbot check schema
        Before a deploy of the config:  opsbot validate --config opsbot.yaml

        Environment: OPSBOT_TOKEN, OPSBOT_CONFIG, OPSBOT_ADMIN_CHAT_IDS, OPSBOT_ADMIN_USER_IDS, OPSBOT_API_URL, OPSBOT_STATE_DIR, DATABASE_URL. Secrets are never printed.
        """,
        version: OpsbotVersion.string,
        subcommands: [RunCommand.self, ConsoleCommand.self, CheckCommand.self, ValidateCommand.self, RemoteCommand.self,
                      InitCommand.self, PolkitRuleCommand.self]
    )

    /// Parses the command line, then installs opsbot's redacting log handler once, at the level
    /// `--verbose` asks for, before anything logs; then runs the subcommand.
    static func main() async {
        do {
            let parsed = try parseAsRoot()
            let verbose = (parsed as? HasCommonOptions)?.options.verbose ?? false
            LoggingSystem.bootstrap { OpsbotLogHandler(label: $0, logLevel: verbose ? .debug : .info) }
            if var command = parsed as? AsyncParsableCommand {
                try await command.run()
            } else {
                var command = parsed
                try command.run()
            }
            Log.flush()
        } catch {
            Log.flush()
            exit(withError: error)
        }
    }
}

/// A subcommand with the shared options (`--verbose` sets the log level at bootstrap).
protocol HasCommonOptions: SendableMetatype {
    var options: CommonOptions { get }
}

extension RunCommand: HasCommonOptions {}
extension ConsoleCommand: HasCommonOptions {}
extension CheckCommand: HasCommonOptions {}
extension ValidateCommand: HasCommonOptions {}
extension InitCommand: HasCommonOptions {}
extension PolkitRuleCommand: HasCommonOptions {}

/// The config file named by --config or OPSBOT_CONFIG, nil when neither is set.
func configuredPath(_ options: CommonOptions) -> String? {
    if let c = options.config { return c }
    let env = ProcessInfo.processInfo.environment["OPSBOT_CONFIG"] ?? ""
    return env.isEmpty ? nil : env
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The YAML config file (default: $OPSBOT_CONFIG; console/check/validate: else a built-in console-only default).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where opsbot keeps its own state: offset, audit log, alerts (default: state_dir, $OPSBOT_STATE_DIR).", valueName: "dir"))
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("The command catalog directory (default: commands_dir in the config, Commands/).", valueName: "dir"))
    var commandsDir: String?

    @Flag(name: .long, help: "Log debug lines.")
    var verbose = false

    /// Loads config and catalog; prints every problem and exits 2 when the setup is unusable.
    /// With `allowNoAdmins`, missing admin ids are only a warning: `run` then refuses everyone
    /// and logs each refused chat and user id, which is how an operator finds them.
    /// `needsToken` false (the console): a token problem is only a warning.
    func loadRuntime(apiURL: String? = nil, strict: Bool = true, allowNoAdmins: Bool = false, demo: Bool = false, needsToken: Bool = true,
                     language: LanguageSetting? = nil) -> Runtime {
        let runtime = Runtime.load(configPath: config, overrides: .init(stateDir: stateDir, commandsDir: commandsDir, apiURL: apiURL, language: language),
                                   demo: demo)
        var problems = runtime.problems
        if !needsToken {
            let token = problems.filter { $0.key == "OPSBOT_TOKEN" || $0.key == "telegram.token_file" }
            problems.removeAll { p in token.contains(p) }
            for p in token { Log.warning("\(p.description) (the console does not need the token)") }
        }
        if allowNoAdmins {
            let admins = problems.filter { $0.key == "admins.chats" || $0.key == "admins.users" || $0.key == "alerts.chat_id" }
            problems.removeAll { p in admins.contains(p) }
            for p in admins { Log.warning("\(p.description) — every message is refused and logged with its chat and user id, so you can copy them from this log") }
        }
        // A broken command file costs its command, not the bot: the rest starts, and the
        // file is logged here, announced in the admin chat and shown by /status. With no
        // command at all left, the catalog is unusable and that is fatal like the config.
        if strict && !runtime.catalog.entries.isEmpty {
            for p in runtime.catalogProblems {
                Log.warning("command file skipped: \(p.description)")
            }
            problems.removeAll { p in runtime.catalogProblems.contains(p) }
        }
        if !problems.isEmpty && strict {
            printProblems(problems)
            Foundation.exit(2)
        }
        if strict {
            // A partial alerts.checks is said by the alert scheduler as it starts (when it does).
            for w in runtime.warnings where w.key != "alerts.checks" { Log.warning("config: \(w.description)") }
            let off = runtime.catalog.notConfigured
            if !off.isEmpty {
                Log.info("catalog: \(off.count) command\(off.count == 1 ? "" : "s") not configured here, left out of /help and the menu: \(off.map { "/\($0.name) (\($0.why))" }.joined(separator: "; "))")
            }
            if runtime.config.databaseURL == nil && runtime.config.root?.mapping?.value("database") == nil {
                Log.info("database: DATABASE_URL is not set, so the database checks and commands are off")
            }
        }
        return runtime
    }
}

func printProblems(_ problems: [ConfigError]) {
    var text = "opsbot: the configuration has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
    for p in problems { text += "  - \(Redactor.shared.redact(p.description))\n" }
    FileHandle.standardError.write(Data(text.utf8))
}

func fail(_ message: String, code: Int32 = 2) -> Never {
    Log.flush()
    FileHandle.standardError.write(Data("opsbot: \(Redactor.shared.redact(message))\n".utf8))
    Foundation.exit(code)
}
