import Foundation
import Testing
import OpsbotCore
import OpsbotApp
import SystemOps
import TestHarness
@testable import OpsbotInit

/// `opsbot init`'s discovery against the live engines: the app's unit (not the OS's) under
/// the live systemd, a compose container under the live dockerd; the written config names
/// variables, never their values, and validates.
@Suite(.serialized, .exclusive)
struct InitDiscoveryTests {
    static let secret = "s3cr3t-\(UUID().uuidString.prefix(8))"

    @Test(.enabled(if: TestSystemd.enabled)) func theAppsUnitIsFoundAndTheOSsAreLeftOut() async throws {
        let s = try await TestSystemd.shared()
        let app = "/opt/opsbot-test/initapp"
        try FileManager.default.createDirectory(atPath: s.root + app + "/alembic/versions", withIntermediateDirectories: true)
        try "DATABASE_URL=postgres://shop:\(Self.secret)@db/shop\nBOT_TOKEN=123456:\(Self.secret)\n".write(toFile: s.root + app + "/app.env", atomically: true, encoding: .utf8)
        try "export SENTRY_DSN=\"https://x@sentry.example/1\"\n".write(toFile: s.root + app + "/.env", atomically: true, encoding: .utf8)
        try s.install("ini-worker.service", "[Service]\nExecStart=/opt/opsbot-test/poller.sh ini-worker\nWorkingDirectory=\(app)\nEnvironmentFile=\(app)/app.env\nStandardOutput=append:/var/log/ini-worker.log\n")
        try s.install("ini-tool.service", "[Service]\nExecStart=/bin/sleep infinity\n")
        try s.systemctl("start", "ini-worker.service", "ini-tool.service")
        defer { _ = try? s.systemctl("stop", "ini-worker.service", "ini-tool.service") }

        let t = Date()
        var scan = MachineScan(systemd: SystemdDiscovery(systemctl: [s.systemctl], root: s.root), docker: nil)
        scan.root = s.root
        scan.nginxLogDirectory = "/nonexistent"
        let f = await scan.run()
        print("init: systemd discovery took \(Int(Date().timeIntervalSince(t) * 1000)) ms")
        let w = try #require(f.services.first { $0.name == "ini-worker" }, "\(f.services.map(\.name)) left out: \(f.leftOut)")
        #expect(w.kind == .systemd(unit: "ini-worker.service") && w.workingDirectory == app && w.logFile == "/var/log/ini-worker.log")
        #expect(w.databaseVariables == ["DATABASE_URL"] && w.botTokenVariable == "BOT_TOKEN" && w.environmentSources == ["\(app)/app.env", "\(app)/.env"])
        #expect(!f.services.contains { $0.name == "ini-tool" } && f.leftOut.contains { $0.hasPrefix("ini-tool.service: runs /bin/sleep") }, "\(f.leftOut)")
        // basic.target's own units come from /lib/systemd/system: counted, never taken.
        #expect(f.leftOut.contains { $0.contains("from Debian packages") && $0.contains("systemd-journald") }, "\(f.leftOut)")
        #expect(!f.services.contains { $0.name.hasPrefix("systemd-") || $0.name == "dbus" })
        #expect(f.alembicVersions == app + "/alembic/versions")

        let yaml = ConfigWriter(findings: f, admins: .init(chat: -1001234567890, user: 42, note: "test"), tokenFile: nil,
                                stateDir: "/tmp/opsbot-init-state", commandsDir: nil).render()
        #expect(!yaml.contains(Self.secret))
        #expect(yaml.contains("  ini-worker:   # systemd ini-worker.service: /opt/opsbot-test/poller.sh ini-worker\n    backend: systemd\n    unit: ini-worker.service\n    log_file: /var/log/ini-worker.log\n"))
        #expect(yaml.contains("    match: '/opt/opsbot-test/poller\\.sh ini-worker'   # finds a copy"), "\(yaml)")
        #expect(yaml.contains("# target_bot:\n#   token_env: BOT_TOKEN\n#   service: ini-worker\n"), "\(yaml)")
        #expect(yaml.contains("bot: true") && yaml.contains("reads its URL from DATABASE_URL (in \(app)/app.env)"))
        // The alembic folder is empty here, so the written versions_dir is the one problem `validate` may name.
        let problems = try Self.validate(yaml).filter { !$0.key.hasPrefix("database.schema") }
        #expect(problems.isEmpty, "\(problems)\n\(yaml)")
    }

    @Test(.enabled(if: TestDocker.enabled)) func composeContainersAreFoundWithTheirLabelsAndVariableNames() async throws {
        let d = try await TestDocker.shared()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ini-compose-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "DATABASE_URL=postgresql://shop:\(Self.secret)@db:5432/shop\n".write(toFile: dir + "/.env", atomically: true, encoding: .utf8)
        let name = "ini-web-\(UUID().uuidString.prefix(6).lowercased())"
        let id = try d.run(name: name, cmd: ["sh", "-c", "while :; do sleep 1; done"],
                           labels: ["com.docker.compose.project": "shop", "com.docker.compose.service": "web",
                                    "com.docker.compose.project.working_dir": dir],
                           env: ["POSTGRES_DSN=postgres://x:\(Self.secret)@db/z", "TELEGRAM_BOT_TOKEN=1:\(Self.secret)"])
        defer { _ = try? d.api("DELETE", "/containers/\(id)?force=1"); try? FileManager.default.removeItem(atPath: dir) }

        let r = await DockerDiscovery(socket: d.socket).discover()
        let web = try #require(r.services.first { if case .docker(_, _, let c) = $0.kind { c == name } else { false } }, "\(r)")
        #expect(web.name == "web" && web.kind == .docker(project: "shop", service: "web", container: name))
        #expect(web.databaseVariables == ["DATABASE_URL", "POSTGRES_DSN"] && web.botTokenVariable == "TELEGRAM_BOT_TOKEN" && web.workingDirectory == dir)
        var f = Findings()
        f.services = [web]
        let yaml = ConfigWriter(findings: f, admins: .init(chat: -1001234567890, user: 42, note: "test"), tokenFile: nil,
                                stateDir: "/tmp/opsbot-init-state", commandsDir: nil).render()
        #expect(yaml.contains("  web:   # compose service web of project shop (container \(name))\n    backend: docker\n    compose_service: web\n    compose_project: shop\n"))
        #expect(!yaml.contains(Self.secret))
        #expect(try Self.validate(yaml).isEmpty)
    }

    /// A socket path with nothing behind it: no containers, no error.
    @Test func noDockerIsNoContainers() async {
        let r = await DockerDiscovery(socket: "/nonexistent/docker.sock").discover()
        #expect(r.services.isEmpty && r.notes.isEmpty)
    }

    /// The written config, loaded as `opsbot validate` loads it (a token given, as `run` would have).
    static func validate(_ yaml: String) throws -> [ConfigError] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return InitValidation.validate(path: path, environment: ["OPSBOT_TOKEN": "123456:" + String(repeating: "a", count: 35)]).problems
    }
}
