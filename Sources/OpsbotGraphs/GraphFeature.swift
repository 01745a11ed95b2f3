// OpsbotGraphs — `/graph`: charts (PNG, Cairo through `Charts`) of what the checks measured
// (the history in the local store), and the chart that goes with a `disk_fill` or
// `memory_growth` alert. Owns the `timezone:` setting (time labels). Depends on OpsbotCore and
// OpsbotServices (thresholds, services).

import Charts
import Foundation
import LocalStore
import OpsbotCore
import OpsbotServices
import OpsbotSupport

/// Charts of the history: `/graph <what> [target] [period]`, and alert charts.
public struct GraphFeature: Feature, AlertChartSource {
    public static var configSections: [ConfigSection] { [ConfigSection("timezone", as: String.self)] }

    let config: Config
    let services: ServicesFeature?

    public init(config: Config, services: ServicesFeature?) {
        self.config = config
        self.services = services
    }

    /// `timezone:` (an IANA name such as Europe/Berlin); UTC when absent.
    public static func timeZone(_ config: Config) throws -> TimeZone {
        guard let name = try config.section("timezone", as: String.self) else { return TimeZone(identifier: "UTC")! }
        guard let tz = TimeZone(identifier: name) else {
            throw ConfigError(file: config.source, key: "timezone", message: "\"\(name)\" is not a time zone name (e.g. UTC, Europe/Berlin, America/New_York)")
        }
        return tz
    }

    public static func validate(_ config: Config) -> [ConfigError] {
        do { _ = try timeZone(config) } catch let e as ConfigError { return [e] } catch {
            return [ConfigError(file: config.source, key: "timezone", message: "\(error)")]
        }
        return []
    }

    public func registerModules(_ r: ModuleRegistry) {
        r.register("graph") { _, _ in GraphModule(feature: self) }
    }

    func builder(_ app: AppContext) -> ChartBuilder {
        ChartBuilder(history: app.store.history, services: try? services?.manager().settings, store: app.store,
                     timeZone: (try? Self.timeZone(config)) ?? TimeZone(identifier: "UTC")!)
    }

    /// The reply for a built chart: the PNG with its caption, or — when drawing fails — the
    /// text summary (never an error).
    public static func reply(_ chart: BuiltChart, filename: String,
                             render: (ChartSpec) throws -> Data = ChartRenderer.png) -> Reply {
        do {
            let png = try render(chart.spec)
            return Reply(html: chart.caption, attachment: Attachment(filename: filename, data: png, kind: .photo))
        } catch {
            Log.warning("graph: could not draw \(filename): \(error)")
            let lines = chart.summaryHTML.isEmpty ? chart.summary.dropLast().map { HTML.escape($0) } : chart.summaryHTML
            return Reply(html: lines.joined(separator: "\n")
                         + (chart.fallback.isEmpty ? "" : "\n<pre>\(HTML.escape(chart.fallback))</pre>")
                         + "\n" + GraphText.notDrawn(error: "\(error)").text(chart.spec.language))
        }
    }

    public func alertChart(check: String, target: String, app: AppContext) async -> Reply? {
        let kind: ChartBuilder.Kind
        let period: Double
        switch check {
        case "disk_fill", "disk": (kind, period) = (.disk, 6 * 3600)
        case "memory_growth": (kind, period) = (.memory, 24 * 3600)
        default: return nil
        }
        let b = builder(app)
        guard let chart = try? b.build(kind, target: target, period: period, now: app.clock.now()) else { return nil }
        return await runBlocking(name: "opsbot.chart") { Self.reply(chart, filename: "\(kind.rawValue).png") }
    }
}
