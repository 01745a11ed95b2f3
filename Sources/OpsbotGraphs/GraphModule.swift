import Foundation
import OpsbotCore
import OpsbotSupport

/// `/graph` lists what can be drawn; `/graph disk`, `/graph disk / 7d`, `/graph memory worker 24h`,
/// `/graph payments 30d`, `/graph alerts 7d`, `/graph restarts`, `/graph latency web`.
struct GraphModule: CommandModule {
    let feature: GraphFeature

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let b = feature.builder(ctx.app)
        let now = ctx.app.clock.now()
        guard let what = ctx.request.string("what")?.lowercased(), !what.isEmpty else { return .reply(Reply(html: list(b, now: now))) }
        guard let kind = ChartBuilder.Kind(rawValue: what) else {
            return .reply(Reply(html: "No chart called <code>\(HTML.escape(what))</code>.\n\n" + list(b, now: now)))
        }
        // The rest: a period (1h … 30d) and a target, in either order.
        var target: String?
        var period = ChartBuilder.defaultPeriod
        for w in ctx.request.words("rest") {
            if let s = Durations.parse(w), Double(w) == nil {
                guard s >= 3600, s <= ChartBuilder.maxPeriod else {
                    return .reply(.text("period: \(w) is out of range — give 1h to 30d (e.g. 6h, 24h, 7d)"))
                }
                period = s
            } else if target == nil {
                target = w
            } else {
                return .reply(.text("Too many arguments: /graph \(kind.rawValue) [target] [period], e.g. /graph disk / 7d"))
            }
        }
        if target != nil && [.payments, .alerts].contains(kind) {
            return .reply(.text("/graph \(kind.rawValue) takes only a period, e.g. /graph \(kind.rawValue) 7d"))
        }
        let chart: BuiltChart
        do { chart = try b.build(kind, target: target, period: period, now: now) } catch {
            return .reply(.text("\(error)"))
        }
        return .reply(await runBlocking(name: "opsbot.chart") { GraphFeature.reply(chart, filename: "\(kind.rawValue).png") })
    }

    func list(_ b: ChartBuilder, now: Date) -> String {
        var lines = ["<b>What /graph can draw</b> <i>(period 1h–30d, default 24h; 1-minute points for 48 h, hourly after)</i>"]
        for k in ChartBuilder.Kind.allCases {
            let targets = b.targets(k, now: now)
            var line = "/graph \(k.rawValue)\(k.needsTarget ? " &lt;service&gt;" : [.disk, .inodes].contains(k) ? " [mount]" : k == .restarts ? " [service]" : "") — \(HTML.escape(k.about))"
            if !targets.isEmpty { line += " <i>(\(HTML.escape(targets.prefix(8).joined(separator: ", "))))</i>" }
            lines.append(line)
        }
        lines.append("\nExamples: /graph disk, /graph disk / 7d, /graph memory worker 24h, /graph payments 30d, /graph alerts 7d")
        return lines.joined(separator: "\n")
    }
}
