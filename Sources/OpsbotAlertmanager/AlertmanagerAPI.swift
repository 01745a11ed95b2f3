import Foundation
import HTTPClient
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// The few Alertmanager v2 API calls opsbot makes, through libcurl with the configured timeout.
public struct AlertmanagerAPI: Sendable {
    public struct Alert: Decodable, Sendable, Hashable {
        public struct Status: Decodable, Sendable, Hashable {
            /// `active`, `suppressed` (silenced or inhibited) or `unprocessed`.
            public var state: String
            public var silencedBy: [String]?
            public var inhibitedBy: [String]?
        }
        public var labels: [String: String]
        public var annotations: [String: String]?
        public var startsAt: String?
        public var fingerprint: String?
        public var status: Status
    }

    public struct Matcher: Codable, Sendable, Hashable {
        public var name: String
        public var value: String
        public var isRegex: Bool
        public var isEqual: Bool?
        public init(name: String, value: String, isRegex: Bool = false, isEqual: Bool = true) {
            self.name = name
            self.value = value
            self.isRegex = isRegex
            self.isEqual = isEqual
        }
    }

    public struct Silence: Decodable, Sendable, Hashable {
        public struct Status: Decodable, Sendable, Hashable { public var state: String }
        public var id: String
        public var status: Status
        public var matchers: [Matcher]
        public var startsAt: String
        public var endsAt: String
        public var createdBy: String
        public var comment: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public var baseURL: String
    public var timeout: Double
    public var bearerToken: String?

    public init(baseURL: String, timeout: Double, bearerToken: String? = nil) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.bearerToken = bearerToken
    }

    /// Active, silenced and inhibited alerts (one full snapshot), optionally for a receiver regex.
    public func alerts(receiver: String?) async throws -> [Alert] {
        var q = "active=true&silenced=true&inhibited=true&unprocessed=true"
        if let receiver { q += "&receiver=" + Self.encode(receiver) }
        return try await call("GET", "/api/v2/alerts?" + q, as: [Alert].self)
    }

    /// When this Alertmanager process started (`/api/v2/status`'s `uptime`): it keeps alerts in
    /// memory only, so a recent start explains alerts gone from the snapshot.
    public func startedAt() async throws -> Date {
        struct Status: Decodable { var uptime: String }
        let s = try await call("GET", "/api/v2/status", as: Status.self)
        guard let d = Self.parse(s.uptime) else { throw Failure(description: "GET /api/v2/status: unreadable uptime \"\(s.uptime.prefix(40))\"") }
        return d
    }

    public func silences() async throws -> [Silence] {
        try await call("GET", "/api/v2/silences", as: [Silence].self)
    }

    /// Creates a silence; returns its id.
    public func createSilence(matchers: [Matcher], endsAt: Date, createdBy: String, comment: String) async throws -> String {
        struct Body: Encodable { var matchers: [Matcher]; var startsAt: String; var endsAt: String; var createdBy: String; var comment: String }
        struct Created: Decodable { var silenceID: String }
        let body = Body(matchers: matchers, startsAt: Self.format(Date()), endsAt: Self.format(endsAt), createdBy: createdBy, comment: comment)
        return try await call("POST", "/api/v2/silences", body: try JSONEncoder().encode(body), as: Created.self).silenceID
    }

    public func expireSilence(id: String) async throws {
        guard id.range(of: #"^[A-Za-z0-9-]{1,64}$"#, options: .regularExpression) != nil else { throw Failure(description: "bad silence id") }
        _ = try await raw("DELETE", "/api/v2/silence/" + id, body: nil)
    }

    func call<T: Decodable>(_ method: String, _ path: String, body: Data? = nil, as: T.Type) async throws -> T {
        let data = try await raw(method, path, body: body)
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw Failure(description: "\(method) \(Self.pathOnly(path)): unexpected answer from Alertmanager: \(error)")
        }
    }

    func raw(_ method: String, _ path: String, body: Data?) async throws -> Data {
        var headers = ["Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        if let bearerToken { headers["Authorization"] = "Bearer \(bearerToken)" }
        let req = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body,
                              connectTimeout: min(timeout, 5), timeout: timeout)
        let resp: HTTPResponse
        do { resp = try await HTTPClient.send(req) } catch {
            throw Failure(description: "\(method) \(Self.pathOnly(path)): \(error)")
        }
        guard (200..<300).contains(resp.status) else {
            let text = String(decoding: resp.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "\(method) \(Self.pathOnly(path)): HTTP \(resp.status)\(text.isEmpty ? "" : ": \(text)")")
        }
        return resp.body
    }

    static func pathOnly(_ path: String) -> String { String(path.prefix { $0 != "?" }) }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    static func parse(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
