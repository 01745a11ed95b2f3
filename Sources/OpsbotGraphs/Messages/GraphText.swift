import Foundation
import OpsbotSupport

/// Every text `/graph` shows: replies and errors (HTML), the caption's lines and alt text
/// (HTML), and the words drawn into the picture (plain text: title, threshold and mark labels,
/// the unit — the caption escapes the title).
enum GraphText: MessageCatalog {
    // `/graph` alone: the list of charts
    case listTitle
    case listLine(kind: ChartBuilder.Kind, targets: [String])
    case listExamples
    // refusals of the request
    case unknownChart(name: String)
    case periodOutOfRange(word: String)
    case tooManyArguments(kind: ChartBuilder.Kind)
    case periodOnly(kind: ChartBuilder.Kind)
    case noHistory(kind: ChartBuilder.Kind)
    case noMountHistory(mount: String, known: [String])
    case whichService(kind: ChartBuilder.Kind, known: [String])
    case noMemoryHistory(service: String, known: [String])
    case noLatencyHistory(service: String, known: [String])
    // the caption's lines
    case noData
    case summary(now: Double, min: Double, avg: Double, max: Double, unit: GraphUnit)
    case fillsIn(seconds: Double, ratePerHour: Double, window: Double)
    case fullNow
    case notFilling(ratePerHour: Double, window: Double)
    case otherMounts(kind: ChartBuilder.Kind, mounts: [String])
    case reachesRAM(ramMB: Int, seconds: Double, ratePerHour: Double, window: Double)
    case notGrowing(ratePerHour: Double, window: Double)
    case restartCount(count: Int, period: Double)
    case alt(ChartAlt)
    // when the picture cannot be drawn (after the text summary)
    case notDrawn(error: String)
    // drawn into the picture (plain text)
    case title(subject: ChartSubject, period: Double)
    case warningLine(percent: Double)
    case criticalLine(percent: Double)
    case ramLine(mb: Int)
    case slowLine(seconds: Double)
    case deployMark(service: String)
    case unit(GraphUnit)

    static var samples: [GraphText] {
        [
            .listTitle,
            .listLine(kind: .disk, targets: ["/", "/var"]),
            .listExamples,
            .unknownChart(name: "cpu"),
            .periodOutOfRange(word: "90d"),
            .tooManyArguments(kind: .disk),
            .periodOnly(kind: .payments),
            .noHistory(kind: .inodes),
            .noMountHistory(mount: "/nope", known: ["/", "/var"]),
            .whichService(kind: .memory, known: []),
            .noMemoryHistory(service: "web", known: ["worker"]),
            .noLatencyHistory(service: "worker", known: ["web"]),
            .noData,
            .summary(now: 78.5, min: 60, avg: 69.25, max: 78.5, unit: .percent),
            .fillsIn(seconds: 13_200, ratePerHour: 6, window: 3600),
            .fullNow,
            .notFilling(ratePerHour: 0, window: 1800),
            .otherMounts(kind: .disk, mounts: ["/", "/boot"]),
            .reachesRAM(ramMB: 16_000, seconds: 10_800, ratePerHour: 50, window: 3600),
            .notGrowing(ratePerHour: -3, window: 3600),
            .restartCount(count: 22, period: 86400),
            .alt(ChartAlt(subject: .disk(mount: "/var"), period: 86400, bars: false, from: 60, to: 78.5, unit: .percent,
                          thresholds: ["предупреждение 85 %"], projection: true, marks: 2, zone: "Europe/Berlin")),
            .notDrawn(error: "cannot load libcairo.so.2"),
            .title(subject: .restarts(service: "worker", perHour: true), period: 7 * 86400),
            .warningLine(percent: 85),
            .criticalLine(percent: 95),
            .ramLine(mb: 16_000),
            .slowLine(seconds: 2),
            .deployMark(service: "web"),
            .unit(.mb),
        ]
    }
}

/// What a chart shows, for its title and its alt text.
enum ChartSubject: Sendable, Hashable {
    case disk(mount: String)
    case inodes(mount: String)
    case memory(service: String)
    case latency(service: String, endpoint: String)
    case restarts(service: String?, perHour: Bool)
    case payments
    case alerts
}

/// The alt text's facts: what the picture shows, in words.
struct ChartAlt: Sendable, Hashable {
    var subject: ChartSubject
    var period: Double
    var bars: Bool
    /// The first and last values of a line chart.
    var from: Double?
    var to: Double?
    var unit: GraphUnit
    /// The threshold lines' labels, as drawn.
    var thresholds: [String]
    var projection: Bool
    var marks: Int
    var zone: String
}

/// A chart's unit: `%`, `MB`/`МБ`, `ms`/`мс`, none for counts.
enum GraphUnit: Sendable, Hashable {
    case percent, mb, ms, count
}
