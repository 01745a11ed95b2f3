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
        guard let id = ctx.request.string("id"), !id.isEmpty else { return .reply(Reply(html: CompleteText.reverseUsage(command: commandName).text())) }
        let db: DatabaseClient
        do { db = try database.client() } catch { return .reply(.text(DatabaseText.unknownFailure(error: ErrorText(error), nothingChanged: true).text())) }
        let store = PaymentsStore(db.settings.payments)
        let found: (Payment?, [CreditRow])
        do {
            found = try await db.session { s in
                (try store.find(s, id).first { $0.id == id }, try store.creditRows(s, paymentID: id))
            }
        } catch {
            return .reply(.text(DatabaseText.redFailure(error: ErrorText(error), nothingChanged: true).text()))
        }
        guard let p = found.0 else { return .reply(.text(CompleteText.reverseNoPayment(id: id).text())) }
        let plan: PaymentsStore.Reversal
        switch store.reversalPlan(paymentID: p.id, rows: found.1) {
        case .failure(let why): return .reply(.text(CompleteText.nothingToReverse(reason: why.text).text()))
        case .success(let r): plan = r
        }
        let preview = CompleteText.reverseQuestion.text() + PaymentsView.detail(p, config: store.config)
            + "\n\n" + ReverseDuplicateModule.summary(plan)
            + CompleteText.reverseTransaction(statements: plan.statements.map(\.description).joined(separator: ";\n") + ";").text()
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: CompleteText.reverseLabel(payment: p.id).text(),
                                         auditAction: "reverse double credit of payment \(p.id): delete \(plan.removed.map { "\($0.table) #\($0.id)" }.joined(separator: ", "))") { _ in
            await ReverseDuplicateModule.run(db, plan)
        })
    }

    static func summary(_ plan: PaymentsStore.Reversal) -> String {
        CompleteText.reversal(kept: plan.kept, removed: plan.removed, balances: plan.balanceEffect.map { BalanceChange(user: $0.user, amount: $0.amount) }).text()
    }

    /// The confirmed step; also what the race test calls many times at once.
    static func run(_ db: DatabaseClient, _ plan: PaymentsStore.Reversal) async -> Reply {
        let store = PaymentsStore(db.settings.payments)
        do {
            switch try await db.session(retryIfLost: true, { s in try store.reverseDuplicate(s, plan) }) {
            case .reversed(let done):
                Log.info("payment \(done.paymentID): double credit reversed by opsbot")
                return Reply(html: CompleteText.reversed(payment: done.paymentID).text() + summary(done))
            case .refused(let why):
                return .text(CompleteText.notReversed(reason: why).text())
            }
        } catch {
            return .text(CompleteText.reversalFailed(error: ErrorText(error)).text())
        }
    }
}
