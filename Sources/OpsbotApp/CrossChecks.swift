import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Semantic checks across sections and the catalog, each naming the key at fault: things that
/// decode fine but cannot work (a probe slower than its check's time limit, a rule naming a
/// check nothing produces, a button for a command that does not exist, a role nobody holds).
enum CrossChecks {
    /// Check names results carry (`CheckResult.check`): what rules and `check:` may name.
    static let resultChecks: Set<String> = [
        "check_timeout", "database", "dependency", "disk", "disk_fill", "health", "health_slow", "heartbeat", "instances", "log_pattern",
        "memory_growth", "payments", "restart_loop", "schema", "service_down", "target_bot", "webhook", "alert_delivery",
    ]

    /// Problems of the config, and problems of catalog files (which `check` does not need).
    static func run(_ config: Config, catalog: Catalog, checks: CheckRegistry) -> (config: [ConfigError], catalog: [ConfigError], warnings: [ConfigError]) {
        var out: [ConfigError] = [], catalogOut: [ConfigError] = [], warnings: [ConfigError] = []
        func problem(_ key: String, _ message: String) {
            out.append(ConfigError(file: config.source, key: key, message: message, line: line(config, key)))
        }
        func warn(_ key: String, _ message: String) {
            warnings.append(ConfigError(file: config.source, key: key, message: message, line: line(config, key)))
        }
        warnings += chatIDHints(config, alertChat: (try? AlertsConfig.load(config))?.chatID)
        let services = (try? ServicesSettings.load(config))
        let alerts = try? AlertsConfig.load(config)

        // Thresholds: the warning level must come before the critical one.
        if let disk = try? config.section("disk", as: DiskConfig.self), disk.warnPercent >= disk.criticalPercent {
            problem("disk.warn_percent", "\(disk.warnPercent) is not below critical_percent (\(disk.criticalPercent)): the warning could never come first")
        }
        for s in services?.services ?? [] {
            for (i, p) in s.logPatterns.enumerated() {
                if let c = p.critical, p.warn >= c {
                    problem("services.\(s.name).log_patterns[\(i)].warn", "\(p.warn) is not below critical (\(c))")
                }
            }
        }

        // Probe timeouts against the time limit of the check that runs them.
        if let alerts, alerts.enabled {
            func limit(_ provider: String) -> Double? {
                guard let interval = alerts.checks.isEmpty ? alerts.defaultInterval : alerts.checks[provider] else { return nil }
                return alerts.timeout ?? min(interval, 30)
            }
            for s in services?.services ?? [] {
                if let l = limit("health") {
                    for (i, h) in s.health.enumerated() where h.timeout >= l {
                        problem("services.\(s.name).health[\(i)].timeout",
                                "\(Durations.format(h.timeout)) is not shorter than the health check's time limit (\(Durations.format(l)), from alerts.timeout or the interval): a slow endpoint would show as a check timeout, not as slow")
                    }
                }
                if let l = limit("services"), s.commandTimeout > l, s.backend == .command {
                    problem("services.\(s.name).command_timeout",
                            "\(Durations.format(s.commandTimeout)) is longer than the services check's time limit (\(Durations.format(l)))")
                }
            }
            if let l = limit("dependencies") {
                for (i, d) in (services?.dependencies ?? []).enumerated() where d.timeout >= l {
                    problem("dependencies[\(i)].timeout", "\(Durations.format(d.timeout)) is not shorter than the dependencies check's time limit (\(Durations.format(l)))")
                }
            }

            // Rules name checks that exist; inhibitions name rules that exist.
            let providers = Set(checks.all.map(\.name))
            // A partial alerts.checks schedules only what it lists: say what that turns off.
            let off = AlertsConfig.unscheduledChecks(alerts, checks)
            if !off.isEmpty {
                warn("alerts.checks", "lists only \(alerts.checks.keys.sorted().joined(separator: ", ")), so these checks never run and never alert: \(off.joined(separator: ", ")) (add them, or remove alerts.checks to run every check at default_interval)")
            }
            for name in alerts.checks.keys.sorted() where checks.named(name) == nil {
                problem("alerts.checks.\(name)", "no such check provider (known: \(checks.all.map(\.name).joined(separator: ", ")))")
            }
            let known = resultChecks.union(providers).union(DefaultRules.rules.map(\.check))
            for (i, r) in alerts.rules.enumerated() {
                let check = r.check ?? r.name
                let isNew = !DefaultRules.rules.contains { $0.name == r.name }
                if (r.check != nil || isNew), !check.contains("*"), !known.contains(check) {
                    problem("alerts.rules[\(i)].check", "no check is called \"\(check)\" (known: \(known.sorted().joined(separator: ", ")))")
                }
            }
            let ruleNames = Set(alerts.effectiveRules.map(\.name))
            for (i, inh) in (alerts.inhibit ?? []).enumerated() {
                for name in inh.source + inh.targets where !name.contains("*") && !ruleNames.contains(name) && !known.contains(name) {
                    problem("alerts.inhibit[\(i)]", "\"\(name)\" is not an alert rule (rules: \(ruleNames.sorted().joined(separator: ", ")))")
                }
            }

            // Remediation buttons run catalog commands: the command must exist and take the arguments.
            // Not when the catalog did not load: its own problem is the cause, listed already.
            let names = config.serviceNames
            for (i, r) in alerts.rules.enumerated() where !catalog.entries.isEmpty {
                guard let line = r.remediation else { continue }
                if let why = remediationProblem(line, catalog: catalog, services: names) {
                    problem("alerts.rules[\(i)].remediation", why)
                }
            }
        }

        // Roles: a command limited to roles no admin holds can be run by nobody.
        let everyRole = config.admins.users.contains { $0.roles.isEmpty }
        let held = Set(config.admins.users.flatMap(\.roles))
        if !config.admins.users.isEmpty && !everyRole {
            for entry in catalog.entries where !entry.command.roles.isEmpty && held.isDisjoint(with: entry.command.roles) {
                catalogOut.append(ConfigError(file: entry.command.source, key: "roles",
                                       message: "no admin holds \(entry.command.roles.joined(separator: " or ")): nobody could run /\(entry.command.name) (admins.users roles: \(held.sorted().joined(separator: ", ")))"))
            }
        }
        return (out, catalogOut, warnings)
    }

