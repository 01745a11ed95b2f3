import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// A regular expression in the config, compiled (and refused with its key) at load time.
public struct ConfigRegex: Decodable, Sendable, Hashable {
    public var pattern: String
    public var regex: NSRegularExpression
    public init(_ pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: pattern)
    }
    public init(from d: Decoder) throws {
        let c = try d.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(s) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a valid regular expression: \(s)")
        }
    }
    public func matches(_ s: String) -> Bool { regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
    public static func == (a: ConfigRegex, b: ConfigRegex) -> Bool { a.pattern == b.pattern }
    public func hash(into h: inout Hasher) { h.combine(pattern) }
}
