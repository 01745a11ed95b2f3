import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

/// Semantic validation: config that decodes but cannot work is named with its key.
struct CrossCheckTests {
    /// `withDemo`: the shipped catalog plus the demo's runbooks (which hold operator-only ones).
    func problems(_ yaml: String, withDemo: Bool = false) throws -> [String] {
        let dir = NSTemporaryDirectory() + "opsbot-cross-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var commands = "\(TestApp.repositoryRoot)/Commands"
        if withDemo {
            commands = dir + "/Commands"
            try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
            for sub in ["/Commands", "/demo/Commands"] {
                for f in try FileManager.default.contentsOfDirectory(atPath: TestApp.repositoryRoot + sub) {
                    try FileManager.default.copyItem(atPath: TestApp.repositoryRoot + sub + "/" + f, toPath: commands + "/" + f)
                }
            }
        }
        try ("commands_dir: \(commands)\n" + yaml).write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
        return Runtime.load(configPath: dir + "/c.yaml", environment: [:]).problems.map(\.description)
    }

    @Test func eachMistakeIsNamedWithItsKey() throws {
        let got = try problems("""
        admins:
          chats: [1]
          users: [{id: 1, roles: [viewer]}]
        services:
          web:
            backend: command
            status_command: ["true"]
            health: [{url: "http://127.0.0.1:1/", timeout: 40s}]
            log_patterns: [{name: p, regex: x, warn: 5, critical: 2}]
        disk: {warn_percent: 95, critical_percent: 90}
        alerts:
          timeout: 20s
          rules:
            - {name: mine, check: no_such_check}
            - {name: fixit, check: health, remediation: "/restart nosuch"}
            - {name: fixit2, check: health, remediation: "/nosuchcommand"}
          inhibit:
            - {source: database, targets: [no_such_rule]}
        database:
          schema: {schema_name: public}
        """, withDemo: true).joined(separator: "\n")
        for want in ["services.web.health[0].timeout: 40 s is not shorter than the health check's time limit (20 s",
                     "services.web.log_patterns[0].warn: 5 is not below critical (2)",
                     "disk.warn_percent: 95.0 is not below critical_percent (90.0)",
                     "alerts.rules[0].check: no check is called \"no_such_check\"",
                     "alerts.rules[1].remediation: /restart nosuch:",
                     "alerts.rules[2].remediation: /nosuchcommand is not a command of the catalog",
                     "alerts.inhibit[0]: \"no_such_rule\" is not an alert rule",
                     "database.schema: has no tables and no migrations"] {
            #expect(got.contains(want), "missing: \(want)\n\(got)")
        }
        // Commands limited to roles that no admin holds (the demo's runbooks have operator-only ones).
        #expect(got.contains("roles: no admin holds"), "\(got)")
    }

    @Test func aSoundConfigHasNoProblems() throws {
        let got = try problems("""
        admins:
          chats: [1]
          users: [1]
        services:
          web: {backend: command, status_command: ["true"], health: ["http://127.0.0.1:1/"]}
        alerts:
          rules:
            - {name: fixit, check: health, remediation: "/restart {service}"}
        """)
        #expect(got.isEmpty, "\(got)")
    }
}
