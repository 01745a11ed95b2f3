import Foundation
import OpsbotServices
import OpsbotSupport

extension GraphText {
    var english: String {
        let e = HTML.escape
        switch self {
        case .listTitle:
            return "<b>What /graph can draw</b> <i>(period 1h–30d, default 24h; 1-minute points for 48 h, hourly after)</i>"
        case .listLine(let kind, let targets):
            let about = switch kind {
            case .disk: "disk used % per mount, with warn/critical lines and when it will be full"
            case .inodes: "inodes used % per mount"
            case .memory: "a service's memory (MB), where it is heading"
            case .latency: "a service's health check latency (ms)"
            case .restarts: "restarts per hour (all services or one)"
            case .payments: "payments stuck in pending"
            case .alerts: "alerts firing"
            }
            let arg = switch kind {
            case .memory, .latency: " &lt;service&gt;"
            case .disk, .inodes: " [mount]"
            case .restarts: " [service]"
            case .payments, .alerts: ""
            }
            return "/graph \(kind.rawValue)\(arg) — \(e(about))" + (targets.isEmpty ? "" : " <i>(\(e(targets.prefix(8).joined(separator: ", "))))</i>")
        case .listExamples:
            return "\nExamples: /graph disk, /graph disk / 7d, /graph memory worker 24h, /graph payments 30d, /graph alerts 7d"
        case .unknownChart(let name):
            return "No chart called <code>\(e(name))</code>."
        case .periodOutOfRange(let word):
            return "period: \(e(word)) is out of range — give 1h to 30d (e.g. 6h, 24h, 7d)"
        case .tooManyArguments(let kind):
            return "Too many arguments: /graph \(kind.rawValue) [target] [period], e.g. /graph disk / 7d"
        case .periodOnly(let kind):
            return "/graph \(kind.rawValue) takes only a period, e.g. /graph \(kind.rawValue) 7d"
        case .noHistory(let kind):
            return "no \(kind.rawValue) history yet: opsbot records it every minute while it runs"
        case .noMountHistory(let mount, let known):
            return "no history for mount \(e(mount)) (known: \(e(known.joined(separator: ", "))))"
        case .whichService(let kind, let known):
            return "which service? /graph \(kind.rawValue) &lt;service&gt; (with history: \(Self.withHistoryEN(known)))"
        case .noMemoryHistory(let service, let known):
            return "no memory history for \(e(service)) (with history: \(Self.withHistoryEN(known)))"
        case .noLatencyHistory(let service, let known):
            return "no health check history for \(e(service)) (with history: \(Self.withHistoryEN(known)))"
        case .noData:
            return "No data for this period yet."
        case .summary(let now, let min, let avg, let max, let unit):
            let f = { GraphFormat.value($0, unit, .en) }
            return e("Now \(f(now)) · min \(f(min)) · avg \(f(avg)) · max \(f(max))")
        case .fillsIn(let seconds, let rate, let window):
            return e("Full in \(LinearTrend.approx(seconds, .en)) at \(Projection.ratePhrase(window)) (\(GraphFormat.rate(rate, .percent, .en)))")
        case .fullNow:
            return "Full now"
        case .notFilling(let rate, let window):
            return e("Not filling (\(GraphFormat.rate(rate, .percent, .en)) over \(GraphFormat.window(window, .en)))")
        case .otherMounts(let kind, let mounts):
            return "Other mounts: \(e(mounts.joined(separator: ", "))) — /graph \(kind.rawValue) &lt;mount&gt;"
        case .reachesRAM(let ram, let seconds, let rate, let window):
            return e("Reaches the machine's RAM (\(ram) MB) in \(LinearTrend.approx(seconds, .en)) at \(Projection.ratePhrase(window)) (\(GraphFormat.rate(rate, .mb, .en)))")
        case .notGrowing(let rate, let window):
            return e("Not growing (\(GraphFormat.rate(rate, .mb, .en)) over \(GraphFormat.window(window, .en)))")
        case .restartCount(let count, let period):
            return "\(count) restart(s) in \(GraphFormat.span(period, .en))"
        case .alt(let a):
            var alt = "Chart: \(a.bars ? "bars" : "line") of \(Self.whatEN(a.subject)) over \(GraphFormat.span(a.period, .en))"
            if let from = a.from, let to = a.to {
                alt += ", from \(GraphFormat.value(from, a.unit, .en)) to \(GraphFormat.value(to, a.unit, .en))"
            }
            if !a.thresholds.isEmpty { alt += "; lines at \(a.thresholds.joined(separator: ", "))" }
            if a.projection { alt += "; a dashed line projects the trend" }
            if a.marks > 0 { alt += "; \(a.marks) restart/deploy mark(s)" }
            alt += "; times in \(a.zone)."
            return e(alt)
        case .notDrawn(let error):
            return "<i>(the chart could not be drawn: \(e(error)))</i>"
        case .title(let subject, let period):
            let span = GraphFormat.span(period, .en)
            return switch subject {
            case .disk(let mount): "Disk used on \(mount) — \(span)"
            case .inodes(let mount): "Inodes used on \(mount) — \(span)"
            case .memory(let service): "Memory of \(service) — \(span)"
            case .latency(let service, let endpoint): "Health latency of \(service) \(endpoint) — \(span)"
            case .restarts(let service, let perHour): "Restarts\(service.map { " of \($0)" } ?? "") per \(perHour ? "hour" : "day") — \(span)"
            case .payments: "Pending payments (stuck) — \(span)"
            case .alerts: "Alerts firing — \(span)"
            }
        case .warningLine(let percent):
            return String(format: "warning %.0f %%", percent)
        case .criticalLine(let percent):
            return String(format: "critical %.0f %%", percent)
        case .ramLine(let mb):
            return "RAM \(mb) MB"
        case .slowLine(let seconds):
            return "slow \(Durations.format(seconds))"
        case .deployMark(let service):
            return "deploy \(service)"
        case .unit(let unit):
            return switch unit {
            case .percent: "%"
            case .mb: "MB"
            case .ms: "ms"
            case .count: ""
            }
        }
    }

    static func withHistoryEN(_ known: [String]) -> String {
        known.isEmpty ? "none yet" : HTML.escape(known.joined(separator: ", "))
    }

    /// The alt text's "line of …".
    static func whatEN(_ subject: ChartSubject) -> String {
        switch subject {
        case .disk(let mount): "disk used on \(mount)"
        case .inodes(let mount): "inodes used on \(mount)"
        case .memory(let service): "memory of \(service)"
        case .latency(let service, _): "health latency of \(service)"
        case .restarts: "restarts"
        case .payments: "pending payments"
        case .alerts: "alerts firing"
        }
    }
}
