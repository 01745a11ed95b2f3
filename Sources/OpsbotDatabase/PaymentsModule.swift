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
        do { db = try database.client() } catch { return .reply(.text("❔ " + describe(error))) }
        let what = ctx.request.string("what") ?? "pending"
        let extra = ctx.request.string("older_than")
        do {
            switch what {
            case "pending":
                var threshold = db.settings.payments.pendingAfter
                if let extra {
                    guard let v = Durations.parse(extra) else {
                        return .reply(.text("older-than must be a duration such as 15m, 2h or 1d, got \"\(extra.prefix(40))\""))
                    }
                    threshold = v
                }
                return .reply(try await PaymentsView.pendingPage(db, threshold: threshold, page: 1, providers: database.providers(db)))
            case "provider":
                guard let id = extra else { return .reply(.text("Usage: /payments provider <payment id or provider payment id>")) }
                return .reply(try await PaymentsView.atProvider(db, id, providers: database.providers(db)))
            case "duplicates":
                if extra != nil { return .reply(.text("/payments duplicates takes no further argument")) }
                return .reply(try await PaymentsView.duplicates(db))
            default:
                if extra != nil { return .reply(.text("Usage: /payments pending [older-than], /payments <id>, /payments duplicates, /payments provider <id>")) }
                return .reply(try await PaymentsView.lookup(db, what))
            }
        } catch {
            return .reply(.text("🔴 " + describe(error)))
        }
    }
}

/// Renders the payments views; shared by the module and the Next/Prev buttons.
enum PaymentsView {
    static func amount(_ p: Payment) -> String { "\(p.amount) \(p.currency)" }

