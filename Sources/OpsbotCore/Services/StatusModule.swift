import Foundation
import SystemOps

/// `/status`: one screen, problems first. Every probe runs at once with its own timeout, so
/// the reply comes within the slowest check's timeout and a hung endpoint delays nothing else.
struct StatusModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try ServiceManager.shared(ctx.app) } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
        // The app's database, when one is configured, is probed alongside the services.
        let app = ctx.app
        async let database: [CheckResult] = app.config.databaseURL == nil ? [] : (await app.checks.named("database")?.run(app) ?? [])
        var report = await StatusCollector.collect(m, clock: ctx.app.clock)
        report.checks += await database
        return .reply(Reply(html: StatusModule.render(report)))
    }

    static func render(_ r: StatusReport) -> String {
        let problems = r.checks.filter { $0.status != .ok }.sorted { $0.status > $1.status }
        var html = problems.isEmpty ? "✅ <b>All good</b>" : "<b>\(problems.count) problem\(problems.count == 1 ? "" : "s")</b>"
        html += String(format: " <i>(checked in %.1f s)</i>\n", r.elapsed)
        for p in problems {
            html += "\(p.status.symbol) \(HTML.escape(p.summary))"
            if let fix = p.remediation { html += " → \(HTML.escape(fix))" }
            html += "\n"
            for e in p.evidence.prefix(2) { html += "   <code>\(HTML.escape(String(e.prefix(200))))</code>\n" }
        }
        if !r.services.isEmpty {
            var rows: [String] = []
            let width = max(8, r.services.map(\.config.displayName.count).max() ?? 8)
            for s in r.services {
                var cols = [s.config.displayName.padding(toLength: width, withPad: " ", startingAt: 0)]
                let st = s.status
                cols.append((s.restarting ? "restarting" : st.state.rawValue).padding(toLength: 8, withPad: " ", startingAt: 0))
                if let since = st.startedAt { cols.append("up " + Durations.format(Date().timeIntervalSince(since))) }
                if st.pids.count == 1, st.state == .running || st.state == .starting { cols.append("pid \(st.pids[0])") }
                if let mem = st.memoryBytes {
                    var m = DiskUsage.format(mem)
                    if let t = s.memoryTrend { m += String(format: " %@%.0fMB/h", t >= 0 ? "↑+" : "↓", t) }
                    cols.append(m)
                }
                if let k = s.restartsLastHour { cols.append("\(k) restarts/h") } else if let c = st.restartCounter { cols.append("\(c) restarts") }
                if st.instancesUnknown != nil { cols.append("instances ?") }
                else if let q = st.configured { cols.append("\(st.instances)/\(q)\(st.instances > 1 && s.config.bot ? " ⚠409" : "")") }
                else if st.instances > 1 { cols.append("×\(st.instances)\(s.config.bot ? " ⚠409" : "")") }
                if let rel = st.release { cols.append(rel + (st.releasedAt.map { " " + Durations.format(max(0, Date().timeIntervalSince($0))) + " ago" } ?? "")) }
                if let h = st.health { cols.append(h) }
                rows.append(cols.joined(separator: "  "))
            }
            html += "<pre>" + HTML.escape(rows.joined(separator: "\n")) + "</pre>\n"
        }
        // Platform services: what the platform says per process type / service (dyno states, deployment).
        for s in r.services where [.heroku, .railway].contains(s.config.backend) && s.status.state == .running {
            html += "\(HTML.escape(s.config.name)): \(HTML.escape(s.status.detail))\n"
        }
        let health = r.services.flatMap { s in s.health.filter { $0.ok && !$0.slow }.map { "\(s.config.name) \($0.endpoint.label) \($0.summary)" } }
        if !health.isEmpty { html += "health: " + HTML.escape(health.joined(separator: " · ")) + "\n" }
        if let b = r.bot, b.tokenOK {
            html += "bot: @\(HTML.escape(b.username ?? "?")) ok, webhook \(b.webhookURL == nil ? "not set" : "set"), \(b.pendingUpdates ?? 0) pending\n"
        }
        if let d = r.disk, !d.isEmpty {
            html += "disk: " + HTML.escape(d.map { String(format: "%@ %.0f%%", $0.mountPoint, $0.usedPercent) }.joined(separator: " · ")) + "\n"
        }
        for c in r.checks where c.check == "database" && c.status == .ok {
            html += "database: " + HTML.escape(c.summary) + "\n"
        }
        let deps = r.dependencies.filter(\.ok)
        if !deps.isEmpty { html += "deps: " + HTML.escape(deps.map { "\($0.name) ok" }.joined(separator: " · ")) + "\n" }
        return html.trimmingCharacters(in: .newlines)
    }
}