    /// Chat ids that look mistyped: a group id without its `-100` prefix (a supergroup's id is
    /// -100 followed by its number), or a positive id that is no admin's private chat.
    static func chatIDHints(_ config: Config, alertChat: Int64?) -> [ConfigError] {
        var out: [ConfigError] = []
        let users = Set(config.admins.users.map(\.id))
        func hint(_ key: String, _ id: Int64) {
            let text = String(id)
            let number = text.hasPrefix("-") ? String(text.dropFirst()) : text
            let find = "opsbot logs the id of every chat it refuses, so a message in the group shows the right one"
            if id > 0 && !users.contains(id) {
                out.append(ConfigError(file: config.source, key: key, message: "\(id) is positive, i.e. a private chat, but no admin user has that id: a group's id is negative (a supergroup's is -100\(number)) — \(find)", line: line(config, key)))
            } else if id < 0 && !text.hasPrefix("-100") && text.count >= 11 {
                // Basic (legacy) groups have negative ids without -100; ten digits and more
                // without it is most often a supergroup id that lost its prefix.
                out.append(ConfigError(file: config.source, key: key, message: "\(id) has no -100 prefix: a supergroup's id is -100 followed by the group's number (-100\(number)), only a basic group's has none — \(find)", line: line(config, key)))
            }
        }
        for (i, c) in config.admins.chats.enumerated() { hint("admins.chats[\(i)]", c) }
        if let c = alertChat { hint("alerts.chat_id", c) }
        return out
    }

    /// Why `/restart {service}` cannot work as a button, nil when it can.
    static func remediationProblem(_ line: String, catalog: Catalog, services: [String]) -> String? {
        var words = line.split(separator: " ").map(String.init)
        guard let first = words.first, first.hasPrefix("/") else { return "expected a chat command such as \"/restart {service}\"" }
        let name = String(first.dropFirst())
        words.removeFirst()
        guard let entry = catalog.entry(name) else {
            // The command's file did not load: that file's problem is the cause, listed already.
            if catalog.invalidFiles.contains(where: { ($0.file as NSString).lastPathComponent.hasPrefix(name + ".y") }) { return nil }
            return "/\(name) is not a command of the catalog (known: \(catalog.entries.map { "/" + $0.command.name }.joined(separator: ", ")))"
        }
        // Placeholders are filled when the alert fires: check them with a plausible value.
        let sample = words.map { w -> String in
            switch w {
            case "{service}": services.first ?? "service"
            case "{target}", "{check}": "x"
            default: w
            }
        }
        let fillsFreeText = words.contains { $0 == "{target}" || $0 == "{check}" }
        do { _ = try ArgumentValidator.bind(sample, to: entry.command, services: services.isEmpty ? ["service"] : services) } catch let e as ArgumentError {
            if !fillsFreeText { return "\(line): \(e.message)" }
        } catch {}
        return nil
    }

    /// The line of a key in the config file, when it is there.
    static func line(_ config: Config, _ key: String) -> Int? {
        var node = config.root
        var line: Int?
        for part in key.split(separator: ".") {
            var name = String(part)
            var index: Int?
            if let b = name.firstIndex(of: "[") {
                index = Int(name[name.index(after: b)...].dropLast())
                name = String(name[..<b])
            }
            guard let m = node?.mapping else { break }
            guard let pair = m.first(where: { $0.key.string == name }) else { break }
            line = pair.key.mark?.line ?? line
            node = pair.value
            if let index, let seq = node?.sequence, index < seq.count {
                node = seq[index]
                line = node?.mark?.line ?? line
            }
        }
        return line
    }
}
