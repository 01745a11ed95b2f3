import Foundation

/// A feature that draws a chart for an alert (`disk_fill`, `memory_growth`): the alerts feature
/// sends it as a photo replying to the firing message. Nil when it has nothing to draw.
public protocol AlertChartSource: Sendable {
    func alertChart(check: String, target: String, app: AppContext) async -> Reply?
}
