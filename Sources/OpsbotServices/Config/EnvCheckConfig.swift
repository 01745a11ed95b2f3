import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// Where a service's environment is read from for `/env`, and the rules it must satisfy.
public struct EnvCheckConfig: Decodable, Sendable, Hashable {
    /// `backend` (systemd Environment, container env, /proc/PID/environ) or `file`.
    public var source: String = "backend"
    public var file: String?
    public var rules: [EnvRule] = []
    enum CodingKeys: String, CodingKey { case source, file, rules }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        file = try c.decodeIfPresent(String.self, forKey: .file)
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? (file == nil ? "backend" : "file")
        guard ["backend", "file"].contains(source) else {
            throw DecodingError.dataCorruptedError(forKey: .source, in: c, debugDescription: "expected backend or file")
        }
        if source == "file" && file == nil {
            throw DecodingError.dataCorruptedError(forKey: .file, in: c, debugDescription: "source file needs file: PATH")
        }
        rules = try c.decodeIfPresent([EnvRule].self, forKey: .rules) ?? []
    }
}
