import Yams

/// A top-level config key a feature owns, with the type its value decodes to. The loader
/// decodes every declared section once, strictly (unknown keys at any depth are problems),
/// and `Config.section(_:as:)` hands out the typed value.
public struct ConfigSection: Sendable {
    public let key: String
    let decode: @Sendable (ConfigDecodingSession, Node) throws -> any Sendable

    public init<T: Decodable & Sendable>(_ key: String, as type: T.Type) {
        self.key = key
        decode = { session, node in try session.decodeSection(key, as: T.self, from: node) }
    }
}
