import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// The configured payment providers, as clients: asks them about stored payments concurrently
/// under one deadline, and checks their credentials. Read-only at the provider.
public struct ProviderDirectory: Sendable {
    public let config: PaymentsConfig
    let environment: [String: String]
    let clock: any OpsClock
    /// YooKassa GETs in flight at once per provider ("lightly parallel").
    var parallel = 10

    public init(config: PaymentsConfig, environment: [String: String], clock: any OpsClock) {
        self.config = config
        self.environment = environment
        self.clock = clock
    }

    public var isEmpty: Bool { config.providers.isEmpty }

    /// The provider entry for a row, nil when its `provider` value is not configured.
    public func entry(for p: Payment) -> (name: String, config: PaymentProviderConfig)? {
        guard let name = p.provider, let c = config.providers[name] else { return nil }
        return (name, c)
    }

    func yookassa(_ c: PaymentProviderConfig) -> YooKassaAPI {
        YooKassaAPI(baseURL: c.apiURL, shopID: c.shopID, secretKey: c.secretKey, environment: environment, timeout: c.timeout, clock: clock)
    }

    func stars(_ c: PaymentProviderConfig) -> StarsAPI {
        StarsAPI(baseURL: c.apiURL, token: c.token, environment: environment, scanLimit: c.scanLimit, timeout: c.timeout, clock: clock)
    }

    func cryptopay(_ c: PaymentProviderConfig) -> CryptoPayAPI {
        CryptoPayAPI(baseURL: c.apiURL, token: c.token, environment: environment, idField: c.idField, scanLimit: c.scanLimit,
                     testnet: c.testnet, timeout: c.timeout, clock: clock)
    }

    /// What each provider says about `payments` (by payment row id). Rows of unconfigured
    /// providers are absent. Everything runs at once; whatever has not answered when the
    /// deadline passes is `.unknown("no answer within …")` — never "not paid".
    public func verdicts(_ payments: [Payment], deadline: Double? = nil) async -> [String: ProviderVerdict] {
        let limit = deadline ?? config.providerDeadline
        var groups: [String: (PaymentProviderConfig, [Payment])] = [:]
        var out: [String: ProviderVerdict] = [:]
        for p in payments {
            guard let (name, c) = entry(for: p) else { continue }
            guard let pid = p.providerPaymentID, !pid.isEmpty else {
                out[p.id] = .unknown(ProviderReason(ProviderViewText.noProviderPaymentID))
                continue
            }
            groups[name, default: (c, [])].1.append(p)
        }
        guard !groups.isEmpty else { return out }
        let asked = groups
        let results = Locked<[String: ProviderVerdict]>([:])
        let work: @Sendable () async -> Bool = { [self] in
            await withTaskGroup(of: Void.self) { g in
                for (_, (c, rows)) in asked {
                    g.addTask { await self.ask(c, rows, into: results) }
                }
            }
            return true
        }
        _ = await withDeadline(.milliseconds(Int64(limit * 1000)), clock: clock, fallback: false, work)
        let got = results.current
        for (_, (c, rows)) in groups {
            for p in rows {
                out[p.id] = got[p.id] ?? .unknown(ProviderReason(ProviderViewText.noAnswerWithin(provider: c.displayName, seconds: limit)))
            }
        }
        return out
    }

    /// One provider's rows.
    func ask(_ c: PaymentProviderConfig, _ rows: [Payment], into results: Locked<[String: ProviderVerdict]>) async {
        switch c.type {
        case .cryptopay, .stars:
            let ids = rows.compactMap(\.providerPaymentID)
            let answers = c.type == .stars ? await stars(c).lookup(ids) : await cryptopay(c).lookup(ids)
            results.withLock { r in
                for p in rows { r[p.id] = answers[p.providerPaymentID ?? ""] ?? .unknown(ProviderReason(ProviderViewText.noAnswer(provider: c.displayName))) }
            }
        case .yookassa:
            let api = yookassa(c)
            await withTaskGroup(of: (String, Result<ProviderPayment?, ProviderError>).self) { g in
                var queue = rows[...]
                func next() {
                    guard let p = queue.popFirst() else { return }
                    g.addTask { (p.id, await api.fetch(p.providerPaymentID ?? "")) }
                }
                for _ in 0..<parallel { next() }
                for await (id, r) in g {
                    switch r {
                    case .success(let found): results.withLock { $0[id] = found.map { .found($0) } ?? .notFound }
                    case .failure(let e):
                        results.withLock { $0[id] = .unknown(ProviderReason(e)) }
                        if e.kind == .credentials {
                            // Every other request would be refused the same way: say so for all at once.
                            results.withLock { r in for p in queue { r[p.id] = .unknown(ProviderReason(e)) } }
                            queue = []
                        }
                    }
                    next()
                }
            }
        }
    }

    /// One payment, under the deadline; nil when its provider is not configured.
    public func verdict(_ p: Payment) async -> ProviderVerdict? {
        guard entry(for: p) != nil else { return nil }
        return await verdicts([p])[p.id]
    }

    /// The provider's "who am I" (`GET /v3/me`, `getMe`): a line about the account, or why not.
    public func whoami(_ c: PaymentProviderConfig) async -> Result<LocalizedText, ProviderError> {
        do {
            switch c.type {
            case .yookassa:
                let me = try await yookassa(c).me()
                return .success(ProviderViewText.whoYooKassa(account: me.account, test: me.test).localized)
            case .cryptopay:
                let me = try await cryptopay(c).me()
                return .success(ProviderViewText.whoCryptoPay(app: me.name, bot: me.bot).localized)
            case .stars:
                return .success(ProviderViewText.whoStars(bot: try await stars(c).me()).localized)
            }
        } catch let e as ProviderError {
            return .failure(e)
        } catch {
            return .failure(ProviderError(.unreachable, .failed(provider: c.displayName, error: "\(error)")))
        }
    }
}
