import Foundation

/// Helpers shared by the config sections.

/// A coding key for any name, for sections whose keys are data (table names, payment types).
package struct AnyKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?
    package init(_ s: String) { stringValue = s }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init(intValue: Int) {
        self.intValue = intValue
        stringValue = "\(intValue)"
    }
}

/// The one duration type of the config: `300ms`, `30s`, `5m`, `1h30m`, or a bare number of seconds.
public struct ConfigDuration: Decodable, Sendable, Hashable {
    public var seconds: Double
    public init(_ seconds: Double) { self.seconds = seconds }
    public init(from d: Decoder) throws {
        let c = try d.singleValueContainer()
        if let n = try? c.decode(Double.self) {
            guard n >= 0 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "must not be negative, got \(n)") }
            seconds = n
            return
        }
        let s = try c.decode(String.self)
        if s.hasSuffix("ms"), let ms = Double(s.dropLast(2)), ms >= 0 { seconds = ms / 1000; return }
        guard let v = Durations.parse(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a duration such as 30s, 5m or 1h, got \"\(s)\"")
        }
        seconds = v
    }
}

extension KeyedDecodingContainer {
    /// A `ConfigDuration` in seconds, nil when absent; below `min` is an error naming the key.
    package func duration(_ key: Key, min: Double = 0, above: Bool = false) throws -> Double? {
        guard let v = try decodeIfPresent(ConfigDuration.self, forKey: key)?.seconds else { return nil }
        if above ? v <= min : v < min {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription:
                above ? "must be more than \(Durations.format(min))" : "must be at least \(Durations.format(min))")
        }
        return v
    }
}
