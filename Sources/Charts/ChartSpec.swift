import Foundation
import OpsbotSupport

/// One value at one time; `low`/`high` when it stands for a span (an hour's min and max).
public struct ChartPoint: Sendable, Hashable {
    public var time: Date
    public var value: Double
    public var low: Double?
    public var high: Double?
    public init(time: Date, value: Double, low: Double? = nil, high: Double? = nil) {
        self.time = time
        self.value = value
        self.low = low
        self.high = high
    }
}

/// A horizontal line across the plot: a warn or critical threshold, or the limit.
public struct ChartThreshold: Sendable, Hashable {
    public enum Level: Sendable, Hashable { case warning, critical, limit }
    public var value: Double
    public var label: String
    public var level: Level
    public init(_ value: Double, label: String, level: Level) {
        self.value = value
        self.label = label
        self.level = level
    }
}

/// A vertical marker: a restart, a deploy.
public struct ChartMark: Sendable, Hashable {
    public var time: Date
    public var label: String
    public init(time: Date, label: String) {
        self.time = time
        self.label = label
    }
}

/// The dashed line from the last fitted value to where the trend meets the limit.
public struct ChartProjection: Sendable, Hashable {
    public var from: ChartPoint
    public var to: ChartPoint
    public init(from: ChartPoint, to: ChartPoint) {
        self.from = from
        self.to = to
    }
}

/// Everything one chart shows. Rendering is a pure function of this value.
public struct ChartSpec: Sendable, Hashable {
    public var title: String
    /// The y axis unit ("%", "MB", "ms", "" for counts).
    public var unit: String
    public var start: Date
    public var end: Date
    public var points: [ChartPoint]
    public var thresholds: [ChartThreshold]
    public var marks: [ChartMark]
    public var projection: ChartProjection?
    /// Fixed y bounds (disk: 0–100 %); nil: from the data, thresholds and projection.
    public var yMin: Double?
    public var yMax: Double?
    /// Time labels are in this zone (the `timezone:` setting).
    public var timeZone: TimeZone
    /// Bars instead of a line (counts per hour: restarts, alerts).
    public var bars: Bool
    public var width: Int
    public var height: Int
    /// The language of what `Painter` writes itself: time labels (month names), decimal
    /// separators, "no data". The title, threshold and mark labels come in it already.
    public var language: Language

    public init(title: String, unit: String, start: Date, end: Date, points: [ChartPoint], thresholds: [ChartThreshold] = [],
                marks: [ChartMark] = [], projection: ChartProjection? = nil, yMin: Double? = nil, yMax: Double? = nil,
                timeZone: TimeZone = TimeZone(identifier: "UTC")!, bars: Bool = false, width: Int = 1000, height: Int = 600,
                language: Language = Language.current) {
        self.title = title
        self.unit = unit
        self.start = start
        self.end = end
        self.points = points
        self.thresholds = thresholds
        self.marks = marks
        self.projection = projection
        self.yMin = yMin
        self.yMax = yMax
        self.timeZone = timeZone
        self.bars = bars
        self.width = width
        self.height = height
        self.language = language
    }
}
