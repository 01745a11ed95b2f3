import Foundation
import HTTPClient
import OpsbotCore
import OpsbotSupport

/// One platform's HTTP API (Heroku's REST, Railway's GraphQL) over the shared libcurl client:
/// the token from its configured source, a timeout on every request, rate limits handled like
/// Telegram's (wait `Retry-After` and retry, within a budget, then say so) and 401/403 turned
/// into a sentence naming the token variable and the permission that was missing.
struct PlatformAPI: Sendable {
    /// "Heroku", "Railway".
    let platform: String
    let token: PlatformToken
    let environment: [String: String]
    let timeout: Double
    /// What rate-limit waits sleep on.
    let clock: any OpsClock
    /// Builds the auth headers from the token.
    let auth: @Sendable (String) -> [String: String]
    /// Longest total wait for rate limits before giving up with a clear message.
    var rateLimitBudget: Double = 10
    /// How many times a 429 is retried.
    var retries = 2

    struct Answer: Sendable {
        var response: HTTPResponse
        /// Seconds spent waiting for a rate limit (reported under the output).
        var waited: Double
        /// `RateLimit-Remaining` / `X-RateLimit-Remaining`, when the platform sent one.
        var remaining: Int?
        var note: LocalizedText? {
            var parts: [LocalizedText] = []
            if waited > 0 { parts.append(BackendText.rateLimitWaited(seconds: Int(waited.rounded(.up))).localized) }
            if remaining == 0 { parts.append(BackendText.rateLimitExhausted.localized) }
            return parts.isEmpty ? nil : BackendText.notes(parts).localized
        }
    }

    /// Sends and returns any answer that is not 401/403/429 (the caller reads the status).
    /// `permission` names what this request needs, for the 403 message.
    func send(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:], permission: BackendText,
              timeout: Double? = nil, keepPartial: Bool = false) async throws -> Answer {
        let secret = try token.read(environment)
        var waited = 0.0
        var attempt = 0
        while true {
            var req = HTTPRequest(method: method, url: url, headers: auth(secret).merging(headers) { $1 }, body: body,
                                  connectTimeout: min(5, timeout ?? self.timeout), timeout: timeout ?? self.timeout)
            req.keepPartialBodyOnTimeout = keepPartial
            let r: HTTPResponse
            do { r = try await HTTPClient.send(req) } catch let e as HTTPError {
                // What timed out and after how long; libcurl's sentence and the URL stay out of the chat.
                throw BackendError(.platformRequestFailed(platform: platform, why: e.plainWordsMessage(timeout: timeout ?? self.timeout).localized,
                                                          method: method, path: Self.path(url)))
            }
            let remaining = (r.headers["ratelimit-remaining"] ?? r.headers["x-ratelimit-remaining"]).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            switch r.status {
            case 401:
                throw BackendError(.unauthorized(platform: platform, token: token.source, message: Self.message(r)))
            case 403:
                throw BackendError(.forbidden(platform: platform, method: method, path: Self.path(url), token: token.source, permission: permission, message: Self.message(r)))
            case 429:
                let wait = Self.retryAfter(r) ?? Double(2 << attempt)
                if attempt >= retries || waited + wait > rateLimitBudget {
                    throw BackendError(.rateLimitGaveUp(platform: platform, remaining: remaining, waited: Int(waited), retryIn: Int(wait.rounded(.up))))
                }
                Log.warning("\(platform) rate limit on \(method) \(Self.path(url)): waiting \(wait) s")
                try await clock.sleep(seconds: wait)
                waited += wait
                attempt += 1
            default:
                return Answer(response: r, waited: waited, remaining: remaining)
            }
        }
    }

    static func retryAfter(_ r: HTTPResponse) -> Double? {
        guard let v = r.headers["retry-after"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), v >= 0 else { return nil }
        return max(0.2, v)
    }

    /// The path only: query strings may carry ids but never belong in a sentence.
    static func path(_ url: String) -> String {
        guard let u = URLComponents(string: url) else { return url }
        return u.path
    }

    static func host(_ url: String) -> String { URLComponents(string: url)?.host ?? "?" }

    /// `message` (Heroku) or `errors[0].message` (Railway) from an error body.
    static func message(_ r: HTTPResponse) -> String? {
        guard let o = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any] else { return nil }
        if let m = o["message"] as? String { return String(m.prefix(200)) }
        if let e = (o["errors"] as? [[String: Any]])?.first?["message"] as? String { return String(e.prefix(200)) }
        return nil
    }
}

/// ISO 8601 with or without fractional seconds: Heroku's API sends none, logplex six digits
/// (`…:00.123456+00:00`), Railway's logs up to nine; the fraction is cut to milliseconds.
enum PlatformDate {
    static func parse(_ raw: String?) -> Date? {
        guard var s = raw, s.count >= 20 else { return nil }
        if let dot = s.firstIndex(of: "."), let end = s[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = s[s.index(after: dot)..<end]
            if digits.count > 3 { s.replaceSubrange(s.index(after: dot)..<end, with: digits.prefix(3)) }
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
