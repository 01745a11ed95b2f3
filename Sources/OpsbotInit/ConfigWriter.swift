import Foundation

/// Renders `init`'s findings as a commented config: only the sections that apply, each with
/// a comment saying where its values came from. Values are literals; no secret is written
/// (the token stays in OPSBOT_TOKEN or its file, the database URL in the environment).
public struct ConfigWriter: Sendable {
    public struct Admins: Sendable, Hashable {
        public var chat: Int64
        public var user: Int64
        /// How they were learned, for the comment (`learned from a message in "ops" on …`).
        public var note: String
        public init(chat: Int64, user: Int64, note: String) { self.chat = chat; self.user = user; self.note = note }
    }

    public var findings: Findings
    public var admins: Admins?
    public var tokenFile: String?
    public var stateDir: String
    public var commandsDir: String?
    public var host: String = ProcessInfo.processInfo.hostName
    public var date = Date()

    public init(findings: Findings, admins: Admins?, tokenFile: String?, stateDir: String, commandsDir: String?) {
        self.findings = findings
        self.admins = admins
        self.tokenFile = tokenFile
        self.stateDir = stateDir
        self.commandsDir = commandsDir
    }

    /// A YAML scalar: plain when safe, else double-quoted with escapes.
    static func q(_ s: String) -> String {
        if s.range(of: #"^[A-Za-z0-9_/][A-Za-z0-9_./@+-]*$"#, options: .regularExpression) != nil,
           !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(s.lowercased()) { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    public func render() -> String {
        let f = findings
        var y = """
        # opsbot configuration, written by `opsbot init` on \(host) at \(ISO8601DateFormatter().string(from: date)).
        # It holds only what was found on this machine; opsbot.example.yaml documents every key.
        # After an edit: opsbot validate --config THIS_FILE, then systemctl reload opsbot.

        telegram:

        """
        if let tokenFile {
            y += "  token_file: \(Self.q(tokenFile))   # the bot token (from @BotFather); OPSBOT_TOKEN overrides it\n"
        } else {
            y += "  # The bot token comes from OPSBOT_TOKEN (e.g. EnvironmentFile=/etc/opsbot/secrets.env in the unit).\n"
            y += "  # token_file: /etc/opsbot/token\n"
        }
        y += "  poll_timeout: 30\n\n"
        y += "admins:\n"
        if let a = admins {
            y += "  # \(a.note)\n"
            y += "  chats: [\(a.chat)]\n"
            y += "  users: [\(a.user)]\n"
        } else {
            y += "  # Not learned (--no-telegram): fill in the ops chat id (-100… for a group) and your user id,\n"
            y += "  # or run `opsbot init --force` with the token to learn them from one message.\n"
            y += "  chats: []\n  users: []\n"
        }
        y += "\nstate_dir: \(Self.q(stateDir))   # offset, audit log, alert state\n"
        if let commandsDir { y += "commands_dir: \(Self.q(commandsDir))   # the command catalog\n" }

        if f.services.isEmpty {
            y += "\n# services: none found (no app-like systemd unit or container is running).\n"
            y += "# Add them by hand; see opsbot.example.yaml, section services.\n"
        } else {
            y += "\nservices:\n"
            let botName = f.services.first(where: \.isBot)?.name
            for s in f.services { y += service(s, bot: s.name == botName) }
        }

        if let db = f.databaseVariable {
            y += "\n# The app's database: \(db.service) reads its URL from \(db.name) (in \(db.source)).\n"
            if db.name == "DATABASE_URL" {
                y += "# opsbot reads DATABASE_URL from its own environment: add the same line to opsbot's\n"
            } else {
                y += "# opsbot reads DATABASE_URL from its own environment: set DATABASE_URL to the value of \(db.name) in opsbot's\n"
            }
            y += "# EnvironmentFile (/etc/opsbot/secrets.env), ideally for a read-only database role.\n"
            if let v = f.alembicVersions {
                y += "database:\n  schema:\n    migrations:\n      versions_dir: \(Self.q(v))   # alembic: /schema and `opsbot check schema` compare the head\n"
            }
        } else if let v = f.alembicVersions {
            y += "\n# alembic migrations were found at \(v), but no service's environment names a PostgreSQL URL.\n"
            y += "# With DATABASE_URL in opsbot's environment, uncomment:\n"
            y += "# database:\n#   schema:\n#     migrations:\n#       versions_dir: \(Self.q(v))\n"
        }

        if let bot = f.services.first(where: \.isBot), let v = bot.botTokenVariable {
            y += "\n# \(bot.name) runs a Telegram bot; its token is in \(v) (in \(bot.environmentSources.first ?? "its environment")).\n"
            y += "# With the same variable in opsbot's environment, /conflicts and the target_bot check also ask\n"
            y += "# Telegram about it (getMe, a webhook set while it polls, pending updates):\n"
            y += "# target_bot:\n#   token_env: \(v)\n#   service: \(bot.name)\n"
        }
        if !f.nginxLogs.isEmpty {
            y += "\ndisk:\n  log_growth:\n    files:   # nginx's logs: an alert when one grows faster than max_mb_per_hour\n"
            for l in f.nginxLogs { y += "      - \(Self.q(l))\n" }
        }
        y += """

        # Optional: a dead man's switch that pages you when opsbot itself goes quiet
        # (Healthchecks.io or an Uptime Kuma push monitor; see the README, "Who watches opsbot").
        # heartbeat:
        #   url: {file: /etc/opsbot/heartbeat.url}

        """
        return y
    }

    /// A regex for the unit's command line: from its first argument under an app directory
    /// (`/srv/app/bot\.py --prod`), else its arguments (`-m shop\.bot`); nil when too vague.
    static func matchPattern(_ argv: [String]) -> String? {
        guard argv.count > 0 else { return nil }
        let start = argv.firstIndex { a in SystemdDiscovery.appDirectories.contains { a.hasPrefix($0) } } ?? 1
        let tail = argv[min(start, argv.count)...].joined(separator: " ")
        guard tail.count >= 4 else { return nil }
        var out = ""
        for c in tail.prefix(120) {
            if "\\.^$|?*+()[]{}".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// A YAML single-quoted scalar (regexes keep their backslashes).
    static func sq(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    func service(_ s: FoundService, bot: Bool) -> String {
        var y = ""
        switch s.kind {
        case .systemd(let unit):
            y += "  \(Self.q(s.name)):   # systemd \(unit): \(String(s.command.prefix(90)))\n"
            y += "    backend: systemd\n    unit: \(Self.q(unit))\n"
            if let l = s.logFile { y += "    log_file: \(Self.q(l))\n" } else { y += "    # logs: the journal of \(unit)\n" }
        case .docker(let project, let service, let container):
            if let service {
                y += "  \(Self.q(s.name)):   # compose service \(service) of project \(project ?? "?") (container \(container))\n"
                y += "    backend: docker\n    compose_service: \(Self.q(service))\n"
                if let project { y += "    compose_project: \(Self.q(project))\n" }
            } else {
                y += "  \(Self.q(s.name)):   # container \(container)\n"
                y += "    backend: docker\n    container: \(Self.q(container))\n"
            }
            y += "    # logs: docker's log of the container\n"
        }
        if !s.health.isEmpty {
            y += "    health:\n"
            for h in s.health { y += "      - \(Self.q(h))\n" }
        } else if !s.ports.isEmpty {
            y += "    # listens on \(s.ports.map(String.init).joined(separator: ", ")), but no /healthz, /health, /status or /ping answered 200:\n"
            y += "    # health: [http://127.0.0.1:\(s.ports[0])/YOUR_HEALTH_PATH]\n"
        }
        if bot {
            y += "    bot: true   # runs the Telegram bot (a *BOT_TOKEN* variable): /conflicts watches for a second poller\n"
            if let m = Self.matchPattern(s.argv) {
                y += "    match: \(Self.sq(m))   # finds a copy started by hand too (only the unit's user's processes count)\n"
            }
        }
        return y
    }
}
