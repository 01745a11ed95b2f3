import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/status`: one screen, problems first. Every probe runs at once with its own timeout, so
/// the reply comes within the slowest check's timeout and a hung endpoint delays nothing else.
struct StatusModule: CommandModule {
    let services: ServicesFeature
    /// Providers the status collector covers itself; every other registered provider
    /// (database, schema, payments, env, alert delivery) runs alongside, with its own deadline.
    static let collected: Set<String> = ["services", "health", "disk", "dependencies", "target_bot", "logs"]
    static let databaseProviders: Set<String> = ["database", "schema", "payments"]

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(Reply(html: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text())) }
        let app = ctx.app
        let others = app.checks.all.filter { p in
            !Self.collected.contains(p.name) && (app.config.databaseURL != nil || !Self.databaseProviders.contains(p.name))
        }
        async let extra: [CheckResult] = withTaskGroup(of: [CheckResult].self) { g in
            for p in others {
                g.addTask {
                    await withDeadline(.seconds(10), fallback: [CheckResult(check: p.name, target: p.name, status: .unknown, message: StatusText.providerNoAnswer(provider: p.name))]) {
                        await p.run(app)
                    }
                }
            }
            var out: [CheckResult] = []
            for await r in g { out += r }
            return out
        }
        var report = await StatusCollector.collect(m, clock: ctx.app.clock, deadline: ctx.deadline)
        report.checks += await extra
        let alerts = services.alertCounts()
        // Said, not dropped: without it /status would look healthier than with a database.
        let off = app.config.databaseURL == nil && app.checks.named("database") != nil
            ? [StatusText.databaseNotConfigured.text()] : []
        var html = StatusModule.render(report, alerts: alerts, notConfigured: off)
        if !app.catalog.invalidFiles.isEmpty {
            html += "\n⚠️ " + CoreText.catalogInvalid(files: app.catalog.invalidFiles.map(\.description)).text()
        }
        return .reply(Reply(html: html))
    }

    /// One line per area, worst state first; the area's command to go deeper.
    struct Group {
        var label: String
        var deeper: String?
        var results: [CheckResult] = []
        var worst: CheckResult.Status? { results.map(\.status).max { rank($0) < rank($1) } }
    }

    /// critical before unknown before warning before ok.
    static func rank(_ s: CheckResult.Status) -> Int {
        switch s { case .ok: 0; case .warning: 1; case .unknown: 2; case .critical: 3 }
    }

    static func group(of c: CheckResult) -> (String, String?) {
        switch c.check {
        case "service_down", "restart_loop", "memory_growth": ("services", "/logs \(AlertRuleService.of(c.target)) 50 error")
        case "health", "health_slow": ("health", c.remediation)
        case "database": ("database", nil)
        case "schema": ("schema", "/schema")
        case "payments": ("payments", c.target == "duplicates" ? "/payments duplicates" : "/payments pending")
        case "heartbeat": ("heartbeat", c.remediation)
        case "env": ("env", "/env")
        case "instances", "webhook": ("conflicts", "/conflicts")
        case "log_pattern" where c.target.hasSuffix(":conflict"): ("conflicts", "/conflicts")
        case "log_pattern": ("logs", c.remediation)
        case "target_bot": ("bot", nil)
        case "disk", "log_growth": ("disk", "/disk")
        case "dependency": ("deps", nil)
        case "alert_delivery": ("alert delivery", "/alerts")
        default: (c.check, c.remediation)
        }
    }

    static let order = ["services", "health", "database", "schema", "payments", "heartbeat", "env", "conflicts", "logs", "bot",
                        "disk", "deps", "alert delivery"]

    /// `notConfigured`: areas that are off here ("database: not configured (…)"), one line each.
    static func render(_ r: StatusReport, alerts: (firing: Int, muted: Int)? = nil, notConfigured: [String] = []) -> String {
        var groups: [String: Group] = [:]
        for c in r.checks {
            let (label, deeper) = group(of: c)
            var g = groups[label] ?? Group(label: label, deeper: nil)
            g.results.append(c)
            if c.status != .ok, g.deeper == nil { g.deeper = deeper ?? c.remediation }
            groups[label] = g
        }
        let problems = r.checks.filter { $0.status != .ok }
        var html = (problems.isEmpty ? StatusText.allGood : .problems(count: problems.count)).text()
        if let alerts {
            html += StatusText.alerts(firing: alerts.firing, muted: alerts.muted).text()
        }
        html += StatusText.checkedIn(seconds: r.elapsed).text()
        let sorted = groups.values.sorted { a, b in
            let ra = rank(a.worst ?? .ok), rb = rank(b.worst ?? .ok)
            if ra != rb { return ra > rb }
            return (order.firstIndex(of: a.label) ?? 99) < (order.firstIndex(of: b.label) ?? 99)
        }
        for g in sorted {
            let worst = g.worst ?? .ok
            if worst == .ok {
                html += "✅ \(HTML.escape(StatusText.group(label: g.label).text())): \(HTML.escape(okSummary(g, r)))\n"
                continue
            }
            let bad = g.results.filter { $0.status != .ok }.sorted { rank($0.status) > rank($1.status) }
            var line = "\(worst.symbol) \(HTML.escape(StatusText.group(label: g.label).text())): " + bad.prefix(3).map { HTML.escape($0.summary(Language.current).clipped(toWords: 160)) }.joined(separator: "; ")
            if bad.count > 3 { line += StatusText.more(count: bad.count - 3).text() }
            if let d = g.deeper { line += " → \(HTML.escape(d))" }
            // What is fine in the same area, briefly (`web direct 200`, `local-api ok`).
            let fine = okSummary(Group(label: g.label, results: g.results.filter { $0.status == .ok }), r, onlyOK: true)
            if !fine.isEmpty && g.results.contains(where: { $0.status == .ok }) { line += StatusText.alsoOK.text() + HTML.escape(fine) }
            html += line + "\n"
        }
        for line in notConfigured { html += "⚪ \(HTML.escape(line))\n" }
        if !r.services.isEmpty {
            var rows: [String] = []
            let width = max(8, r.services.map(\.config.displayName.count).max() ?? 8)
            for s in r.services {
                var cols = [s.config.displayName.padding(toLength: width, withPad: " ", startingAt: 0)]
                let st = s.status
                cols.append(StatusText.tableState(state: s.restarting ? "restarting" : st.state.rawValue).text().padding(toLength: 8, withPad: " ", startingAt: 0))
                if let since = st.startedAt { cols.append(StatusText.tableUp(seconds: Date().timeIntervalSince(since)).text()) }
                if st.pids.count == 1, st.state == .running || st.state == .starting { cols.append("pid \(st.pids[0])") }
                if let mem = st.memoryBytes {
                    var m = DiskUsage.format(mem)
                    if let t = s.memoryTrend { m += String(format: " %@%.0fMB/h", t >= 0 ? "↑+" : "↓", t) }
                    cols.append(m)
                }
                if let k = s.restartsLastHour { cols.append(StatusText.tableRestartsPerHour(count: k).text()) } else if let c = st.restartCounter { cols.append(StatusText.tableRestarts(count: c).text()) }
                if st.instancesUnknown != nil { cols.append(StatusText.tableInstancesUnknown.text()) }
                else if let q = st.configured { cols.append("\(st.instances)/\(q)\(st.instances > 1 && s.config.bot ? " ⚠409" : "")") }
                else if st.instances > 1 { cols.append("×\(st.instances)\(s.config.bot ? " ⚠409" : "")") }
                if let rel = st.release { cols.append(rel + (st.releasedAt.map { " " + StatusText.tableAgo(seconds: max(0, Date().timeIntervalSince($0))).text() } ?? "")) }
                if let h = st.health { cols.append(h) }
                rows.append(cols.joined(separator: "  "))
            }
            html += "<pre>" + HTML.escape(rows.joined(separator: "\n")) + "</pre>\n"
        }
        // Platform services: what the platform says per process type / service (dyno states, deployment).
        for s in r.services where [.heroku, .railway].contains(s.config.backend) && s.status.state == .running {
            html += "\(HTML.escape(s.config.name)): \(HTML.escape(s.status.detailText.text()))\n"
        }
        return html.trimmingCharacters(in: .newlines)
    }

    /// The short "fine" line of an area: what was checked, not just "ok".
    static func okSummary(_ g: Group, _ r: StatusReport, onlyOK: Bool = false) -> String {
        if onlyOK && !["health", "deps", "services"].contains(g.label) { return "" }
        switch g.label {
        case "services":
            let n = g.results.filter { $0.check == "service_down" }.count
            return StatusText.okRunning(count: n).text()
        case "health":
            return r.services.flatMap { s in s.health.filter { $0.ok && !$0.slow }.map { "\(s.config.name) \($0.endpoint.label) \($0.summary(Language.current))" } }
                .prefix(4).joined(separator: " · ")
        case "bot":
            if let b = r.bot, b.tokenOK { return StatusText.okBot(username: b.username ?? "?", webhookSet: b.webhookURL != nil, pending: b.pendingUpdates ?? 0).text() }
            return StatusText.okPlain.text()
        case "disk":
            return (r.disk ?? []).prefix(4).map { String(format: "%@ %.0f%%", $0.mountPoint, $0.usedPercent) }.joined(separator: " · ")
        case "deps":
            return g.results.map { StatusText.okNamed(name: AlertRuleService.of($0.target)).text() }.joined(separator: " · ")
        case "database":
            return g.results.first?.summary(Language.current) ?? StatusText.okPlain.text()
        default:
            return g.results.count == 1 ? (g.results[0].summary.isEmpty ? StatusText.okPlain.text() : g.results[0].summary(Language.current)) : StatusText.okCount(count: g.results.count).text()
        }
    }
}

/// `worker` of `worker:/healthz` (the alert engine's rule, without importing it here).
enum AlertRuleService {
    static func of(_ target: String) -> String {
        target.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
    }
}
