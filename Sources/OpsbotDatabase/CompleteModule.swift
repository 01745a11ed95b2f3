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
        guard let id = ctx.request.string("id"), !id.isEmpty else { return .reply(.text("Usage: /\(commandName) <payment id or provider payment id>")) }
        let db: DatabaseClient
        do { db = try database.client() } catch { return .reply(.text("❔ " + describe(error, nothingChanged: true))) }
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
            return .reply(.text("🔴 " + describe(error, nothingChanged: true)))
        }
        guard let p = found.payments.first else {
            return .reply(.text("No payment with id or provider payment id \"\(id)\" in \(config.table). Nothing was changed."))
        }
        if found.payments.count > 1 {
            let ids = found.payments.map(\.id).joined(separator: ", ")
            return .reply(.text("\(found.payments.count) payments match \"\(id)\" (ids \(ids)); use the payment id. Nothing was changed."))
        }
        guard p.status == config.pendingStatus else {
            let when = p.completedAt.map { " at \(PaymentsStore.clock($0))" } ?? ""
            return .reply(.text("Payment \(p.id) is already \(p.status)\(when); only \(config.pendingStatus) payments can be completed. Nothing was changed."))
        }
        guard let plan = found.plan else {
            let known = config.completion.keys.sorted().joined(separator: ", ")
            return .reply(.text("Payment \(p.id) has type \"\(p.type)\", which has no completion steps in database.payments.completion (configured: \(known.isEmpty ? "none" : known)). Nothing was changed."))
        }
        let statements = plan.map(\.description).joined(separator: ";\n") + ";"
        let sql = "In one transaction, after locking the row and checking it is still \(HTML.escape(config.pendingStatus)):\n<pre>\(HTML.escape(statements))</pre>"
        let audit = "complete payment \(p.id) (\(p.amount) \(p.currency), \(p.type), user \(p.user))"
        let force = ctx.request.string("mode") == "force"
        let reason = ctx.request.words("reason").joined(separator: " ")
        if force && reason.count < 3 {
            return .reply(.text("/\(commandName) \(p.id) force needs a reason for the audit, e.g. /\(commandName) \(p.id) force paid per the YooKassa dashboard, support ticket 123. Nothing was changed."))
        }
        if !force && !reason.isEmpty {
            return .reply(.text("Usage: /\(commandName) <id> [force <reason>]. Nothing was changed."))
        }
        let directory = database.providers(db)
        guard let (name, provider) = directory.entry(for: p) else {
            // No provider API configured for this row's provider: the admin checks by hand.
            let hint = directory.isEmpty ? "" : " (\(HTML.escape(p.provider ?? "no provider")) is not in database.payments.providers)"
            let preview = "Complete this payment?\n" + PaymentsView.detail(p, config: config) + "\n\n" + sql
                + "\nCheck at the provider first that it was really paid\(hint)."
            return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Complete payment \(p.id)", auditAction: audit) { _ in
                await CompleteModule.run(db, p)
            })
        }
        let verdict = await directory.verdict(p) ?? .unknown("not configured")
        let head = PaymentsView.detail(p, config: config) + "\n" + ProviderView.comparison(verdict, p, name: provider.displayName)
        switch ProviderView.decide(verdict, p, provider: provider.displayName) {
        case .paid(let pp):
            let note = force ? "\n(force is not needed: the provider confirms the payment)" : ""
            let preview = "Complete this payment?\n" + head + "\n✅ \(HTML.escape(pp.provider)) says the money arrived and the amount matches.\(note)\n\n" + sql
                + "\n\(HTML.escape(pp.provider)) is asked again when you press Confirm."
            return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Complete payment \(p.id)",
                                             auditAction: audit + " — paid at \(pp.provider) \(pp.id)") { _ in
                await CompleteModule.runChecked(db, p, directory: directory, name: name)
            })
        case .refuse(let why):
            guard force else {
                return .reply(Reply(html: "Not offering Confirm for payment \(HTML.escape(p.id)):\n" + head + "\n🚫 " + HTML.escape(why) + "."
                    + "\n\nNothing was changed. If you are sure the money arrived (checked in the dashboard), override with "
                    + "/\(HTML.escape(commandName)) \(HTML.escape(p.id)) force &lt;reason&gt; — it needs a second confirmation and the reason goes to the audit."))
            }
            let prompt = "⚠️ <b>Override</b>: complete payment \(HTML.escape(p.id)) although the provider does not confirm it?\n" + head
                + "\n🚫 " + HTML.escape(why) + ".\nReason for the audit: <i>\(HTML.escape(reason))</i>"
            let plan = ConfirmationPlan(preview: "⚠️ <b>Second confirmation</b> — override for payment \(HTML.escape(p.id)), reason: <i>\(HTML.escape(reason))</i>\n"
                                            + head + "\n\n" + sql,
                                        confirmLabel: "Override: complete payment \(p.id)",
                                        auditAction: audit + " — FORCED, provider: \(why); reason: \(reason)") { _ in
                let now = await directory.verdict(p) ?? .unknown("not configured")
                let result = await CompleteModule.run(db, p)
                let said = HTML.escape(ProviderView.cell(now, p))
                return Reply(html: result.html + "\n(override; \(HTML.escape(provider.displayName)) at Confirm: \(said); reason: \(HTML.escape(reason)))")
            }
            return .choose(prompt: prompt, choices: [Choice("⚠️ Override, continue") { .confirm(plan) }])
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
        let verify: @Sendable (Payment) -> String? = { locked in
            let answer = Locked<ProviderVerdict?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                let v = await directory.verdict(locked)
                answer.withLock { $0 = v }
                done.signal()
            }
            guard done.wait(timeout: .now() + wait) == .success, let v = answer.current else {
                return "asked again at Confirm, \(display) gave no answer within \(Durations.format(wait))"
            }
            if case .refuse(let why) = ProviderView.decide(v, locked, provider: display) { return "asked again at Confirm, \(why)" }
            return nil
        }
        return await run(db, p, verify: verify)
    }

    /// The confirmed step; also what the concurrency tests call many times at once.
    static func run(_ db: DatabaseClient, _ p: Payment, verify: (@Sendable (Payment) -> String?)? = nil) async -> Reply {
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
                return .text("⚠️ The connection dropped while completing payment \(p.id); on the retry: \(why). The first attempt may have completed it before the drop; either way it was not credited twice. Check with /payments \(p.id).")
            case .completed(let done):
                Log.info("payment \(done.id) completed by opsbot")
                return Reply(html: "✅ Payment \(HTML.escape(done.id)) completed: \(HTML.escape(PaymentsView.amount(done))) \(HTML.escape(done.type)) for user \(HTML.escape(done.user)), status \(HTML.escape(done.status)).")
            case .refused(let why):
                return .text("⚠️ Not completed: \(why). Nothing was changed.")
            }
        } catch {
            return .text("🔴 Completion failed and was rolled back: \(describe(error)). Nothing was changed.")
        }
    }
}
