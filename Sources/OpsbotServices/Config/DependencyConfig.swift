import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// One entry of `dependencies:` — an external thing the app needs.
public struct DependencyConfig: Decodable, Sendable {
    public var name: String
    public var url: String?
    /// `host:port`
    public var tcp: String?
    public var dns: String?
    public var timeout: Double = 5
    public var expect: Int?
    enum CodingKeys: String, CodingKey { case name, url, tcp, dns, timeout, expect }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        tcp = try c.decodeIfPresent(String.self, forKey: .tcp)
        dns = try c.decodeIfPresent(String.self, forKey: .dns)
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 5
        expect = try c.decodeIfPresent(Int.self, forKey: .expect)
        if [url, tcp, dns].compactMap({ $0 }).count != 1 {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: "give exactly one of url, tcp (host:port) or dns (host name)")
        }
        if let tcp, tcp.split(separator: ":").count < 2 || Int(tcp.split(separator: ":").last ?? "") == nil {
            throw DecodingError.dataCorruptedError(forKey: .tcp, in: c, debugDescription: "expected host:port")
        }
    }
}
