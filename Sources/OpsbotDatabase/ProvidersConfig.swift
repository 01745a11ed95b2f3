import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// One entry of `database.payments.providers`: which provider a value of the product's
/// `provider` column means, and where its credentials are — environment variable names or
/// files, never the values (a file, when given, wins over the variable, as for the platform
/// tokens). Keys are strict per type (a `token_env` on a YooKassa entry is an
/// unknown key).
public struct PaymentProviderConfig: Decodable, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case yookassa, cryptopay, stars }
    public var type: Kind
    /// YooKassa: the shop id and the secret key.
    public var shopID = ProviderCredential(env: "YOOKASSA_SHOP_ID")
    public var secretKey = ProviderCredential(env: "YOOKASSA_SECRET_KEY")
    /// Crypto Pay: the app's API token.
    public var token = ProviderCredential(env: "CRYPTOBOT_TOKEN")
    /// Crypto Pay: `mainnet` or `testnet` (tokens belong to one network).
    public var testnet = false
    /// The API's base (YooKassa up to `/v3`, Crypto Pay the host): a sandbox or a proxy.
    public var apiURL: String
    /// Every request's total timeout.
    public var timeout: Double = 5
    /// Crypto Pay: what `provider_payment_id` holds (`invoice_id`, `payload`, `hash`).
    public var idField = CryptoPayAPI.IDField.invoiceID
    /// Crypto Pay with `payload`/`hash`: how many of the newest invoices are paged through.
    public var scanLimit = 5000

    enum CodingKeys: String, CodingKey {
        case type, shopIDEnv = "shop_id_env", shopIDFile = "shop_id_file", secretKeyEnv = "secret_key_env", secretKeyFile = "secret_key_file"
        case tokenEnv = "token_env", tokenFile = "token_file", network, apiURL = "api_url", timeout, idField = "id_field", scanLimit = "scan_limit"
    }

    public init(type: Kind, apiURL: String) {
        self.type = type
        self.apiURL = apiURL
    }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .type)
        guard let kind = Kind(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "expected yookassa, cryptopay or stars, got \"\(raw.prefix(40))\"")
        }
        type = kind
        func credential(_ env: CodingKeys, _ file: CodingKeys, default name: String) throws -> ProviderCredential {
            let e = try c.decodeIfPresent(String.self, forKey: env), f = try c.decodeIfPresent(String.self, forKey: file)
            if let e, e.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,127}$"#, options: .regularExpression) == nil {
                throw DecodingError.dataCorruptedError(forKey: env, in: c, debugDescription: "expected the *name* of an environment variable (e.g. \(name)), never the secret itself")
            }
            return f.map { ProviderCredential(file: $0) } ?? ProviderCredential(env: e ?? name)
        }
        switch kind {
        case .yookassa:
            shopID = try credential(.shopIDEnv, .shopIDFile, default: "YOOKASSA_SHOP_ID")
            secretKey = try credential(.secretKeyEnv, .secretKeyFile, default: "YOOKASSA_SECRET_KEY")
            apiURL = try Self.url(c) ?? YooKassaAPI.defaultURL
        case .cryptopay:
            token = try credential(.tokenEnv, .tokenFile, default: "CRYPTOBOT_TOKEN")
            let network = try c.decodeIfPresent(String.self, forKey: .network) ?? "mainnet"
            guard network == "mainnet" || network == "testnet" else {
                throw DecodingError.dataCorruptedError(forKey: .network, in: c, debugDescription: "expected mainnet or testnet, got \"\(network.prefix(40))\"")
            }
            testnet = network == "testnet"
            apiURL = try Self.url(c) ?? (testnet ? CryptoPayAPI.testnetURL : CryptoPayAPI.mainnetURL)
            if let f = try c.decodeIfPresent(String.self, forKey: .idField) {
                guard let v = CryptoPayAPI.IDField(rawValue: f) else {
                    throw DecodingError.dataCorruptedError(forKey: .idField, in: c, debugDescription: "expected invoice_id, payload or hash, got \"\(f.prefix(40))\"")
                }
                idField = v
            }
            scanLimit = try c.decodeIfPresent(Int.self, forKey: .scanLimit) ?? scanLimit
            guard (100...100_000).contains(scanLimit) else {
                throw DecodingError.dataCorruptedError(forKey: .scanLimit, in: c, debugDescription: "must be 100–100000, got \(scanLimit)")
            }
        case .stars:
            // The selling bot's own token (the target bot's), for getStarTransactions.
            token = try credential(.tokenEnv, .tokenFile, default: "BOT_TOKEN")
            apiURL = try Self.url(c) ?? StarsAPI.defaultURL
            scanLimit = try c.decodeIfPresent(Int.self, forKey: .scanLimit) ?? scanLimit
            guard (100...100_000).contains(scanLimit) else {
                throw DecodingError.dataCorruptedError(forKey: .scanLimit, in: c, debugDescription: "must be 100–100000, got \(scanLimit)")
            }
        }
        timeout = try c.duration(.timeout, above: true) ?? timeout
        guard timeout <= 60 else { throw DecodingError.dataCorruptedError(forKey: .timeout, in: c, debugDescription: "must be at most 60s") }
    }

    static func url(_ c: KeyedDecodingContainer<CodingKeys>) throws -> String? {
        guard let u = try c.decodeIfPresent(String.self, forKey: .apiURL) else { return nil }
        guard u.hasPrefix("https://") || u.hasPrefix("http://"), URLComponents(string: u)?.host != nil else {
            throw DecodingError.dataCorruptedError(forKey: .apiURL, in: c, debugDescription: "expected an http:// or https:// URL")
        }
        guard URLComponents(string: u)?.user == nil, URLComponents(string: u)?.password == nil, !u.contains("?") else {
            throw DecodingError.dataCorruptedError(forKey: .apiURL, in: c, debugDescription: "must carry no credentials and no query: they go in *_env / *_file")
        }
        return u.hasSuffix("/") ? String(u.dropLast()) : u
    }

    /// "YooKassa", "Crypto Pay".
    public var displayName: String { [.yookassa: "YooKassa", .cryptopay: "Crypto Pay", .stars: "Telegram Stars"][type] ?? "?" }

    /// The variables/files to check, for alerts: `YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY`.
    public var credentialNames: String {
        type == .yookassa ? "\(shopID.label) and \(secretKey.label)" : token.label
    }

    /// The same in Russian: `YOOKASSA_SHOP_ID и YOOKASSA_SECRET_KEY`, `файл /run/secrets/yk`.
    public var credentialNamesRU: String {
        type == .yookassa ? "\(shopID.labelRU) и \(secretKey.labelRU)" : token.labelRU
    }

    /// Registers whatever credentials are set now with the redactor (at start-up, before any
    /// log line could carry them).
    public func registerSecrets(_ environment: [String: String]) {
        for cred in type == .yookassa ? [secretKey] : [token] where cred.env != nil {
            _ = try? cred.read(environment)
        }
    }
}
