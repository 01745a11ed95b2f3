import Foundation
import Testing
import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotApp

/// Issue 8 items 3 and 4: no dead default rule, no check without a rule, no remediation button
/// that cannot run.
@Suite struct DefaultRulesTests {
    /// Every check name any provider of the full feature set can emit (plus the scheduler's).
    static func emitted() throws -> Set<String> {
        let (app, _) = try TestApp.make(configYAML: DefaultConfig.yaml)
        return Set(app.checks.all.flatMap(\.emits) + ["check_timeout"])
    }

    @Test func everyDefaultRuleMatchesACheckAndEveryCheckHasARule() throws {
        let checks = try Self.emitted()
        #expect(checks.isSuperset(of: ["service_down", "health", "database", "schema", "payments", "disk", "env", "heartbeat", "webhook"]))
        for r in DefaultRules.rules {
            #expect(checks.contains(r.check), "default rule \(r.name) selects check \(r.check), which no provider emits")
        }
        let ruled = Set(DefaultRules.rules.map(\.check))
        for c in checks.sorted() where c != "alert_delivery" {
            #expect(ruled.contains(c), "check \(c) has no default rule (only the catch-all)")
        }
        // Inhibitions name rules that exist.
        let names = Set(DefaultRules.rules.map(\.name))
        for inh in DefaultRules.inhibitions {
            for n in inh.source + inh.targets where !n.contains("*") && !n.hasPrefix("sql") {
                #expect(names.contains(n), "inhibition names \(n), which is no rule")
            }
        }
    }

    /// A typical target per check, as the providers report them.
    static let sampleTargets: [String: [String]] = [
        "service_down": ["worker"], "instances": ["worker"], "restart_loop": ["worker"], "memory_growth": ["worker"],
        "health": ["worker:/healthz"], "health_slow": ["worker:/healthz"], "database": ["database"], "schema": ["database"],
        "disk": ["/", "/var/lib/docker"], "log_pattern": ["worker:conflict", "worker:errors"], "heartbeat": ["worker"],
        "payments": ["pending", "duplicates"], "webhook": ["target_bot"], "target_bot": ["getMe"], "dependency": ["redis"],
        "env": ["worker"], "check_timeout": ["health"], "log_growth": ["/var/log/app.log"], "disk_fill": ["/", "/var"],
        "payment_webhook_lost": ["5"], "provider_unreachable": ["yookassa"], "provider_credentials": ["yookassa"],
    ]

    /// The remediations checks attach themselves (used when the rule has none).
    static let checkRemediations = ["/restart worker", "/conflicts", "/logs worker 50 critical", "/disk", "/logs worker 100 error",
                                    "/payments pending", "/payments duplicates", "/env worker", "/scale worker 1"]

    @Test func everyDefaultRemediationIsACompleteCommandOfTheCatalog() throws {
        let (app, _) = try TestApp.make(configYAML: DefaultConfig.yaml)
        var commands = Self.checkRemediations
        for r in DefaultRules.rules {
            guard let cmd = r.remediation else { continue }
            let targets = try #require(Self.sampleTargets[r.check], "no sample target for \(r.check)")
            for t in targets {
                commands.append(cmd.replacingOccurrences(of: "{target}", with: t)
                    .replacingOccurrences(of: "{service}", with: AlertRule.service(of: t)).replacingOccurrences(of: "{check}", with: r.check))
            }
        }
        #expect(commands.count > 10)
        for text in commands {
            guard case .command(let name, let words) = CommandParser.parse(text, botUsername: nil) else {
                Issue.record("\(text) does not parse as a command"); continue
            }
            guard let entry = app.catalog.entry(name) else { Issue.record("\(text): no command /\(name) in the catalog"); continue }
            do { _ = try ArgumentValidator.bind(words, to: entry.command, services: ["worker"]) } catch {
                Issue.record("\(text) does not validate: \(error)")
            }
        }
    }

    /// Pressing each default remediation (as the button does: the command text through the
    /// catalog and the module) gives a preview or a result — never a usage error. Nothing is
    /// confirmed, so nothing runs.
    @Test func pressingEveryDefaultRemediationGivesAPreviewOrAResult() async throws {
        let dir = ServicesTest.dir()
        try "2026-01-01 12:00:00 ERROR boom\n".write(toFile: dir + "/worker.log", atomically: true, encoding: .utf8)
        let app = try ServicesTest.app("""
            services:
              worker:
                backend: process
                match: 'no-such-process-\(UUID().uuidString)'
                start: [sh, -c, "sleep 1"]
                log_file: \(dir)/worker.log
                bot: true
                env: {source: file, file: \(dir)/app.env, rules: [PORT]}
            disk:
              roots: [\(dir)]
              log_dirs: [\(dir)]
              scan_time: 1s
            """)
        var commands = Self.checkRemediations
        for r in DefaultRules.rules {
            guard let cmd = r.remediation else { continue }
            for t in Self.sampleTargets[r.check] ?? [] {
                commands.append(cmd.replacingOccurrences(of: "{target}", with: t)
                    .replacingOccurrences(of: "{service}", with: AlertRule.service(of: t)).replacingOccurrences(of: "{check}", with: r.check))
            }
        }
        for text in Set(commands).sorted() {
            let outcome = try await ServicesTest.run(app, text)
            let said = ServicesTest.text(outcome)
            #expect(!said.contains("Usage:") && !said.lowercased().contains("missing "), "\(text) → \(said)")
            #expect(!said.isEmpty, "\(text) said nothing")
        }
    }
}
