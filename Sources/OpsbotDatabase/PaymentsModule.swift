import Foundation
import Postgres
import OpsbotCore
import OpsbotSupport
import PaymentProviders

/// `/payments pending [older-than]`, `/payments <id>`, `/payments duplicates`,
/// `/payments provider <id>`: read-only views of the app's payments table for incidents 17, 18
/// and 22, with what the payment provider says next to each pending row.
struct PaymentsModule: CommandModule {
    var notConfigured: String? { database.notConfigured() }
    let database: DatabaseFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let db: DatabaseClient
        do { db = try database.client() } catch { return .reply(.text(DatabaseText.unknownFailure(error: ErrorText(error), nothingChanged: false).text())) }
        let what = ctx.request.string("what") ?? "pending"
        let extra = ctx.request.string("older_than")
        do {
            switch what {
            case "pending":
                var threshold = db.settings.payments.pendingAfter
                if let extra {
                    guard let v = Durations.parse(extra) else {
                        return .reply(.text(PaymentsText.badDuration(got: String(extra.prefix(40))).text()))
                    }
                    threshold = v
                }
                return .reply(try await PaymentsView.pendingPage(db, threshold: threshold, page: 1, providers: database.providers(db)))
            case "provider":
                guard let id = extra else { return .reply(Reply(html: PaymentsText.usageProvider.text())) }
                return .reply(try await PaymentsView.atProvider(db, id, providers: database.providers(db)))
            case "duplicates":
                if extra != nil { return .reply(.text(PaymentsText.duplicatesTakesNoArgument.text())) }
                return .reply(try await PaymentsView.duplicates(db))
            default:
                if extra != nil { return .reply(Reply(html: PaymentsText.usage.text())) }
                return .reply(try await PaymentsView.lookup(db, what))
            }
        } catch {
            return .reply(.text(DatabaseText.redFailure(error: ErrorText(error), nothingChanged: false).text()))
        }
    }
}

/// Renders the payments views; shared by the module and the Next/Prev buttons.
enum PaymentsView {
    /// `549.00 RUB` / `549,00 ₽`.
    static func amount(_ p: Payment) -> String { DatabaseFormat.money(p.amount, p.currency) }

