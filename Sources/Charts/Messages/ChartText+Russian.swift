extension ChartText {
    var russian: String {
        switch self {
        case .noData: "за этот период данных пока нет"
        case .timeAxis(let zone): "время (\(zone))"
        }
    }
}
