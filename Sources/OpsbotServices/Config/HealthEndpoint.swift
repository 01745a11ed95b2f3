import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// One health endpoint of a service (several per service: direct and through nginx).
public struct HealthEndpoint: Decodable, Sendable, Hashable {
    public var name: String?
    public var url: String
    public var expect: Int = 200
    public var timeout: Double = 5
    /// Slower than this is reported as slow (platforms restart containers at ~10 s).
    public var slow: Double = 2
    public var unixSocket: String?

    public var label: String { name ?? (URL(string: url)?.path).flatMap { $0.isEmpty ? nil : $0 } ?? url }

    enum CodingKeys: String, CodingKey { case name, url, expect, timeout, slow, unixSocket = "unix_socket" }
    public init(name: String? = nil, url: String, expect: Int = 200, timeout: Double = 5, slow: Double = 2) {
        self.name = name; self.url = url; self.expect = expect; self.timeout = timeout; self.slow = slow
    }
    public init(from d: Decoder) throws {
        if let s = try? d.singleValueContainer().decode(String.self) { self.init(url: s); return }
        let c = try d.container(keyedBy: CodingKeys.self)
        let url = try c.decode(String.self, forKey: .url)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: "expected an http:// or https:// URL")
        }
        let timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 5
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name), url: url,
                  expect: try c.decodeIfPresent(Int.self, forKey: .expect) ?? 200, timeout: timeout,
                  slow: try c.decodeIfPresent(ConfigDuration.self, forKey: .slow)?.seconds ?? min(2, timeout))
        unixSocket = try c.decodeIfPresent(String.self, forKey: .unixSocket)
    }
}
