import ArgumentParser
import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotInit
import OpsbotSupport
import SystemOps
import TelegramBotAPI

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a config for this machine: its app services, logs, database variable, migrations, and the admin ids learned from one Telegram message.",
        discussion: """
        Looks at running systemd units and Docker containers (the OS's own units are left out), then asks you to send a message to the bot in your ops chat and writes that chat's and your ids. The config is validated and checked before init ends; it never overwrites an existing file without --force.

        Interactive:      OPSBOT_TOKEN=… opsbot init
        In a script:      opsbot init --yes --admin-chat -1001234567890 --admin-user 42 --config /etc/opsbot/opsbot.yaml
        Without Telegram: opsbot init --no-telegram   (fill admins in by hand)

        The file: --config, else $OPSBOT_CONFIG, else /etc/opsbot/opsbot.yaml as root and ./opsbot.yaml otherwise.
        Exit 0 when the written config validates, 1 when it has problems (printed), 2 when nothing was written.
        """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: ArgumentHelp("A file holding the bot token (default: $OPSBOT_TOKEN); written to telegram.token_file.", valueName: "path"))
    var tokenFile: String?

    @Flag(name: .long, help: "Overwrite an existing config file.")
    var force = false

    @Flag(name: .long, help: "Answer yes to every question (for scripts).")
    var yes = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The admin chat id (-100… for a group); with --admin-user, no Telegram handshake.", valueName: "id"))
    var adminChat: Int64?

    @Option(name: .long, help: ArgumentHelp("The admin user id.", valueName: "id"))
    var adminUser: Int64?

    @Flag(name: .long, help: "Do not talk to Telegram: admins are left for you to fill in.")
    var noTelegram = false

    @Option(name: .long, help: ArgumentHelp("How long to wait for the message in the ops chat.", valueName: "seconds"))
    var wait: Double = 300

    @Option(name: .long, help: ArgumentHelp("The Docker Engine socket to look at.", valueName: "path"))
    var dockerSocket = "/var/run/docker.sock"

    @Flag(name: .long, help: "Skip running the checks after writing.")
    var noCheck = false

    func validate() throws {
        if (adminChat == nil) != (adminUser == nil) { throw ValidationError("give both --admin-chat and --admin-user, or neither (then they are learned through Telegram)") }
        if noTelegram && adminChat != nil { throw ValidationError("--no-telegram and --admin-chat: give one of them") }
        if wait <= 0 { throw ValidationError("--wait must be positive") }
    }

    /// Where the config goes: --config, $OPSBOT_CONFIG, /etc/opsbot/opsbot.yaml as root, else ./opsbot.yaml.
    var path: String {
        if let p = configuredPath(options) { return URL(fileURLWithPath: p).standardized.path }
        return getuid() == 0 ? "/etc/opsbot/opsbot.yaml" : FileManager.default.currentDirectoryPath + "/opsbot.yaml"
    }

    func say(_ s: String) { FileHandle.standardError.write(Data((Redactor.shared.redact(s) + "\n").utf8)) }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let path = self.path
        if FileManager.default.fileExists(atPath: path) && !force {
            fail("\(path) exists; not overwritten (--force to replace it, or --config for another file)")
        }
        // The token: only to learn the ids (never written, unless as the file it came from).
        var token: String?
        if let f = tokenFile {
            guard let t = try? String(contentsOfFile: f, encoding: .utf8) else { fail("cannot read --token-file \(f)") }
            token = t.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let t = env["OPSBOT_TOKEN"], !t.isEmpty {
            if t != t.trimmingCharacters(in: .whitespacesAndNewlines) { say("note: OPSBOT_TOKEN has leading or trailing whitespace; it was trimmed") }
            token = t.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token { Redactor.shared.register(token) }
        let needHandshake = !noTelegram && adminChat == nil
        if needHandshake && token == nil {
            fail("no bot token: set OPSBOT_TOKEN or --token-file to learn the admin ids through Telegram, or give --admin-chat and --admin-user, or --no-telegram")
        }

        say("Looking at this machine (systemd units, Docker containers, nginx logs)…")
        let scan = MachineScan(systemd: SystemdDiscovery(), docker: DockerDiscovery(socket: dockerSocket))
        let findings = await scan.run()
        say(InitReport.found(findings))

        var admins: ConfigWriter.Admins?
        if let c = adminChat, let u = adminUser {
            admins = .init(chat: c, user: u, note: "given on the command line (--admin-chat, --admin-user)")
            if c > 0 { say("note: chat \(c) is positive, i.e. a private chat; a group's id starts with -100") }
        } else if needHandshake, let token {
            admins = try await handshake(token: token, apiURL: env["OPSBOT_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.telegram.org")
        }

        let stateDir = options.stateDir ?? (path.hasPrefix("/etc/") ? "/var/lib/opsbot" : ".state")
        var writer = ConfigWriter(findings: findings, admins: admins, tokenFile: tokenFile.map { URL(fileURLWithPath: $0).standardized.path },
                                  stateDir: stateDir, commandsDir: options.commandsDir ?? InitReport.catalogDirectory())
        writer.date = Date()
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let tmp = path + ".init-\(getpid())"
            try writer.render().write(toFile: tmp, atomically: false, encoding: .utf8)
            chmod(tmp, 0o640)
            guard rename(tmp, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            fail("cannot write \(path): \(plainWords(error))")
        }
        say("Wrote \(path).")

        // Read back as `validate` does (with the token it will run with).
        var checkEnv = env
        if let token { checkEnv["OPSBOT_TOKEN"] = token }
        let v = InitValidation.validate(path: path, environment: checkEnv)
        for p in v.catalog { say("  catalog: \(p.description)") }
        if v.problems.isEmpty {
            say("validate: ok (\(v.runtime.catalog.entries.count) commands)")
        } else {
            printProblems(v.problems)
        }
        if !noCheck && v.problems.allSatisfy({ Runtime.chatSetupKeys.contains($0.key) }) {
            say("check: running every check once…")
            say(await InitReport.checks(v.runtime))
        }
        say(InitReport.leftOut(findings))
        say(InitReport.next(path: path, tokenFile: tokenFile, admins: admins != nil, findings: findings))
        if !v.problems.isEmpty { throw ExitCode(1) }
    }

    /// getMe, the countdown while waiting for a message, and the question.
    func handshake(token: String, apiURL: String) async throws -> ConfigWriter.Admins {
        let hs = AdminHandshake(api: BotAPI(baseURL: apiURL, token: token))
        let me: TGUser
        do { me = try await hs.bot() } catch { fail("\(error)") }
        let name = me.username.map { "@" + $0 } ?? me.firstName
        say("""

        Bot \(name) (id \(me.id)). To tell opsbot who its admins are:
          1. add \(name) to your ops group (or open a private chat with it),
          2. send any message there — a group with privacy mode on: send /start@\(me.username ?? "bot").
        """)
        let tty = isatty(STDERR_FILENO) == 1
        while true {
            let found: AdminHandshake.Found
            // On a terminal the countdown ticks every second, apart from the long polls.
            let started = Date()
            let ticker = Task {
                while tty && !Task.isCancelled {
                    let left = max(0, Int((wait - Date().timeIntervalSince(started)).rounded(.up)))
                    FileHandle.standardError.write(Data("\r  waiting for the message… \(left) s  ".utf8))
                    try? await Task.sleep(nanoseconds: 1_000_000_000)
                }
            }
            do {
                let lastLine = Locked(Int.max)
                found = try await hs.waitForMessage(timeout: wait) { left in
                    // Not a terminal (a log): one line at the start, then one per 30 s.
                    guard !tty, lastLine.withLock({ last in defer { if left <= last - 30 || last == .max { last = left } }; return left <= last - 30 || last == .max }) else { return }
                    FileHandle.standardError.write(Data("  waiting for the message… \(left) s\n".utf8))
                }
                ticker.cancel()
            } catch {
                ticker.cancel()
                if tty { FileHandle.standardError.write(Data("\n".utf8)) }
                fail("\(error) (or give --admin-chat and --admin-user)")
            }
            if tty { FileHandle.standardError.write(Data("\n".utf8)) }
            var question = "\(found.summary) — use these?"
            if found.chatType == "private" { question += " (a private chat: alerts come to you alone; for a group, write in the group instead)" }
            if yes {
                say(question + " yes (--yes)")
            } else {
                FileHandle.standardError.write(Data((question + " [Y/n] ").utf8))
                guard let line = readLine() else { fail("no answer (stdin is closed); for scripts, add --yes") }
                let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
                if !(answer.isEmpty || answer.hasPrefix("y")) {
                    say("Then send a message in the right chat; waiting again.")
                    continue
                }
            }
            let when = ISO8601DateFormatter().string(from: Date())
            return .init(chat: found.chatID, user: found.userID,
                         note: "learned from a message in \(found.chatTitle.map { "\"\($0)\"" } ?? "a \(found.chatType) chat") by \(found.username.map { "@" + $0 } ?? String(found.userID)) at \(when)")
        }
    }
}