    static func pendingPage(_ db: DatabaseClient, threshold: Double, page requested: Int, providers: ProviderDirectory? = nil) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let size = db.settings.payments.pageSize
        let (summary, rows, page) = try await db.session { s -> ((count: Int, totals: [(String, String)]), [Payment], Int) in
            let sum = try store.pendingSummary(s, olderThan: threshold)
            let pages = max(1, (sum.count + size - 1) / size)
            let page = min(max(1, requested), pages)
            return (sum, try store.pendingPage(s, olderThan: threshold, offset: (page - 1) * size, limit: size), page)
        }
        guard summary.count > 0 else { return Reply(html: PaymentsText.noPending(threshold: threshold).text()) }
        var html = PaymentsText.pendingHeader(count: summary.count, threshold: threshold, totals: summary.totals.map { Money(amount: $0.1, currency: $0.0) }).text()
        // The page's rows at their providers, all at once under one deadline.
        let asked = !(providers?.isEmpty ?? true)
        var verdicts: [String: ProviderVerdict] = [:]
        if asked, let providers { verdicts = await providers.verdicts(rows) }
        let header = PaymentsText.pendingColumns(atProvider: asked).text().split(separator: "\t").map(String.init)
        let table = TextTable.render(header: header, rows: rows.map {
            var r = [$0.id, $0.user, amount($0), $0.type, $0.provider ?? "", $0.providerPaymentID ?? "", LocalFormat.duration($0.age)]
            if asked { r.append(ProviderView.cell(verdicts[$0.id], $0)) }
            return r
        }, maxCell: asked ? 48 : 36)  // "canceled at provider (expired_on_confirmation)" whole
        html += "<pre>\(HTML.escape(table))</pre>"
        var reasons: [ProviderReason] = []
        for p in rows {
            if case .unknown(let why)? = verdicts[p.id], !reasons.contains(where: { $0.english == why.english }) { reasons.append(why) }
        }
        for why in reasons.prefix(3) { html += PaymentsText.unknownNotUnpaid(reason: ErrorText(why)).text() }
        let pages = (summary.count + size - 1) / size
        var buttons: [Button] = []
        if pages > 1 {
            html += PaymentsText.pageOf(page: page, pages: pages).text()
            if page > 1 { buttons.append(Button(PaymentsText.prevButton.text(), data: "pay:\(Int(threshold)):\(page - 1)")) }
            if page < pages { buttons.append(Button(PaymentsText.nextButton.text(), data: "pay:\(Int(threshold)):\(page + 1)")) }
            buttons.append(Button(PaymentsText.fileButton.text(), data: "pay:\(Int(threshold)):f"))
        }
        html += PaymentsText.pendingFooter(providersAsked: asked).text()
        return Reply(html: html, buttons: buttons.isEmpty ? [] : [buttons])
    }

    /// Every pending row as a text file, walked with keyset paging (flat memory).
    static func pendingFile(_ db: DatabaseClient, threshold: Double, maxRows: Int = 50_000) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let (text, n, capped) = try await db.session { s -> (String, Int, Bool) in
            var out = "id\tuser\tamount\tcurrency\ttype\tprovider\tprovider_payment_id\tcreated_at\tage_seconds\n"
            var after: (String, String)?
            var n = 0
            while n < maxRows {
                let page = try store.pendingAfter(s, olderThan: threshold, after: after, limit: 1000)
                for (p, key) in page {
                    out += [p.id, p.user, p.amount, p.currency, p.type, p.provider ?? "", p.providerPaymentID ?? "",
                            p.createdAt.map(PostgresTimestamp.format) ?? "", String(Int(p.age))].joined(separator: "\t") + "\n"
                    after = (key, p.id)
                }
                n += page.count
                if page.count < 1000 { break }
            }
            return (out, n, n >= maxRows)
        }
        return Reply(html: PaymentsText.pendingFileCaption(count: n, threshold: threshold, cap: capped ? maxRows : nil).text(),
                     attachment: Attachment(filename: "pending-payments.tsv", data: Data(text.utf8)))
    }

    static func lookup(_ db: DatabaseClient, _ id: String) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let found = try await db.session { s in try store.find(s, id) }
        guard !found.isEmpty else {
            return .text(PaymentsText.noPayment(id: id, table: db.settings.payments.table).text())
        }
        return Reply(html: found.map { detail($0, config: db.settings.payments) }.joined(separator: "\n\n"))
    }

    /// `/payments provider <id>`: the provider's view of one payment, next to the row.
    static func atProvider(_ db: DatabaseClient, _ id: String, providers: ProviderDirectory) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let found = try await db.session { s in try store.find(s, id) }
        guard let p = found.first else {
            return .text(PaymentsText.noPayment(id: id, table: db.settings.payments.table).text())
        }
        if found.count > 1 { return .text(PaymentsText.severalMatch(count: found.count, id: id, ids: found.map(\.id)).text()) }
        guard let (name, c) = providers.entry(for: p) else {
            return .text(PaymentsText.providerNotConfigured(payment: p.id, provider: p.provider ?? "", configured: providers.config.providers.keys.sorted()).text())
        }
        let v = await providers.verdict(p) ?? .unknown(ProviderReason(ProviderViewText.notConfigured))
        var html = detail(p, config: db.settings.payments) + "\n\n"
        switch v {
        case .found(let pp):
            html += ProviderView.detail(pp, name: name)
            if pp.state == .paid, let why = ProviderView.mismatch(pp, p) { html += "\n⚠️ " + HTML.escape(why.text()) }
        case .notFound:
            html += ProviderViewText.atProviderNotFound(provider: c.displayName, name: name).text()
        case .unknown(let why):
            html += ProviderViewText.atProviderUnknown(provider: c.displayName, name: name, reason: ErrorText(why)).text()
        }
        return Reply(html: html)
    }

    static func detail(_ p: Payment, config: PaymentsConfig) -> String {
        var lines = [PaymentsText.detailHeader(payment: p.id, status: p.status).text()]
        lines.append(PaymentsText.detailUser(user: p.user, amount: Money(amount: p.amount, currency: p.currency), type: p.type).text())
        lines.append(PaymentsText.detailProvider(provider: p.provider, providerPaymentID: p.providerPaymentID).text())
        lines.append(PaymentsText.detailCreated(at: p.createdAt, age: p.age, completedAt: p.completedAt).text())
        if p.status == config.pendingStatus { lines.append("→ /complete \(HTML.escape(p.id))") }
        return lines.joined(separator: "\n")
    }

    static func duplicates(_ db: DatabaseClient) async throws -> Reply {
        let config = db.settings.payments
        let store = PaymentsStore(config)
        let found = try await db.session { s -> [(PaymentsStore.Duplicate, Payment?, [CreditRow])] in
            try store.duplicates(s).map { d in
                guard d.reversible else { return (d, nil, []) }
                return (d, try store.find(s, d.paymentID).first { $0.id == d.paymentID }, try store.creditRows(s, paymentID: d.paymentID))
            }
        }
        guard !found.isEmpty else { return Reply(html: PaymentsText.noDuplicates.text()) }
        var lines: [String] = []
        for (d, p, rows) in found {
            guard d.reversible else {
                lines.append(PaymentsText.duplicateUnreversible(payments: d.paymentID, evidence: d.evidenceText).text())
                continue
            }
            var line = PaymentsText.duplicatePayment(payment: d.paymentID, user: p?.user, amount: p.map { Money(amount: $0.amount, currency: $0.currency) }, type: p?.type).text()
            line += PaymentsText.duplicateRows(rows: rows).text()
            switch store.reversalPlan(paymentID: d.paymentID, rows: rows) {
            case .success(let plan):
                line += PaymentsText.duplicateEffect(balances: plan.balanceEffect.map { BalanceChange(user: $0.user, amount: $0.amount) }, extraRows: plan.removed.count).text()
                line += PaymentsText.duplicateFix(payment: d.paymentID).text()
            case .failure(let why):
                line += PaymentsText.duplicateByHand(reason: why.text).text()
            }
            lines.append(line)
        }
        return Reply(html: PaymentsText.duplicateHeader(count: found.count).text() + lines.joined(separator: "\n"))
    }
}

