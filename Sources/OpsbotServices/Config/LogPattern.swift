import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// A log pattern counted per window (alerts: `log_pattern`).
public struct LogPattern: Decodable, Sendable, Hashable {
    public var name: String
    public var regex: ConfigRegex
    public var window: Double = 900
    /// Count at which the check warns / goes critical.
    public var warn: Int = 1
    public var critical: Int?
    enum CodingKeys: String, CodingKey { case name, regex, window, warn, critical }
    public init(name: String, regex: ConfigRegex, window: Double = 900, warn: Int = 1, critical: Int? = nil) {
        self.name = name; self.regex = regex; self.window = window; self.warn = warn; self.critical = critical
    }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        regex = try c.decode(ConfigRegex.self, forKey: .regex)
        window = try c.decodeIfPresent(ConfigDuration.self, forKey: .window)?.seconds ?? 900
        warn = try c.decodeIfPresent(Int.self, forKey: .warn) ?? 1
        critical = try c.decodeIfPresent(Int.self, forKey: .critical)
    }
}
