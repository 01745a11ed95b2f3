extension ChartText {
    var english: String {
        switch self {
        case .noData: "no data for this period yet"
        case .timeAxis(let zone): "time (\(zone))"
        }
    }
}
