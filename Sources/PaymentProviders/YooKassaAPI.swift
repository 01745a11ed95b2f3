import Foundation
import HTTPClient
import OpsbotSupport

/// YooKassa API v3, read side (`../shared/providers/yookassa.md`): `GET /v3/me` to check the
/// credentials, `GET /v3/payments/{id}` for one payment. HTTP Basic auth with the shop id and
/// the secret key, which go into that header only.
public struct YooKassaAPI: Sendable {
    public static let defaultURL = "https://api.yookassa.ru/v3"

    /// Up to and including `/v3`, no trailing slash.
    public var baseURL: String
    public var shopID: ProviderCredential
    public var secretKey: ProviderCredential
    public var environment: [String: String]
    public var http: ProviderHTTP

    public init(baseURL: String = YooKassaAPI.defaultURL, shopID: ProviderCredential, secretKey: ProviderCredential,
                environment: [String: String], timeout: Double, clock: any OpsClock) {
        self.baseURL = baseURL
        self.shopID = shopID
        self.secretKey = secretKey
        self.environment = environment
        self.http = ProviderHTTP(provider: "YooKassa", timeout: timeout, clock: clock)
    }

    /// `2d5f1c2a-000f-5000-8000-1a2b3c4d5e05`: 36 characters, lower-case hex in UUID layout.
    public static func isPaymentID(_ s: String) -> Bool {
        ProviderText.isLowerHexUUID(s)
    }

    /// Which variables to check when YooKassa says 401.
    public var credentialNames: String { "\(shopID.label) and \(secretKey.label)" }
    public var credentialNamesRU: String { "\(shopID.labelRU) и \(secretKey.labelRU)" }

    func authHeader() throws -> [String: String] {
        let shop = try shopID.read(environment, secret: false), key = try secretKey.read(environment)
        let basic = Data("\(shop):\(key)".utf8).base64EncodedString()
        Redactor.shared.register(basic)
        return ["Authorization": "Basic \(basic)"]
    }

    /// The shop behind the credentials: `(account_id, test)`. Throws `.credentials` on 401/403.
    public func me() async throws -> (account: String, test: Bool) {
        let r = try await http.get(baseURL + "/me", headers: authHeader())
        let o = try object(r, what: "/v3/me")
        return ((o["account_id"] as? String) ?? "?", (o["test"] as? Bool) ?? false)
    }

    /// One payment; `.notFound` on 404. Never sends an id of the wrong shape.
    public func payment(_ id: String) async -> ProviderVerdict {
        switch await fetch(id) {
        case .success(let p): p.map { .found($0) } ?? .notFound
        case .failure(let e): .unknown(ProviderReason(e))
        }
    }

    /// One payment (nil on 404), or why it could not be read (the kind tells credentials apart).
    public func fetch(_ id: String) async -> Result<ProviderPayment?, ProviderError> {
        guard Self.isPaymentID(id) else {
            return .failure(ProviderError(.rejected, .notYooKassaID(id: String(id.prefix(40)))))
        }
        do {
            let r = try await http.get(baseURL + "/payments/" + id, headers: authHeader())
            if r.status == 404 { return .success(nil) }
            return .success(try Self.payment(try object(r, what: "/v3/payments/{id}")))
        } catch let e as ProviderError {
            return .failure(e)
        } catch {
            return .failure(ProviderError(.unreachable, .failed(provider: "YooKassa", error: "\(error)")))
        }
    }

    /// The JSON object of a 200, or the error object turned into a `ProviderError`.
    func object(_ r: HTTPResponse, what: String) throws -> [String: Any] {
        let o = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        switch r.status {
        case 200:
            guard let o else { throw ProviderError(.badAnswer, .yooKassaNotJSON(what: what)) }
            return o
        case 401:
            throw ProviderError(.credentials, .yooKassaCredentials(names: credentialNames, namesRU: credentialNamesRU))
        case 403:
            throw ProviderError(.credentials, .yooKassaForbidden(what: what, names: credentialNames, namesRU: credentialNamesRU))
        default:
            let code = o?["code"] as? String, desc = o?["description"] as? String, id = o?["id"] as? String
            throw ProviderError(.rejected, .yooKassaAnswered(status: r.status, code: code, what: what, description: desc.map { String($0.prefix(160)) }, errorID: id))
        }
    }


    /// A payment object (`yookassa.schema.json#/definitions/payment`).
    static func payment(_ o: [String: Any]) throws -> ProviderPayment {
        guard let id = o["id"] as? String, let status = o["status"] as? String,
              let amount = o["amount"] as? [String: Any], let value = ProviderHTTP.decimalText(amount["value"]),
              let currency = amount["currency"] as? String else {
            throw ProviderError(.badAnswer, .yooKassaIncomplete)
        }
        let state: ProviderPayment.State
        switch status {
        case "succeeded": state = .paid
        case "pending": state = .pending
        case "waiting_for_capture": state = .held
        case "canceled": state = .canceled
        default: throw ProviderError(.badAnswer, .yooKassaUnknownStatus(status: String(status.prefix(30))))
        }
        var cancellation: String?
        if let c = o["cancellation_details"] as? [String: Any] {
            let reason = (c["reason"] as? String) ?? "?"
            cancellation = (c["party"] as? String).map { "\(reason) by \($0)" } ?? reason
        }
        return ProviderPayment(provider: "YooKassa", id: id, state: state, status: status, amount: value, currency: currency,
                               createdAt: ProviderHTTP.date(o["created_at"]), paidAt: ProviderHTTP.date(o["captured_at"]),
                               expiresAt: ProviderHTTP.date(o["expires_at"]), cancellation: cancellation,
                               test: o["test"] as? Bool, description: o["description"] as? String)
    }
}
