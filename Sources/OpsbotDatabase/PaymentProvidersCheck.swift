import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// The payment providers' truth as alerts (seed 002 §1.4, §1.5):
/// - `provider_unreachable` / `provider_credentials` per configured provider, from its own
///   "who am I" call (`GET /v3/me`, `getMe`); credentials are unknown while it is unreachable;
/// - `payment_webhook_lost` per payment pending here but paid at the provider for longer than
///   `payments.webhook_grace`, target the payment id (the Complete button runs `/complete <id>`).
///   While a provider cannot be asked its payments are unknown, never resolved.
struct PaymentProvidersCheck: CheckProvider {
    let database: DatabaseFeature
    let name = "payment_providers"
    var emits: [String] { ["payment_webhook_lost", "provider_unreachable", "provider_credentials"] }
    /// Pending rows looked at per round: the newest this many created within `window`.
    static let rowLimit = 100
    static let window: Double = 7 * 86_400

    func run(_ app: AppContext) async -> [CheckResult] {
        let db: DatabaseClient
        do { db = try database.client() } catch { return [] }
        let config = db.settings.payments
        guard !config.providers.isEmpty else { return [] }
        let directory = database.providers(db)
        var out: [CheckResult] = []
        var down: [String: ErrorText] = [:]   // provider name → why it cannot be asked
        // Who am I, all providers at once.
        let names = config.providers.keys.sorted()
        let answers = await withTaskGroup(of: (String, Result<LocalizedText, ProviderError>).self) { g in
            for n in names { g.addTask { (n, await directory.whoami(config.providers[n]!)) } }
            var r: [String: Result<LocalizedText, ProviderError>] = [:]
            for await (n, a) in g { r[n] = a }
            return r
        }
        for n in names {
            let c = config.providers[n]!
            switch answers[n] ?? .failure(ProviderError.noAnswer) {
            case .success(let who):
                out.append(CheckResult(check: "provider_unreachable", target: n, status: .ok, message: ProviderViewText.answers(who: who)))
                out.append(CheckResult(check: "provider_credentials", target: n, status: .ok,
                                       message: ProviderViewText.credentialsAccepted(names: c.credentialNames, namesRU: c.credentialNamesRU, provider: c.displayName)))
            case .failure(let e) where e.kind == .credentials:
                down[n] = ErrorText(e)
                out.append(CheckResult(check: "provider_unreachable", target: n, status: .ok, message: ProviderViewText.providerAnswers(provider: c.displayName)))
                var refused = CheckResult(check: "provider_credentials", target: n, status: .critical,
                                          message: ProviderViewText.credentialsRefused(provider: c.displayName, name: n, error: ErrorText(e)),
                                          remediation: "/payments pending")
                refused.setEvidence([ProviderViewText.evidenceCheckCredentials(names: c.credentialNames, namesRU: c.credentialNamesRU,
                                                                               provider: c.displayName)])
                out.append(refused)
            case .failure(let e):
                down[n] = ErrorText(e)
                var unreachable = CheckResult(check: "provider_unreachable", target: n, status: .critical,
                                              message: ProviderViewText.cannotBeAsked(provider: c.displayName, name: n, error: ErrorText(e)))
                unreachable.setEvidence([ProviderViewText.evidenceCannotCheck(provider: c.displayName)])
                out.append(unreachable)
                out.append(CheckResult(check: "provider_credentials", target: n, status: .unknown,
                                       message: ProviderViewText.credentialsUnchecked(provider: c.displayName, names: c.credentialNames, namesRU: c.credentialNamesRU)))
            }
        }
        // Payments pending here, paid there.
        let store = PaymentsStore(config)
        let grace = config.webhookGrace
        let rows: [Payment]
        do {
            rows = try await db.session { s in try store.recentPending(s, olderThan: grace, within: Self.window, limit: Self.rowLimit) }
        } catch {
            out.append(CheckResult(check: "payment_webhook_lost", target: "database", status: .unknown,
                                   message: DatabaseText.failure(error: ErrorText(error), nothingChanged: false)))
            return out
        }
        let askable = rows.filter { p in directory.entry(for: p).map { down[$0.name] == nil } ?? false }
        for n in names.filter({ down[$0] != nil }) where rows.contains(where: { $0.provider == n }) {
            // Unknown rather than resolved while the provider is down.
            out.append(CheckResult(check: "payment_webhook_lost", target: "provider:\(n)", status: .unknown,
                                   message: ProviderViewText.providerDown(provider: config.providers[n]!.displayName, reason: down[n]!)))
        }
        let verdicts = await directory.verdicts(askable)
        let now = app.clock.now()
        var unknown = 0
        for p in askable {
            switch verdicts[p.id] {
            case .found(let pp)? where pp.state == .paid:
                let since = pp.paidAt ?? p.createdAt ?? now
                guard now.timeIntervalSince(since) >= grace else { continue }
                let mismatch = ProviderView.mismatch(pp, p)
                var lost = CheckResult(
                    check: "payment_webhook_lost", target: p.id, status: .critical,
                    message: ProviderViewText.webhookLost(payment: p, provider: pp.provider, since: since, providerPaymentID: pp.id),
                    value: now.timeIntervalSince(since),
                    remediation: "/complete \(p.id)")
                lost.setEvidence([mismatch.map { ProviderViewText.evidenceMismatch($0) } ?? .evidenceAmountMatches,
                                  .evidenceTypeCreated(type: p.type, created: p.createdAt.map { ProviderText.clock($0) } ?? "?")])
                out.append(lost)
            case .unknown(let why)?:
                unknown += 1
                if unknown == 1 {
                    out.append(CheckResult(check: "payment_webhook_lost", target: "provider:\(p.provider ?? "?")", status: .unknown,
                                           message: ProviderViewText.reason(ErrorText(why))))
                }
            default:
                continue
            }
        }
        if !out.contains(where: { $0.check == "payment_webhook_lost" }) {
            out.append(CheckResult(check: "payment_webhook_lost", target: "all", status: .ok,
                                   message: ProviderViewText.noWebhookLost(grace: grace, checked: askable.count)))
        }
        return out
    }
}

extension ProviderError {
    /// A provider whose "who am I" never came back.
    static var noAnswer: ProviderError {
        var e = ProviderError(.unreachable, "no answer")
        e.russian = "нет ответа"
        return e
    }
}
