import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// `/complete <id>`: finishes a payment whose webhook never arrived (runbook 2.3).
///
/// The preview shows the row and exactly the statements that will run, with their values.
/// On Confirm everything happens in one transaction that locks the row first and refuses
/// unless it is still pending and unchanged, so a double press, two admins at once or a
/// retry after a dropped connection credit the user once.
///
/// With a payment provider configured for the row (`database.payments.providers`), the
/// provider is asked first: Confirm is offered only when it says the money arrived for the same
/// amount and currency, and it is asked again at the press. `force <reason>` overrides with a
/// second confirmation and the reason in the audit.
struct CompleteModule: CommandModule {
    var notConfigured: String? { database.notConfigured() }
    let database: DatabaseFeature
    let commandName: String

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        guard let id = ctx.request.string("id"), !id.isEmpty else { return .reply(Reply(html: CompleteText.usage(command: commandName).text())) }
        let db: DatabaseClient
        do { db = try database.client() } catch { return .reply(.text(DatabaseText.unknownFailure(error: ErrorText(error), nothingChanged: true).text())) }
        let config = db.settings.payments
        let store = PaymentsStore(config)
        let found: (payments: [Payment], plan: [PostgresQuery]?)
        do {
            found = try await db.session { s in
                let ps = try store.find(s, id)
                guard ps.count == 1, let idQ = try store.idMatch(s, ps[0].id) else { return (ps, nil) }
                return (ps, store.completionPlan(for: ps[0], idMatch: idQ))
            }
        } catch {
            return .reply(.text(DatabaseText.redFailure(error: ErrorText(error), nothingChanged: true).text()))
        }
        guard let p = found.payments.first else {
            return .reply(.text(CompleteText.noPayment(id: id, table: config.table).text()))
        }
        if found.payments.count > 1 {
            return .reply(.text(CompleteText.severalMatch(count: found.payments.count, id: id, ids: found.payments.map(\.id)).text()))
        }
        guard p.status == config.pendingStatus else {
            return .reply(.text(CompleteText.alreadyDone(payment: p.id, status: p.status, at: p.completedAt, pendingStatus: config.pendingStatus).text()))
        }
        guard let plan = found.plan else {
            return .reply(.text(CompleteText.noCompletionSteps(payment: p.id, type: p.type, configured: config.completion.keys.sorted()).text()))
        }
        let statements = plan.map(\.description).joined(separator: ";\n") + ";"
        let sql = CompleteText.transaction(pendingStatus: config.pendingStatus, statements: statements).text()
        let audit = "complete payment \(p.id) (\(p.amount) \(p.currency), \(p.type), user \(p.user))"
        let force = ctx.request.string("mode") == "force"
        let reason = ctx.request.words("reason").joined(separator: " ")
        if force && reason.count < 3 {
            return .reply(.text(CompleteText.forceNeedsReason(command: commandName, payment: p.id).text()))
        }
        if !force && !reason.isEmpty {
            return .reply(Reply(html: CompleteText.usageForce(command: commandName).text()))
        }
        let directory = database.providers(db)
        guard let (name, provider) = directory.entry(for: p) else {
            // No provider API configured for this row's provider: the admin checks by hand.
            let preview = CompleteText.question.text() + PaymentsView.detail(p, config: config) + "\n\n" + sql
                + CompleteText.checkAtProvider(provider: p.provider, listed: !directory.isEmpty).text()
            return .confirm(ConfirmationPlan(preview: preview, confirmLabel: CompleteText.confirmLabel(payment: p.id).text(), auditAction: audit) { _ in
                await CompleteModule.run(db, p)
            })
        }
        let verdict = await directory.verdict(p) ?? .unknown(ProviderReason(ProviderViewText.notConfigured))
        let head = PaymentsView.detail(p, config: config) + "\n" + ProviderView.comparison(verdict, p, name: provider.displayName)
        switch ProviderView.decide(verdict, p, provider: provider.displayName) {
        case .paid(let pp):
            let note = force ? CompleteText.forceNotNeeded.text() : ""
            let preview = CompleteText.question.text() + head + CompleteText.providerConfirms(provider: pp.provider).text() + note + "\n\n" + sql
                + CompleteText.askedAgainAtConfirm(provider: pp.provider).text()
            return .confirm(ConfirmationPlan(preview: preview, confirmLabel: CompleteText.confirmLabel(payment: p.id).text(),
                                             auditAction: audit + " — paid at \(pp.provider) \(pp.id)") { _ in
                await CompleteModule.runChecked(db, p, directory: directory, name: name)
            })
        case .refuse(let why):
            guard force else {
                return .reply(Reply(html: CompleteText.notOffering(payment: p.id).text() + head + CompleteText.refusedReason(reason: why).text()
                    + CompleteText.overrideHint(command: commandName, payment: p.id).text()))
            }
            let prompt = CompleteText.overridePrompt(payment: p.id).text() + head
                + CompleteText.refusedReason(reason: why).text() + CompleteText.auditReason(reason: reason).text()
            // The confirmed step runs later, maybe in another task: it renders in the language of now.
            let language = Language.current
            let plan = ConfirmationPlan(preview: CompleteText.secondConfirmation(payment: p.id, reason: reason).text() + head + "\n\n" + sql,
                                        confirmLabel: CompleteText.overrideLabel(payment: p.id).text(),
                                        auditAction: audit + " — FORCED, provider: \(why.english); reason: \(reason)") { _ in
                await Language.$current.withValue(language) {
                    let now = await directory.verdict(p) ?? .unknown(ProviderReason(ProviderViewText.notConfigured))
                    let result = await CompleteModule.run(db, p)
                    let said = ProviderView.cell(now, p)
                    return Reply(html: result.html + CompleteText.overrideResult(provider: provider.displayName, said: said, reason: reason).text())
                }
            }
            return .choose(prompt: prompt, choices: [Choice(CompleteText.overrideChoice.text()) { .confirm(plan) }])
        }
    }

    /// The confirmed step of a provider-checked completion: the provider is asked again at the
    /// press, and the transaction runs only while it still says paid with the same amount.
    /// The provider is asked inside the completion's transaction, with the row locked: a status
    /// that changed since the preview (or between the question and the commit) is caught.
    static func runChecked(_ db: DatabaseClient, _ p: Payment, directory: ProviderDirectory, name: String) async -> Reply {
        let display = directory.config.providers[name]?.displayName ?? name
        let wait = directory.config.providerDeadline + 2
        // Runs on the session's own thread (never the cooperative pool), so it may block there.
        let verify: @Sendable (Payment) -> PaymentStoreText? = { locked in
            let answer = Locked<ProviderVerdict?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                let v = await directory.verdict(locked)
                answer.withLock { $0 = v }
                done.signal()
            }
            guard done.wait(timeout: .now() + wait) == .success, let v = answer.current else {
                return .askedAgainNoAnswer(provider: display, seconds: wait)
            }
            if case .refuse(let why) = ProviderView.decide(v, locked, provider: display) { return .askedAgainRefused(reason: why.localized) }
            return nil
        }
        return await run(db, p, verify: verify)
    }

    /// The confirmed step; also what the concurrency tests call many times at once.
    static func run(_ db: DatabaseClient, _ p: Payment, verify: (@Sendable (Payment) -> PaymentStoreText?)? = nil) async -> Reply {
        let store = PaymentsStore(db.settings.payments)
        do {
            // Safe to retry after a lost connection: the transaction rechecks the status under lock.
            let attempts = Locked(0)
            switch try await db.session(retryIfLost: true, { s in
                attempts.withLock { $0 += 1 }
                return try store.complete(s, p, verify: verify)
            }) {
            case .refused(let why) where attempts.current > 1:
                // The first attempt's COMMIT may have reached the server before the connection dropped.
                return .text(CompleteText.connectionDropped(payment: p.id, reason: why).text())
            case .completed(let done):
                Log.info("payment \(done.id) completed by opsbot")
                return Reply(html: CompleteText.completed(payment: done).text())
            case .refused(let why):
                return .text(CompleteText.notCompleted(reason: why).text())
            }
        } catch {
            return .text(CompleteText.completionFailed(error: ErrorText(error)).text())
        }
    }
}
