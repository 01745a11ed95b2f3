import OpsbotSupport

/// The words `Painter` itself draws into a chart (the title, thresholds and marks come with the
/// spec, already in its language). Plain text: it is drawn, never sent as HTML.
enum ChartText: MessageCatalog {
    /// Across an empty plot.
    case noData
    /// Under the time axis: the zone the labels are in.
    case timeAxis(zone: String)

    static var samples: [ChartText] {
        [.noData, .timeAxis(zone: "Europe/Berlin")]
    }
}