    static func pendingPage(_ db: DatabaseClient, threshold: Double, page requested: Int, providers: ProviderDirectory? = nil) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let size = db.settings.payments.pageSize
        let (summary, rows, page) = try await db.session { s -> ((count: Int, totals: [(String, String)]), [Payment], Int) in
            let sum = try store.pendingSummary(s, olderThan: threshold)
            let pages = max(1, (sum.count + size - 1) / size)
            let page = min(max(1, requested), pages)
            return (sum, try store.pendingPage(s, olderThan: threshold, offset: (page - 1) * size, limit: size), page)
        }
        let th = Durations.format(threshold)
        guard summary.count > 0 else { return Reply(html: "✅ no pending payments older than \(th)") }
        let totals = summary.totals.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        var html = "⚠️ <b>\(summary.count) pending payment\(summary.count == 1 ? "" : "s") older than \(th)</b> — total \(HTML.escape(totals))\n"
        // The page's rows at their providers, all at once under one deadline.
        let asked = !(providers?.isEmpty ?? true)
        var verdicts: [String: ProviderVerdict] = [:]
        if asked, let providers { verdicts = await providers.verdicts(rows) }
        var header = ["id", "user", "amount", "type", "provider", "provider id", "age"]
        if asked { header.append("at provider") }
        let table = TextTable.render(header: header, rows: rows.map {
            var r = [$0.id, $0.user, amount($0), $0.type, $0.provider ?? "", $0.providerPaymentID ?? "", Durations.format($0.age)]
            if asked { r.append(ProviderView.cell(verdicts[$0.id], $0)) }
            return r
        }, maxCell: asked ? 48 : 36)  // "canceled at provider (expired_on_confirmation)" whole
        html += "<pre>\(HTML.escape(table))</pre>"
        var reasons: [String] = []
        for p in rows {
            if case .unknown(let why)? = verdicts[p.id], !reasons.contains(why) { reasons.append(why) }
        }
        for why in reasons.prefix(3) { html += "\n❔ \(HTML.escape(why)) — unknown, not \"not paid\"" }
        let pages = (summary.count + size - 1) / size
        var buttons: [Button] = []
        if pages > 1 {
            html += "\npage \(page) of \(pages)"
            if page > 1 { buttons.append(Button("◀ Prev", data: "pay:\(Int(threshold)):\(page - 1)")) }
            if page < pages { buttons.append(Button("Next ▶", data: "pay:\(Int(threshold)):\(page + 1)")) }
            buttons.append(Button("📄 File", data: "pay:\(Int(threshold)):f"))
        }
        html += asked ? "\nComplete one with /complete &lt;id&gt; (the provider is asked first); details: /payments provider &lt;id&gt;."
                      : "\nComplete one with /complete &lt;id&gt; after checking it at the provider."
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
        let note = capped ? " (first \(maxRows))" : ""
        return Reply(html: "📄 \(n) pending payments older than \(Durations.format(threshold))\(note)",
                     attachment: Attachment(filename: "pending-payments.tsv", data: Data(text.utf8)))
    }

    static func lookup(_ db: DatabaseClient, _ id: String) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let found = try await db.session { s in try store.find(s, id) }
        guard !found.isEmpty else {
            return .text("No payment with id or provider payment id \"\(id)\" in \(db.settings.payments.table).")
        }
        return Reply(html: found.map { detail($0, config: db.settings.payments) }.joined(separator: "\n\n"))
    }

    /// `/payments provider <id>`: the provider's view of one payment, next to the row.
    static func atProvider(_ db: DatabaseClient, _ id: String, providers: ProviderDirectory) async throws -> Reply {
        let store = PaymentsStore(db.settings.payments)
        let found = try await db.session { s in try store.find(s, id) }
        guard let p = found.first else {
            return .text("No payment with id or provider payment id \"\(id)\" in \(db.settings.payments.table).")
        }
        if found.count > 1 { return .text("\(found.count) payments match \"\(id)\" (ids \(found.map(\.id).joined(separator: ", "))); use the payment id.") }
        guard let (name, c) = providers.entry(for: p) else {
            let known = providers.config.providers.keys.sorted().joined(separator: ", ")
            return .text("Payment \(p.id) has provider \"\(p.provider ?? "")\", which is not in database.payments.providers (configured: \(known.isEmpty ? "none" : known)).")
        }
        let v = await providers.verdict(p) ?? .unknown("not configured")
        var html = detail(p, config: db.settings.payments) + "\n\n"
        switch v {
        case .found(let pp):
            html += ProviderView.detail(pp, name: name)
            if pp.state == .paid, let why = ProviderView.mismatch(pp, p) { html += "\n⚠️ " + HTML.escape(why) }
        case .notFound:
            html += "<b>\(HTML.escape(c.displayName))</b> (\(HTML.escape(name))): not found — no such payment under these credentials (wrong id, another shop or app, or test vs. live)"
        case .unknown(let why):
            html += "<b>\(HTML.escape(c.displayName))</b> (\(HTML.escape(name))): ❔ unknown — \(HTML.escape(why))"
        }
        return Reply(html: html)
    }

    static func detail(_ p: Payment, config: PaymentsConfig) -> String {
        var lines = ["<b>Payment \(HTML.escape(p.id))</b> — \(HTML.escape(p.status))"]
        lines.append("user \(HTML.escape(p.user)) · \(HTML.escape(amount(p))) · \(HTML.escape(p.type))")
        lines.append("provider \(HTML.escape(p.provider ?? "—")) · provider payment id <code>\(HTML.escape(p.providerPaymentID ?? "—"))</code>")
        var when = "created \(p.createdAt.map(PaymentsStore.clock) ?? "?") (\(Durations.format(p.age)) ago)"
        if let c = p.completedAt { when += " · completed \(PaymentsStore.clock(c))" }
        lines.append(when)
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
        guard !found.isEmpty else { return Reply(html: "✅ no payment credited more than once") }
        var lines: [String] = []
        for (d, p, rows) in found {
            guard d.reversible else {
                lines.append("• payments \(HTML.escape(d.paymentID)): \(HTML.escape(d.evidence)) — check at the provider; no automatic fix")
                continue
            }
            var line = "• payment <code>\(HTML.escape(d.paymentID))</code>"
            if let p { line += " · user \(HTML.escape(p.user)) · \(HTML.escape(PaymentsView.amount(p))) \(HTML.escape(p.type))" }
            line += "\n  rows: " + rows.map { r in "\(HTML.escape(r.table)) #\(HTML.escape(r.id))" + (r.amount.map { " \(HTML.escape($0))" } ?? "") }.joined(separator: ", ")
            switch store.reversalPlan(paymentID: d.paymentID, rows: rows) {
            case .success(let plan):
                let effect = plan.balanceEffect.map { "user \(HTML.escape($0.user)) balance \(HTML.escape("\($0.amount)")) too high" }
                line += "\n  effect: " + (effect.isEmpty ? "\(plan.removed.count) extra row(s), no balance" : effect.joined(separator: ", "))
                line += "\n  fix: /reverse_duplicate \(HTML.escape(d.paymentID))"
            case .failure(let why):
                line += "\n  " + HTML.escape(why.message) + " — fix by hand"
            }
            lines.append(line)
        }
        return Reply(html: "🔴 <b>\(found.count) double credit\(found.count == 1 ? "" : "s")</b>\n" + lines.joined(separator: "\n"))
    }
}

