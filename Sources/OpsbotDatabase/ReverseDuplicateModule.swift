import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport

/// `/reverse_duplicate <payment id>`: undoes a double credit (what `/payments duplicates`
/// and the `payments:duplicates` alert point to). The preview shows the rows kept and deleted,
/// the balance correction and the exact SQL with its values; Confirm runs it once.
struct ReverseDuplicateModule: CommandModule {
    var notConfigured: String? { database.notConfigured() }
    let database: DatabaseFeature
    let commandName: String

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        guard let id = ctx.request.string("id"), !id.isEmpty else { return .reply(.text("Usage: /\(commandName) <payment id>")) }
        let db: DatabaseClient
        do { db = try database.client() } catch { return .reply(.text("❔ " + describe(error, nothingChanged: true))) }
        let store = PaymentsStore(db.settings.payments)
        let found: (Payment?, [CreditRow])
        do {
            found = try await db.session { s in
                (try store.find(s, id).first { $0.id == id }, try store.creditRows(s, paymentID: id))
            }
        } catch {
            return .reply(.text("🔴 " + describe(error, nothingChanged: true)))
        }
        guard let p = found.0 else { return .reply(.text("No payment with id \"\(id)\". Nothing was changed.")) }
        let plan: PaymentsStore.Reversal
        switch store.reversalPlan(paymentID: p.id, rows: found.1) {
        case .failure(let why): return .reply(.text("Nothing to reverse: \(why.message). Nothing was changed."))
        case .success(let r): plan = r
        }
        let preview = "Reverse the double credit of this payment?\n" + PaymentsView.detail(p, config: store.config)
            + "\n\n" + ReverseDuplicateModule.summary(plan)
            + "\n\nIn one transaction, after locking the credit rows and checking they are still exactly these:\n<pre>"
            + HTML.escape(plan.statements.map(\.description).joined(separator: ";\n") + ";") + "</pre>"
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Reverse duplicate of \(p.id)",
                                         auditAction: "reverse double credit of payment \(p.id): delete \(plan.removed.map { "\($0.table) #\($0.id)" }.joined(separator: ", "))") { _ in
            await ReverseDuplicateModule.run(db, plan)
        })
    }

    static func summary(_ plan: PaymentsStore.Reversal) -> String {
        var s = "keep: " + plan.kept.map { "\(HTML.escape($0.table)) #\(HTML.escape($0.id))" + ($0.amount.map { " (\(HTML.escape($0)))" } ?? "") }.joined(separator: ", ")
        s += "\ndelete: " + plan.removed.map { "\(HTML.escape($0.table)) #\(HTML.escape($0.id))" + ($0.amount.map { " (\(HTML.escape($0)))" } ?? "") }.joined(separator: ", ")
        let effect = plan.balanceEffect
        if !effect.isEmpty { s += "\nbalance: " + effect.map { "user \(HTML.escape($0.user)) −\(HTML.escape("\($0.amount)"))" }.joined(separator: ", ") }
        return s
    }

    /// The confirmed step; also what the race test calls many times at once.
    static func run(_ db: DatabaseClient, _ plan: PaymentsStore.Reversal) async -> Reply {
        let store = PaymentsStore(db.settings.payments)
        do {
            switch try await db.session(retryIfLost: true, { s in try store.reverseDuplicate(s, plan) }) {
            case .reversed(let done):
                Log.info("payment \(done.paymentID): double credit reversed by opsbot")
                return Reply(html: "✅ Double credit of payment \(HTML.escape(done.paymentID)) reversed:\n" + summary(done))
            case .refused(let why):
                return .text("⚠️ Not reversed: \(why). Nothing was changed.")
            }
        } catch {
            return .text("🔴 Reversal failed and was rolled back: \(describe(error)). Nothing was changed.")
        }
    }
}
