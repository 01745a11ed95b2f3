import Foundation
import OpsbotCore
import OpsbotSupport

/// `railway:` on a service with `backend: railway` — one service in one environment of one project.
public struct RailwayServiceConfig: Decodable, Sendable, Hashable {
    public enum TokenKind: String, Sendable, Hashable { case project, account }
    public var projectID: String
    public var environmentID: String
    public var serviceID: String
    public var token: PlatformToken
    /// `project` (a project token, header Project-Access-Token) or `account` (Bearer).
    public var tokenKind: TokenKind = .project
    public var apiURL: String = "https://backboard.railway.com/graphql/v2"
    public var timeout: Double = 15

    enum CodingKeys: String, CodingKey, CaseIterable {
        case projectID = "project_id", environmentID = "environment_id", serviceID = "service_id"
        case tokenEnv = "token_env", tokenFile = "token_file", tokenKind = "token_kind", apiURL = "api_url", timeout
    }
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        func id(_ k: CodingKeys) throws -> String {
            let v = try c.decode(String.self, forKey: k)
            guard v.range(of: #"^[A-Za-z0-9-]{1,64}$"#, options: .regularExpression) != nil else {
                throw DecodingError.dataCorruptedError(forKey: k, in: c, debugDescription: "expected a Railway id (a UUID from the dashboard URL or `railway status --json`)")
            }
            return v
        }
        projectID = try id(.projectID)
        environmentID = try id(.environmentID)
        serviceID = try id(.serviceID)
        token = PlatformToken(env: try c.decodeIfPresent(String.self, forKey: .tokenEnv) ?? "RAILWAY_TOKEN",
                              file: try c.decodeIfPresent(String.self, forKey: .tokenFile))
        if let k = try c.decodeIfPresent(String.self, forKey: .tokenKind) {
            guard let v = TokenKind(rawValue: k) else {
                throw DecodingError.dataCorruptedError(forKey: .tokenKind, in: c, debugDescription: "expected project or account")
            }
            tokenKind = v
        }
        apiURL = try PlatformURL.decode(c, .apiURL) ?? apiURL
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.seconds ?? 15
        guard timeout > 0 else { throw DecodingError.dataCorruptedError(forKey: .timeout, in: c, debugDescription: "must be positive") }
    }
}
