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
            return .reply(Reply(html: GraphText.unknownChart(name: what).text() + "\n\n" + list(b, now: now)))
        }
        // The rest: a period (1h … 30d) and a target, in either order.
        var target: String?
        var period = ChartBuilder.defaultPeriod
        for w in ctx.request.words("rest") {
            if let s = Durations.parse(w), Double(w) == nil {
                guard s >= 3600, s <= ChartBuilder.maxPeriod else {
                    return .reply(Reply(html: GraphText.periodOutOfRange(word: w).text()))
                }
                period = s
            } else if target == nil {
                target = w
            } else {
                return .reply(Reply(html: GraphText.tooManyArguments(kind: kind).text()))
            }
        }
        if target != nil && [.payments, .alerts].contains(kind) {
            return .reply(Reply(html: GraphText.periodOnly(kind: kind).text()))
        }
        let chart: BuiltChart
        do { chart = try b.build(kind, target: target, period: period, now: now) } catch let error as GraphError {
            return .reply(Reply(html: error.text()))
        } catch {
            return .reply(.text("\(error)"))
        }
        return .reply(await runBlocking(name: "opsbot.chart") { GraphFeature.reply(chart, filename: "\(kind.rawValue).png") })
    }

    func list(_ b: ChartBuilder, now: Date) -> String {
        var lines = [GraphText.listTitle.text()]
        for k in ChartBuilder.Kind.allCases {
            lines.append(GraphText.listLine(kind: k, targets: b.targets(k, now: now)).text())
        }
        lines.append(GraphText.listExamples.text())
        return lines.joined(separator: "\n")
    }
}
