import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// `/complete <id>`: finishes a payment whose webhook never arrived (runbook 2.3).
///
/// The preview shows the row and exactly the statements that will run, with their values.
/// On Confirm everything happens in one transaction that locks the row first and refuses
/// unless it is still pending and unchanged, so a double press, two admins at once or a
/// retry after a dropped connection credit the user once.
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
        let preview = "Complete this payment?\n" + PaymentsView.detail(p, config: config)
            + "\n\nIn one transaction, after locking the row and checking it is still \(HTML.escape(config.pendingStatus)):\n<pre>\(HTML.escape(statements))</pre>"
            + "\nCheck at the provider first that it was really paid."
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Complete payment \(p.id)",
                                         auditAction: "complete payment \(p.id) (\(p.amount) \(p.currency), \(p.type), user \(p.user))") { _ in
            await CompleteModule.run(db, p)
        })
    }

    /// The confirmed step; also what the concurrency tests call many times at once.
    static func run(_ db: DatabaseClient, _ p: Payment) async -> Reply {
        let store = PaymentsStore(db.settings.payments)
        do {
            // Safe to retry after a lost connection: the transaction rechecks the status under lock.
            let attempts = Locked(0)
            switch try await db.session(retryIfLost: true, { s in
                attempts.withLock { $0 += 1 }
                return try store.complete(s, p)
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
