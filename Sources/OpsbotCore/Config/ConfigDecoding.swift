import Foundation

/// Helpers shared by the feature config sections.

/// A coding key for any name, for sections whose keys are data (table names, payment types).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.intValue = intValue
        stringValue = "\(intValue)"
    }
}

extension KeyedDecodingContainer {
    /// `30s`, `15m`, or a bare number of seconds.
    func duration(_ key: Key) throws -> Double? {
        if let n = try? decodeIfPresent(Double.self, forKey: key) { return n }
        guard let s = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let v = Durations.parse(s), v > 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a duration such as 30s or 15m, got \"\(s)\"")
        }
        return v
    }
}
