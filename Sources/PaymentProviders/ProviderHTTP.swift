import Foundation
import HTTPClient
import OpsbotSupport

/// The one way a provider is called, shaped like the platform APIs: a timeout on every
/// request, 429 and 5xx waited out within a budget (GETs are safe to repeat), failures turned
/// into `ProviderError`s in plain words. GET only: the provider is never written to.
public struct ProviderHTTP: Sendable {
    /// "YooKassa", "Crypto Pay".
    public var provider: String
    /// Every request's total timeout (seconds).
    public var timeout: Double
    public var clock: any OpsClock
    /// Longest total wait for 429s and 5xx before giving up with a clear message.
    public var retryBudget: Double = 6
    public var retries = 2

    public init(provider: String, timeout: Double, clock: any OpsClock) {
        self.provider = provider
        self.timeout = timeout
        self.clock = clock
    }

    /// GETs `url` with `headers` and returns the answer whatever its status, except 429 and
    /// 5xx (retried, then thrown) and no answer at all (thrown).
    public func get(_ url: String, headers: [String: String]) async throws -> HTTPResponse {
        var waited = 0.0
        var attempt = 0
        while true {
            let req = HTTPRequest(method: "GET", url: url, headers: headers.merging(["Accept": "application/json"]) { a, _ in a },
                                  connectTimeout: min(3, timeout), timeout: timeout)
            let r: HTTPResponse
            do { r = try await HTTPClient.send(req) } catch let e as HTTPError {
                let path = Self.path(url)
                let what: ProviderMessage = switch e.kind {
                case .timeout: .noAnswerWithin(provider: provider, seconds: timeout, path: path)
                case .connect: .connectionRefused(provider: provider, path: path)
                case .dns: .hostDoesNotResolve(provider: provider, path: path)
                case .other: .requestFailed(provider: provider, path: path)
                }
                throw ProviderError(.unreachable, what)
            }
            guard r.status == 429 || r.status >= 500 else { return r }
            let wait = Self.retryAfter(r) ?? Double(1 << attempt)
            if attempt >= retries || waited + wait > retryBudget {
                if r.status == 429 {
                    throw ProviderError(.rateLimited, .rateLimited(provider: provider, waited: Int(waited), retryIn: Int(wait.rounded(.up))))
                }
                throw ProviderError(.unreachable, .providerTrouble(provider: provider, status: r.status, code: Self.errorCode(r)))
            }
            Log.warning("\(provider) answered \(r.status) on \(Self.path(url)): waiting \(wait) s")
            try await clock.sleep(seconds: wait)
            waited += wait
            attempt += 1
        }
    }

    /// `Retry-After` (seconds) or YooKassa's `retry_after` (milliseconds) in the error body.
    static func retryAfter(_ r: HTTPResponse) -> Double? {
        if let v = r.headers["retry-after"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), v >= 0 { return max(0.2, v) }
        if let o = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any], let ms = o["retry_after"] as? Double, ms >= 0 {
            return max(0.2, ms / 1000)
        }
        return nil
    }

    /// The path only: the query may carry ids and never belongs in a sentence.
    /// A Bot API path's `/bot<token>` is shown as `/bot…`.
    public static func path(_ url: String) -> String {
        let p = URLComponents(string: url)?.path ?? "?"
        guard p.hasPrefix("/bot"), let slash = p.dropFirst(4).firstIndex(of: "/") else { return p }
        return "/bot…" + p[slash...]
    }

    /// `not_found` (YooKassa `code`) or `UNAUTHORIZED` (Crypto Pay `error.name`).
    static func errorCode(_ r: HTTPResponse) -> String? {
        guard let o = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any] else { return nil }
        if let c = o["code"] as? String { return String(c.prefix(60)) }
        if let e = o["error"] as? [String: Any], let n = e["name"] as? String { return String(n.prefix(60)) }
        return nil
    }

    /// ISO 8601 with or without a fraction, `Z` or an offset.
    public static func date(_ raw: Any?) -> Date? {
        guard let s = raw as? String else { return nil }
        return ProviderText.date(s)
    }

    /// A decimal sent as a string (documented) or a number (tolerated).
    public static func decimalText(_ raw: Any?) -> String? {
        if let s = raw as? String { return s }
        if let i = raw as? Int { return String(i) }
        if let d = raw as? Double { return "\(Decimal(d))" }
        return nil
    }
}