/// Next/Prev/File buttons under `/payments pending`: `pay:<threshold seconds>:<page|f>`.
struct PaymentsPageHandler: CallbackHandler {
    let database: DatabaseFeature
    func handle(_ callback: IncomingCallback, app: AppContext) async -> String? {
        let parts = callback.data.split(separator: ":")
        guard parts.count == 3, let threshold = Double(parts[1]), threshold >= 0 else { return "unknown button" }
        let db: DatabaseClient
        do { db = try database.client() } catch { return String(describe(error).prefix(200)) }
        if parts[2] == "f" {
            Task {
                let reply: Reply
                do { reply = try await PaymentsView.pendingFile(db, threshold: threshold) } catch { reply = .text("🔴 " + describe(error)) }
                _ = try? await app.transport.send(reply, to: callback.chatID)
            }
            return "preparing the file…"
        }
        guard let page = Int(parts[2]), page >= 1 else { return "unknown button" }
        do {
            let reply = try await PaymentsView.pendingPage(db, threshold: threshold, page: page, providers: database.providers(db))
            try await app.transport.edit(MessageRef(chatID: callback.chatID, messageID: callback.messageID), reply)
            return "page \(page)"
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
            return [CheckResult(check: "payments", target: "pending", status: .unknown, summary: describe(error))]
        }
        guard db.isConfigured else {
            return [CheckResult(check: "payments", target: "pending", status: .unknown, summary: "DATABASE_URL is not set")]
        }
        let store = PaymentsStore(db.settings.payments)
        let threshold = db.settings.payments.pendingAfter
        do {
            let (sum, dups) = try await db.session { s in (try store.pendingSummary(s, olderThan: threshold), try store.duplicates(s)) }
            let th = Durations.format(threshold)
            app.store.history.record([("payments:pending", Double(sum.count)), ("payments:duplicates", Double(dups.count))], at: app.clock.now())
            let pending = sum.count == 0
                ? CheckResult(check: "payments", target: "pending", status: .ok, summary: "no pending payments older than \(th)", value: 0)
                : CheckResult(check: "payments", target: "pending", status: .warning,
                              summary: "\(sum.count) pending payment\(sum.count == 1 ? "" : "s") older than \(th) (total \(sum.totals.map { "\($0.1) \($0.0)" }.joined(separator: ", ")))",
                              value: Double(sum.count), remediation: "/payments pending")
            let dup = dups.isEmpty
                ? CheckResult(check: "payments", target: "duplicates", status: .ok, summary: "no double credits", value: 0)
                : CheckResult(check: "payments", target: "duplicates", status: .warning, summary: "\(dups.count) payment(s) credited more than once",
                              value: Double(dups.count), evidence: dups.map { "payment \($0.paymentID): \($0.evidence)" }, remediation: "/payments duplicates")
            return [pending, dup]
        } catch {
            return [CheckResult(check: "payments", target: "pending", status: .unknown, summary: describe(error))]
        }
    }
}
