import Foundation
import LocalStore
import OpsbotCore
import OpsbotApp
import OpsbotInit

/// What `opsbot init` prints: what it found, what it left out, the checks, the next steps.
enum InitReport {
    static func found(_ f: Findings) -> String {
        var out = "Found \(f.services.count) service(s):"
        for s in f.services {
            let what: String = switch s.kind {
            case .systemd(let unit): "systemd \(unit)"
            case .docker(let p, let svc, let c): svc.map { "compose \(p ?? "?")/\($0)" } ?? "container \(c)"
            }
            var line = "\n  • \(s.name): \(what)"
            if !s.health.isEmpty { line += ", health \(s.health.joined(separator: ", "))" } else if !s.ports.isEmpty { line += ", listens on \(s.ports.map(String.init).joined(separator: ", "))" }
            if !s.databaseVariables.isEmpty { line += ", database variable \(s.databaseVariables.joined(separator: ", "))" }
            if s.isBot { line += ", a Telegram bot" }
            out += line
        }
        if let a = f.alembicVersions { out += "\n  • alembic migrations: \(a)" }
        if !f.nginxLogs.isEmpty { out += "\n  • nginx logs: \(f.nginxLogs.joined(separator: ", "))" }
        for n in f.notes { out += "\n  note: \(n)" }
        return out
    }

    static func leftOut(_ f: Findings) -> String {
        var out = "Left out:"
        for l in f.leftOut { out += "\n  - \(l)" }
        if f.databaseVariable == nil { out += "\n  - database: no service's environment names a PostgreSQL URL" }
        if f.alembicVersions == nil { out += "\n  - schema migrations: no alembic/versions directory in the services' working directories" }
        if f.nginxLogs.isEmpty { out += "\n  - nginx: no logs in /var/log/nginx" }
        out += "\n  - heartbeat, alerts tuning, hosts, platforms: see opsbot.example.yaml"
        return out
    }

    static func next(path: String, tokenFile: String?, admins: Bool, findings: Findings) -> String {
        var out = "Next:"
        if !admins { out += "\n  - fill in admins.chats and admins.users in \(path)" }
        if tokenFile == nil { out += "\n  - put OPSBOT_TOKEN=… in /etc/opsbot/secrets.env (mode 600), the unit's EnvironmentFile" }
        if let db = findings.databaseVariable { out += "\n  - add DATABASE_URL=… (the value of \(db.name)) to the same file" }
        out += "\n  - start it: systemctl enable --now opsbot   (or: opsbot run --config \(path))"
        out += "\n  - then send /status in the admin chat"
        return out
    }

    /// The shipped catalog: the package's, else the one next to this binary.
    static func catalogDirectory() -> String? {
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for p in ["/usr/share/opsbot/Commands", exe.appendingPathComponent("../share/opsbot/Commands").standardized.path,
                  exe.appendingPathComponent("../../Commands").standardized.path, exe.appendingPathComponent("../../../Commands").standardized.path]
        where FileManager.default.fileExists(atPath: p) { return p }
        return nil
    }

    /// Every check once, as `opsbot check` runs them, in a scratch state directory.
    static func checks(_ runtime: Runtime) async -> String {
        let dir = NSTemporaryDirectory() + "opsbot-init-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard let store = try? Store(directory: dir) else { return "check: cannot open a scratch state directory" }
        let app = runtime.makeApp(transport: NullTransport(), store: store)
        let providers = app.checks.all
        let results = await withTaskGroup(of: (Int, [CheckResult]).self) { group in
            for (i, p) in providers.enumerated() { group.addTask { (i, await p.run(app)) } }
            var all: [(Int, [CheckResult])] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        return Redactor.shared.redact(CheckTable.render(results))
    }
}