/// Next/Prev/File buttons under `/payments pending`: `pay:<threshold seconds>:<page|f>`.
struct PaymentsPageHandler: CallbackHandler {
    let database: DatabaseFeature
    func handle(_ callback: IncomingCallback, app: AppContext) async -> String? {
        let parts = callback.data.split(separator: ":")
        guard parts.count == 3, let threshold = Double(parts[1]), threshold >= 0 else { return PaymentsText.unknownButton.text() }
        let db: DatabaseClient
        do { db = try database.client() } catch { return String(describe(error).prefix(200)) }
        if parts[2] == "f" {
            Task {
                let reply: Reply
                do { reply = try await PaymentsView.pendingFile(db, threshold: threshold) } catch {
                    reply = .text(DatabaseText.redFailure(error: ErrorText(error), nothingChanged: false).text())
                }
                _ = try? await app.transport.send(reply, to: callback.chatID)
            }
            return PaymentsText.preparingFile.text()
        }
        guard let page = Int(parts[2]), page >= 1 else { return PaymentsText.unknownButton.text() }
        do {
            let reply = try await PaymentsView.pendingPage(db, threshold: threshold, page: page, providers: database.providers(db))
            try await app.transport.edit(MessageRef(chatID: callback.chatID, messageID: callback.messageID), reply)
            return PaymentsText.pageToast(page: page).text()
        } catch {
            return String(describe(error).prefix(200))
        }
    }
}

/// `payments`: pending payments older than the threshold (warning, with the count) and
/// double credits (warning).
struct PaymentsCheck: CheckProvider {
    let database: DatabaseFeature
    let name = "payments"
    func run(_ app: AppContext) async -> [CheckResult] {
        let db: DatabaseClient
        do { db = try database.client() } catch {
            return [CheckResult(check: "payments", target: "pending", status: .unknown, message: DatabaseText.failure(error: ErrorText(error), nothingChanged: false))]
        }
        guard db.isConfigured else {
            return [CheckResult(check: "payments", target: "pending", status: .unknown, message: DatabaseText.urlNotSet)]
        }
        let store = PaymentsStore(db.settings.payments)
        let threshold = db.settings.payments.pendingAfter
        do {
            let (sum, dups) = try await db.session { s in (try store.pendingSummary(s, olderThan: threshold), try store.duplicates(s)) }
            app.store.history.record([("payments:pending", Double(sum.count)), ("payments:duplicates", Double(dups.count))], at: app.clock.now())
            let pending = sum.count == 0
                ? CheckResult(check: "payments", target: "pending", status: .ok, message: PaymentsText.checkNoPending(threshold: threshold), value: 0)
                : CheckResult(check: "payments", target: "pending", status: .warning,
                              message: PaymentsText.checkPending(count: sum.count, threshold: threshold, totals: sum.totals.map { Money(amount: $0.1, currency: $0.0) }),
                              value: Double(sum.count), remediation: "/payments pending")
            var dup = dups.isEmpty
                ? CheckResult(check: "payments", target: "duplicates", status: .ok, message: PaymentsText.checkNoDoubleCredits, value: 0)
                : CheckResult(check: "payments", target: "duplicates", status: .warning, message: PaymentsText.checkDoubleCredits(count: dups.count),
                              value: Double(dups.count), remediation: "/payments duplicates")
            dup.setEvidence(dups.map { PaymentsText.evidenceDuplicate(payment: $0.paymentID, evidence: $0.evidenceText) })
            return [pending, dup]
        } catch {
            return [CheckResult(check: "payments", target: "pending", status: .unknown, message: DatabaseText.failure(error: ErrorText(error), nothingChanged: false))]
        }
    }
}
