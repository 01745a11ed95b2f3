import Foundation
import HTTPClient
import OpsbotSupport

/// Telegram Stars, read through the selling bot's own Bot API token (stretch of issue 20):
/// `getMe` to check the token, `getStarTransactions` (chronological, 1–100 per call) to find a
/// payment by its `telegram_payment_charge_id` — the id of the incoming transaction; a refund
/// is an outgoing transaction with the same id. The token is part of Bot API URLs, which every
/// error message redacts.
public struct StarsAPI: Sendable {
    public static let defaultURL = "https://api.telegram.org"

    public var baseURL: String
    public var token: ProviderCredential
    public var environment: [String: String]
    /// At most this many transactions are paged through (oldest first, as the API lists them).
    public var scanLimit: Int
    public var http: ProviderHTTP

    public init(baseURL: String = StarsAPI.defaultURL, token: ProviderCredential, environment: [String: String], scanLimit: Int = 5000,
                timeout: Double, clock: any OpsClock) {
        self.baseURL = baseURL
        self.token = token
        self.environment = environment
        self.scanLimit = scanLimit
        self.http = ProviderHTTP(provider: "Telegram Stars", timeout: timeout, clock: clock)
    }

    /// The selling bot's username.
    public func me() async throws -> String {
        guard let o = try await call("getMe", []) as? [String: Any] else { throw ProviderError(.badAnswer, .starsNoBot) }
        return (o["username"] as? String) ?? "?"
    }

    /// Verdicts for stored charge ids: paid (an incoming transaction), refunded (an outgoing
    /// one with the same id), not found once every transaction was seen, unknown beyond `scanLimit`.
    public func lookup(_ ids: [String]) async -> [String: ProviderVerdict] {
        var wanted = Set(ids)
        var out: [String: ProviderVerdict] = [:]
        var offset = 0
        var complete = false
        do {
            while offset < scanLimit {
                guard let r = try await call("getStarTransactions", [("offset", String(offset)), ("limit", "100")]) as? [String: Any],
                      let list = r["transactions"] as? [[String: Any]] else {
                    throw ProviderError(.badAnswer, .starsNoTransactions)
                }
                for t in list {
                    guard let id = t["id"] as? String, wanted.contains(id) || out[id] != nil else { continue }
                    let amount = (t["amount"] as? Int) ?? 0
                    let date = (t["date"] as? Int).map { Date(timeIntervalSince1970: Double($0)) }
                    if t["receiver"] != nil, case .found(var p)? = out[id] {
                        p.state = .canceled
                        p.status = "refunded"
                        p.cancellation = "refunded \(amount) XTR"
                        out[id] = .found(p)
                    } else if t["source"] != nil {
                        out[id] = .found(ProviderPayment(provider: "Telegram Stars", id: id, state: .paid, status: "paid", amount: String(amount),
                                                         currency: "XTR", createdAt: date, paidAt: date, test: false))
                        wanted.remove(id)
                    }
                }
                offset += list.count
                if list.count < 100 { complete = true; break }
            }
        } catch {
            let why = (error as? ProviderError).map(ProviderReason.init) ?? ProviderReason(ProviderMessage.failed(provider: "Telegram Stars", error: "\(error)"))
            for id in ids where out[id] == nil { out[id] = .unknown(why) }
            return out
        }
        for id in wanted where out[id] == nil {
            out[id] = complete ? .notFound : .unknown(ProviderReason(ProviderMessage.starsNotScanned(limit: scanLimit)))
        }
        return out
    }

    /// `GET <base>/bot<token>/<method>?…`: `result`, or the Bot API error in plain words.
    func call(_ method: String, _ params: [(String, String)]) async throws -> Any {
        let secret = try token.read(environment)
        var c = URLComponents(string: baseURL + "/bot" + secret + "/" + method)
        if !params.isEmpty { c?.queryItems = params.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = c?.string else { throw ProviderError(.rejected, .cannotBuildURL(provider: "Telegram", method: method)) }
        let r = try await http.get(url, headers: [:])
        let o = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        if let o, o["ok"] as? Bool == true, let result = o["result"] { return result }
        let code = (o?["error_code"] as? Int) ?? r.status
        let desc = (o?["description"] as? String).map { String($0.prefix(120)) }
        if code == 401 || code == 404 {
            throw ProviderError(.credentials, .telegramToken(code: code, description: desc, label: token.label, labelRU: token.labelRU))
        }
        throw ProviderError(.rejected, .telegramAnswered(code: code, method: method, description: desc))
    }
}
