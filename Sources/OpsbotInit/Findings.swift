// OpsbotInit — `opsbot init`: what runs on this machine (systemd units, compose containers,
// their logs, database variable, migrations, nginx logs, health endpoints), the admin ids from
// one message in the ops chat, and a commented config with only what applies.

import Foundation

/// One app process found on this machine, as it will appear under `services:`.
public struct FoundService: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case systemd(unit: String)
        case docker(project: String?, service: String?, container: String)
    }
    /// The key under `services:` (`worker`, `web`).
    public var name: String
    public var kind: Kind
    /// The command it runs, for the summary (`python3 /srv/app/bot.py`).
    public var command: String = ""
    /// Its argv (systemd units), for a `match:` that finds copies started by hand.
    public var argv: [String] = []
    public var user: String?
    public var workingDirectory: String?
    /// A file its output goes to (`StandardOutput=append:`), when not the journal or docker.
    public var logFile: String?
    /// `http://127.0.0.1:8000/healthz` — endpoints that answered 200 on the ports it listens on.
    public var health: [String] = []
    /// TCP ports it listens on (for the summary when no endpoint answered).
    public var ports: [Int] = []
    /// Where its environment comes from (EnvironmentFile, compose env, .env): names only.
    public var environmentSources: [String] = []
    /// Variable names that hold a PostgreSQL URL in its environment (never the values).
    public var databaseVariables: [String] = []
    /// The variable holding a Telegram bot token (`TELEGRAM_BOT_TOKEN`): `bot: true` for /conflicts.
    public var botTokenVariable: String?
    public var isBot: Bool { botTokenVariable != nil }

    public init(name: String, kind: Kind) { self.name = name; self.kind = kind }
}

/// What `init` found, and what it looked at and left out (with why).
public struct Findings: Sendable {
    public var services: [FoundService] = []
    /// `alembic/` (its `versions`) in a service's working directory.
    public var alembicVersions: String?
    /// nginx's log files, watched for growth.
    public var nginxLogs: [String] = []
    /// `name — why` for every unit or container looked at and not taken.
    public var leftOut: [String] = []
    /// A source that could not be read (no docker socket, systemctl missing).
    public var notes: [String] = []
    public init() {}

    /// The database variable to name in the config: the first one a service uses.
    public var databaseVariable: (name: String, service: String, source: String)? {
        for s in services {
            if let v = s.databaseVariables.first { return (v, s.name, s.environmentSources.first ?? "its environment") }
        }
        return nil
    }
}
