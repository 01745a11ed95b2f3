import Foundation
import HTTPClient
import OpsbotSupport

/// The Crypto Pay API of Crypto Bot, read side (`../shared/providers/cryptopay.md`): `getMe`
/// to check the token, `getInvoices` for invoices. The token goes into the
/// `Crypto-Pay-API-Token` header only.
public struct CryptoPayAPI: Sendable {
    public static let mainnetURL = "https://pay.crypt.bot"
    public static let testnetURL = "https://testnet-pay.crypt.bot"

    /// What the product stored in `provider_payment_id`.
    public enum IDField: String, Sendable, Hashable, CaseIterable {
        /// The integer invoice id: looked up by `invoice_ids` in batches.
        case invoiceID = "invoice_id"
        /// The shop's own `payload` or the link `hash`: not filterable, matched by paging.
        case payload, hash
    }

    /// The host, without `/api` and without a trailing slash.
    public var baseURL: String
    public var token: ProviderCredential
    public var environment: [String: String]
    public var idField: IDField
    /// At most this many invoices are paged through to match payloads or hashes.
    public var scanLimit: Int
    public var testnet: Bool
    public var http: ProviderHTTP

    public init(baseURL: String, token: ProviderCredential, environment: [String: String], idField: IDField = .invoiceID,
                scanLimit: Int = 5000, testnet: Bool = false, timeout: Double, clock: any OpsClock) {
        self.baseURL = baseURL
        self.token = token
        self.environment = environment
        self.idField = idField
        self.scanLimit = scanLimit
        self.testnet = testnet
        self.http = ProviderHTTP(provider: "Crypto Pay", timeout: timeout, clock: clock)
    }

    func headers() throws -> [String: String] { ["Crypto-Pay-API-Token": try token.read(environment)] }

    /// The app behind the token: `(name, bot)` — `CryptoBot` on mainnet, `CryptoTestnetBot` on testnet.
    public func me() async throws -> (name: String, bot: String) {
        let result = try await call("getMe", [])
        guard let o = result as? [String: Any] else { throw ProviderError(.badAnswer, .cryptoPayNoApp) }
        return ((o["name"] as? String) ?? "?", (o["payment_processing_bot_username"] as? String) ?? "?")
    }

    /// Verdicts for stored ids (invoice ids, payloads or hashes, by `idField`). An id absent
    /// from the answers is `.notFound`; a failed call makes all of its ids `.unknown`.
    public func lookup(_ ids: [String]) async -> [String: ProviderVerdict] {
        var out: [String: ProviderVerdict] = [:]
        do {
            switch idField {
            case .invoiceID:
                var numeric: [String] = []
                for id in Set(ids) {
                    if ProviderText.isInvoiceID(id) { numeric.append(id) } else {
                        out[id] = .unknown(ProviderReason(ProviderMessage.notInvoiceID(id: String(id.prefix(40)))))
                    }
                }
                for batch in stride(from: 0, to: numeric.count, by: 1000).map({ Array(numeric[$0..<min($0 + 1000, numeric.count)]) }) where !batch.isEmpty {
                    let items = try await invoices([("invoice_ids", batch.joined(separator: ",")), ("count", String(max(batch.count, 1)))])
                    var byID: [String: ProviderPayment] = [:]
                    for i in items { byID[i.id] = i }
                    for id in batch { out[id] = byID[id].map { .found($0) } ?? .notFound }
                }
            case .payload, .hash:
                var wanted = Set(ids)
                var offset = 0
                while !wanted.isEmpty && offset < scanLimit {
                    let count = min(1000, scanLimit - offset)
                    let raw = try await invoiceObjects([("offset", String(offset)), ("count", String(count))])
                    for o in raw {
                        guard let key = o[idField.rawValue] as? String, wanted.contains(key) else { continue }
                        out[key] = .found(try Self.invoice(o, testnet: testnet))
                        wanted.remove(key)
                    }
                    if raw.count < count { break }
                    offset += count
                }
                let scanned = offset >= scanLimit
                for id in wanted {
                    out[id] = scanned ? .unknown(ProviderReason(ProviderMessage.cryptoPayNotScanned(limit: scanLimit))) : .notFound
                }
            }
        } catch {
            let why = (error as? ProviderError).map(ProviderReason.init) ?? ProviderReason(ProviderMessage.failed(provider: "Crypto Pay", error: "\(error)"))
            for id in ids where out[id] == nil { out[id] = .unknown(why) }
        }
        return out
    }

    func invoices(_ params: [(String, String)]) async throws -> [ProviderPayment] {
        try await invoiceObjects(params).map { try Self.invoice($0, testnet: testnet) }
    }

    func invoiceObjects(_ params: [(String, String)]) async throws -> [[String: Any]] {
        guard let r = try await call("getInvoices", params) as? [String: Any], let items = r["items"] as? [[String: Any]] else {
            throw ProviderError(.badAnswer, .cryptoPayNoItems)
        }
        return items
    }

    /// `GET <host>/api/<method>?…`; `result` of an `ok` answer, else the error in plain words.
    func call(_ method: String, _ params: [(String, String)]) async throws -> Any {
        var c = URLComponents(string: baseURL + "/api/" + method)
        if !params.isEmpty { c?.queryItems = params.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = c?.string else { throw ProviderError(.rejected, .cannotBuildURL(provider: "Crypto Pay", method: method)) }
        let r = try await http.get(url, headers: headers())
        let o = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        if let o, o["ok"] as? Bool == true, let result = o["result"] { return result }
        let err = o?["error"] as? [String: Any]
        let errName = err?["name"] as? String
        let code = (err?["code"] as? Int) ?? r.status
        if code == 401 || errName == "UNAUTHORIZED" {
            throw ProviderError(.credentials, .cryptoPayToken(label: token.label, labelRU: token.labelRU, testnet: testnet))
        }
        throw ProviderError(.rejected, .cryptoPayAnswered(code: code, name: errName.map { String($0.prefix(60)) }, json: o != nil, method: method))
    }

    /// An invoice object (`cryptopay.schema.json#/definitions/invoice`).
    static func invoice(_ o: [String: Any], testnet: Bool) throws -> ProviderPayment {
        guard let idNum = (o["invoice_id"] as? Int).map(Int64.init) ?? (o["invoice_id"] as? Int64) ?? (o["invoice_id"] as? Double).map({ Int64($0) }), let status = o["status"] as? String,
              let amount = ProviderHTTP.decimalText(o["amount"]) else {
            throw ProviderError(.badAnswer, .cryptoPayIncomplete)
        }
        let state: ProviderPayment.State
        switch status {
        case "paid": state = .paid
        case "active": state = .pending
        case "expired": state = .expired
        default: throw ProviderError(.badAnswer, .cryptoPayUnknownStatus(status: String(status.prefix(30))))
        }
        let fiat = (o["currency_type"] as? String) == "fiat"
        let currency = (fiat ? o["fiat"] : o["asset"]) as? String ?? "?"
        var paid: String?
        if fiat, let a = ProviderHTTP.decimalText(o["paid_amount"]), let asset = o["paid_asset"] as? String { paid = "\(a) \(asset)" }
        return ProviderPayment(provider: "Crypto Pay", id: String(idNum), state: state, status: status, amount: amount, currency: currency,
                               createdAt: ProviderHTTP.date(o["created_at"]), paidAt: ProviderHTTP.date(o["paid_at"]),
                               expiresAt: ProviderHTTP.date(o["expiration_date"]), test: testnet, paidAmount: paid,
                               description: o["description"] as? String)
    }
}
