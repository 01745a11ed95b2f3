import Foundation
import Testing
@testable import OpsbotCore
import TestHarness
@testable import OpsbotServices

/// Issue 18 items 2 and 3 without a live systemd: the transient unit's name and argv, when opsbot
/// counts as running under systemd, and the polkit rule `opsbot polkit-rule` prints.
struct TransientUnitTests {
    @Test func unitNamesAreSanitized() {
        #expect(TransientUnit.name(for: "worker") == "opsbot-app-worker.service")
        #expect(TransientUnit.name(for: "my worker/2;rm") == "opsbot-app-my_worker_2_rm.service")
        #expect(TransientUnit.name(for: "..x") == "opsbot-app-_..x.service")
        #expect(TransientUnit.name(for: String(repeating: "a", count: 300)).count == "opsbot-app-.service".count + 200)
    }

    @Test func argvPassesTheEnvironmentByNameOnly() {
        let argv = TransientUnit.argv(prefix: ["systemd-run"], unit: "opsbot-app-worker.service", start: ["/usr/bin/python3", "bot.py"],
                                      environment: ["PATH": "/usr/bin", "DATABASE_URL": "postgresql://u:secret@h/db"],
                                      workingDirectory: "/srv/app", logFile: "/var/log/app/worker.log")
        #expect(argv.first == "systemd-run" && argv.contains("--unit=opsbot-app-worker.service") && argv.contains("--collect"))
        #expect(argv.contains("--working-directory=/srv/app") && argv.contains("--property=StandardOutput=append:/var/log/app/worker.log"))
        #expect(argv.contains("--setenv=DATABASE_URL") && argv.contains("--setenv=PATH"))
        #expect(!argv.joined(separator: " ").contains("secret"), "a value in argv shows in every process list")
        #expect(Array(argv.suffix(3)) == ["--", "/usr/bin/python3", "bot.py"])
    }

    @Test func underSystemdOnlyAsTheUnitsOwnProcess() {
        let env = ["INVOCATION_ID": "abc", "SYSTEMD_EXEC_PID": "42"]
        #expect(TransientUnit.underSystemd(environment: env, pid: 42, systemdRunning: true))
        #expect(!TransientUnit.underSystemd(environment: env, pid: 43, systemdRunning: true), "a descendant of a unit (CI runner)")
        #expect(!TransientUnit.underSystemd(environment: env, pid: 42, systemdRunning: false))
        #expect(!TransientUnit.underSystemd(environment: [:], pid: 42, systemdRunning: true))
    }

    @Test func restartDescriptionNamesTheUnit() {
        let config = try! ServiceConfigFixture.process()
        let under = ProcessBackend(config: config, options: ServiceOptions(), underSystemd: true)
        #expect(under.restartDescription.contains("then start (in unit opsbot-app-worker.service): /bin/true"), "\(under.restartDescription)")
        var off = ServiceOptions()
        off.systemdRun = []
        #expect(!ProcessBackend(config: config, options: off, underSystemd: true).restartDescription.contains("in unit"))
        #expect(!ProcessBackend(config: config, options: ServiceOptions(), underSystemd: false).restartDescription.contains("in unit"))
    }

    @Test func polkitRuleAllowsExactlyTheConfiguredUnits() throws {
        let app = try ServicesTest.app("""
        services:
          web: {backend: systemd, unit: web.service}
          worker: {backend: systemd, unit: worker}
          again: {backend: systemd, unit: worker.service}
          app: {backend: process, match: 'x', start: [/bin/true]}
        """)
        let settings = try ServicesSettings.load(app.config, environment: [:])
        let units = PolkitRule.units(settings)
        #expect(units == ["web.service", "worker.service"])
        let rule = PolkitRule.text(user: "opsbot", units: units)
        #expect(rule.contains(#"var units = ["web.service", "worker.service"];"#) && rule.contains(#"var verbs = ["restart"];"#))
        #expect(rule.contains(#"subject.user != "opsbot""#) && rule.contains("org.freedesktop.systemd1.manage-units"))
        #expect(PolkitRule.text(user: #"a"b"#, units: []).contains(#"subject.user != "a\"b""#), "quoted as a JS string")
    }
}

enum ServiceConfigFixture {
    static func process() throws -> ServiceConfig {
        let app = try ServicesTest.app("services:\n  worker: {backend: process, match: 'x', start: [/bin/true]}\n")
        return try ServicesSettings.load(app.config, environment: [:]).services[0]
    }
}
