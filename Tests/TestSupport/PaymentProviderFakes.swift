import Foundation
import OpsbotSupport
import TestKit

/// Loopback stand-ins for YooKassa API v3 and the Crypto Pay API, written from
/// ../shared/providers (README, yookassa.md, cryptopay.md and the two JSON Schemas). Strict:
/// an undocumented path, method or query parameter, a malformed id or a missing auth header is
/// answered as the provider documents it *and* recorded in `violations`, which every test
/// expects empty. Wrong credentials are answered 401 without a violation (that is a scenario).
package final class FakeYooKassa: @unchecked Sendable {
    /// @unchecked: JSON objects ([String: Any]), only touched under `state`'s lock.
    package struct State: @unchecked Sendable {
        package var shopID = "506751"
        package var secretKey = "test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE-axOwM0"
        /// Payment objects by id (`payment(...)` builds them).
        package var payments: [String: [String: Any]] = [:]
        /// Seconds every answer takes.
        package var delay: Double = 0
        /// Answers for the next requests before any route: (status, headers, body).
        package var faults: [(Int, [String: String], String)] = []
        package var violations: [String] = []
        package var requests: [String] = []
        package var authHeaders: [String] = []
    }
    package let state = Locked(State())
    private var server: LoopbackHTTPServer!
    /// The base to configure as `api_url` (up to `/v3`).
    package var url: String { "http://127.0.0.1:\(server.port)/v3" }
    package var violations: [String] { state.current.violations }
    package var requestCount: Int { state.current.requests.count }

    package init() throws {
        server = try LoopbackHTTPServer { [self] req in self.answer(req) }
    }
    deinit { server.stop() }
    package func stop() { server.stop() }

    package static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    /// A payment object with every field the schema requires, in the state's shape.
    package static func payment(id: String, status: String, amount: String, currency: String = "RUB", createdAt: Date = Date().addingTimeInterval(-3600),
                                capturedAt: Date? = nil, cancellation: (party: String, reason: String)? = nil, test: Bool = true,
                                expiresAt: Date? = nil) -> [String: Any] {
        var o: [String: Any] = [
            "id": id, "status": status, "amount": ["value": amount, "currency": currency],
            "recipient": ["account_id": "506751", "gateway_id": "2001"], "created_at": iso(createdAt), "test": test,
            "paid": status == "succeeded" || status == "waiting_for_capture", "refundable": status == "succeeded",
            "description": "HabitBot top-up", "metadata": ["user_id": "4"],
            "payment_method": ["type": "bank_card", "id": id, "saved": false, "title": "Bank card *4444"],
        ]
        if status == "succeeded" {
            o["captured_at"] = iso(capturedAt ?? createdAt.addingTimeInterval(60))
            o["income_amount"] = ["value": amount, "currency": currency]
        }
        if status == "waiting_for_capture" { o["expires_at"] = iso(expiresAt ?? createdAt.addingTimeInterval(7 * 86400)) }
        if status == "pending" {
            o["confirmation"] = ["type": "redirect", "confirmation_url": "https://yoomoney.ru/checkout/payments/v2/contract?orderId=\(id)"]
        }
        if let c = cancellation { o["cancellation_details"] = ["party": c.party, "reason": c.reason] }
        return o
    }

    package func set(_ payment: [String: Any]) { state.withLock { $0.payments[payment["id"] as! String] = payment } }

    private func error(_ status: Int, _ code: String, _ description: String, parameter: String? = nil) -> LoopbackHTTPServer.Response {
        var o: [String: Any] = ["type": "error", "id": UUID().uuidString.lowercased(), "code": code, "description": description]
        if let parameter { o["parameter"] = parameter }
        return json(o, status: status)
    }

    private func json(_ o: Any, status: Int = 200, headers: [String: String] = [:]) -> LoopbackHTTPServer.Response {
        .init(status: status, headers: headers.merging(["Content-Type": "application/json;charset=UTF-8"]) { a, _ in a },
              body: try! JSONSerialization.data(withJSONObject: o))
    }

    private func violation(_ s: String) { state.withLock { $0.violations.append(s) } }

    private func answer(_ req: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (delay, fault) = state.withLock { s -> (Double, (Int, [String: String], String)?) in
            s.requests.append("\(req.method) \(req.path)")
            s.authHeaders.append(req.headers["authorization"] ?? "")
            return (s.delay, s.faults.isEmpty ? nil : s.faults.removeFirst())
        }
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if let (status, headers, body) = fault { return .init(status: status, headers: headers, body: Data(body.utf8)) }
        let parts = req.path.split(separator: "?", maxSplits: 1)
        let path = String(parts.first ?? "")
        let query = parts.count > 1 ? String(parts[1]) : nil
        guard req.method == "GET" else {
            violation("\(req.method) \(path): opsbot must only read (GET)")
            return .init(status: 405, body: Data())
        }
        if !req.body.isEmpty { violation("GET \(path) with a body") }
        if req.headers["idempotence-key"] != nil { violation("GET \(path) with an Idempotence-Key (writes only)") }
        let s = state.current
        guard let auth = req.headers["authorization"] else {
            violation("GET \(path) without an Authorization header")
            return error(401, "invalid_credentials", "Authentication by given credentials failed", parameter: "Authorization")
        }
        let expected = "Basic " + Data("\(s.shopID):\(s.secretKey)".utf8).base64EncodedString()
        if req.path.contains(s.secretKey) { violation("the secret key in the URL") }
        guard auth == expected else {
            if !auth.hasPrefix("Basic ") { violation("Authorization is not HTTP Basic: \(auth.prefix(12))") }
            return error(401, "invalid_credentials", "Authentication by given credentials failed", parameter: "Authorization")
        }
        if let query {
            violation("GET \(path)?\(query): this endpoint takes no query parameters")
            return error(400, "invalid_request", "Unknown parameter", parameter: String(query.split(separator: "=").first ?? ""))
        }
        if path == "/v3/me" {
            return json(["account_id": s.shopID, "status": "enabled", "test": true, "fiscalization": ["enabled": false],
                         "fiscalization_enabled": false, "payment_methods": ["bank_card", "yoo_money", "sbp"], "itn": "7700000000"])
        }
        if path.hasPrefix("/v3/payments/") {
            let id = String(path.dropFirst("/v3/payments/".count))
            guard id.range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"#, options: .regularExpression) != nil else {
                violation("GET \(path): a malformed payment id was sent")
                return error(400, "invalid_request", "Invalid payment_id", parameter: "payment_id")
            }
            guard let p = s.payments[id] else { return error(404, "not_found", "Payment not found", parameter: "payment_id") }
            return json(p)
        }
        violation("GET \(path): no such YooKassa endpoint")
        return error(404, "not_found", "Resource not found")
    }
}

/// Crypto Pay (Crypto Bot) on loopback: `/api/getMe` and `/api/getInvoices` only.
package final class FakeCryptoPay: @unchecked Sendable {
    /// @unchecked: JSON objects ([String: Any]), only touched under `state`'s lock.
    package struct State: @unchecked Sendable {
        /// Shaped like a Crypto Pay token (`<app id>:<35 characters>`), built in two pieces so
        /// that no literal in the repository looks like a real one.
        package static let sampleToken = "12345:" + "AAcryptoPayFakeTokenForTests0000000"
        package var token = sampleToken
        package var invoices: [[String: Any]] = []
        package var delay: Double = 0
        package var faults: [(Int, [String: String], String)] = []
        package var violations: [String] = []
        package var requests: [String] = []
        package var testnet = false
    }
    package let state = Locked(State())
    private var server: LoopbackHTTPServer!
    /// The host to configure as `api_url`.
    package var url: String { "http://127.0.0.1:\(server.port)" }
    package var violations: [String] { state.current.violations }
    package var requestCount: Int { state.current.requests.count }

    package init() throws {
        server = try LoopbackHTTPServer { [self] req in self.answer(req) }
    }
    deinit { server.stop() }
    package func stop() { server.stop() }

    /// An invoice with every field the schema requires. `fiat`: priced in fiat (`currency`),
    /// else in the crypto asset `currency`.
    package static func invoice(id: Int, status: String, amount: String, currency: String = "USDT", fiat: Bool = false,
                                payload: String? = nil, createdAt: Date = Date().addingTimeInterval(-3600), paidAt: Date? = nil) -> [String: Any] {
        var o: [String: Any] = [
            "invoice_id": id, "hash": "IV\(id)abc", "currency_type": fiat ? "fiat" : "crypto", "amount": amount,
            "bot_invoice_url": "https://t.me/CryptoBot?start=IV\(id)abc", "mini_app_invoice_url": "https://t.me/CryptoBot/app?startapp=invoice-IV\(id)abc",
            "web_app_invoice_url": "https://app.send.tg/invoices/IV\(id)abc", "status": status, "created_at": FakeYooKassa.iso(createdAt),
            "allow_comments": true, "allow_anonymous": true, "description": "HabitBot top-up",
        ]
        if fiat { o["fiat"] = currency; o["accepted_assets"] = ["USDT", "TON"] } else { o["asset"] = currency }
        if let payload { o["payload"] = payload }
        if status == "paid" {
            o["paid_at"] = FakeYooKassa.iso(paidAt ?? createdAt.addingTimeInterval(60))
            o["paid_anonymously"] = false
            o["paid_usd_rate"] = "1.00"
            o["fee_asset"] = fiat ? "USDT" : currency
            o["fee_amount"] = "0.01"
            o["fee_in_usd"] = "0.01"
            if fiat { o["paid_asset"] = "USDT"; o["paid_amount"] = amount; o["paid_fiat_rate"] = "1.00" }
        }
        return o
    }

    package func set(_ invoice: [String: Any]) {
        state.withLock { s in
            s.invoices.removeAll { ($0["invoice_id"] as? Int) == (invoice["invoice_id"] as? Int) }
            s.invoices.append(invoice)
        }
    }

    private func json(_ o: Any, status: Int = 200) -> LoopbackHTTPServer.Response {
        .init(status: status, headers: ["Content-Type": "application/json"], body: try! JSONSerialization.data(withJSONObject: o))
    }
    private func fail(_ code: Int, _ name: String) -> LoopbackHTTPServer.Response {
        json(["ok": false, "error": ["code": code, "name": name]], status: code)
    }
    private func violation(_ s: String) { state.withLock { $0.violations.append(s) } }

    private func answer(_ req: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (delay, fault) = state.withLock { s -> (Double, (Int, [String: String], String)?) in
            s.requests.append("\(req.method) \(req.path)")
            return (s.delay, s.faults.isEmpty ? nil : s.faults.removeFirst())
        }
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if let (status, headers, body) = fault { return .init(status: status, headers: headers, body: Data(body.utf8)) }
        let comps = URLComponents(string: "http://x" + req.path)
        let path = comps?.path ?? ""
        let items = comps?.queryItems ?? []
        guard req.method == "GET" || req.method == "POST" else {
            violation("\(req.method) \(path): only GET and POST are documented")
            return fail(405, "METHOD_NOT_FOUND")
        }
        if req.method == "POST" { violation("POST \(path): opsbot reads with GET") }
        let s = state.current
        guard let token = req.headers["crypto-pay-api-token"] else {
            violation("\(path) without the Crypto-Pay-API-Token header")
            return fail(401, "UNAUTHORIZED")
        }
        if req.path.contains(s.token) { violation("the token in the URL") }
        guard path.hasPrefix("/api/") else {
            violation("\(path): outside /api/")
            return fail(404, "NOT_FOUND")
        }
        guard token == s.token else { return fail(401, "UNAUTHORIZED") }
        var params: [String: String] = [:]
        for i in items {
            if params[i.name] != nil { violation("\(path): parameter \(i.name) repeated") }
            params[i.name] = i.value ?? ""
        }
        switch String(path.dropFirst("/api/".count)) {
        case "getMe":
            if !params.isEmpty { violation("getMe takes no parameters, got \(params.keys.sorted())") }
            return json(["ok": true, "result": ["app_id": 12345, "name": "HabitBot payments",
                                                "payment_processing_bot_username": s.testnet ? "CryptoTestnetBot" : "CryptoBot"]])
        case "getInvoices":
            let allowed: Set<String> = ["invoice_ids", "status", "asset", "fiat", "offset", "count"]
            for k in params.keys where !allowed.contains(k) {
                violation("getInvoices: undocumented parameter \(k)")
                return fail(400, "\(k.uppercased())_INVALID")
            }
            var list = s.invoices.sorted { ($0["invoice_id"] as! Int) > ($1["invoice_id"] as! Int) }  // newest first
            if let ids = params["invoice_ids"] {
                guard ids.range(of: #"^[0-9]+(,[0-9]+)*$"#, options: .regularExpression) != nil else {
                    violation("getInvoices: invoice_ids must be comma-separated integers, got \(ids.prefix(60))")
                    return fail(400, "INVOICE_IDS_INVALID")
                }
                let wanted = Set(ids.split(separator: ",").compactMap { Int($0) })
                list = list.filter { wanted.contains($0["invoice_id"] as! Int) }
            }
            if let st = params["status"] {
                guard st == "active" || st == "paid" else {
                    violation("getInvoices: status must be active or paid, got \(st)")
                    return fail(400, "STATUS_INVALID")
                }
                list = list.filter { ($0["status"] as? String) == st }
            }
            if let a = params["asset"] { list = list.filter { ($0["asset"] as? String) == a } }
            if let f = params["fiat"] { list = list.filter { ($0["fiat"] as? String) == f } }
            let offset = Int(params["offset"] ?? "0") ?? -1
            let count = Int(params["count"] ?? "100") ?? -1
            guard offset >= 0 else { violation("getInvoices: offset \(params["offset"] ?? "")"); return fail(400, "OFFSET_INVALID") }
            guard (1...1000).contains(count) else { violation("getInvoices: count must be 1–1000, got \(params["count"] ?? "")"); return fail(400, "COUNT_INVALID") }
            let page = Array(list.dropFirst(offset).prefix(count))
            return json(["ok": true, "result": ["items": page]])
        default:
            violation("\(path): no such Crypto Pay method")
            return fail(405, "METHOD_NOT_FOUND")
        }
    }
}

/// The selling bot's Bot API for Telegram Stars: `/bot<token>/getMe` and
/// `/bot<token>/getStarTransactions` (offset, limit 1–100; chronological), strict like the others.
package final class FakeStars: @unchecked Sendable {
    package struct State: @unchecked Sendable {
        package var token = "7654321:AAStarsFakeTokenForTestsOnly_abcdefgh"
        /// StarTransaction objects, oldest first.
        package var transactions: [[String: Any]] = []
        package var violations: [String] = []
        package var requests: [String] = []
    }
    package let state = Locked(State())
    private var server: LoopbackHTTPServer!
    package var url: String { "http://127.0.0.1:\(server.port)" }
    package var violations: [String] { state.current.violations }

    package init() throws { server = try LoopbackHTTPServer { [self] req in self.answer(req) } }
    deinit { server.stop() }
    package func stop() { server.stop() }

    /// A user's payment (`source`), or its refund (`receiver`) when `refund`.
    package func add(id: String, amount: Int, at: Date = Date().addingTimeInterval(-1800), refund: Bool = false) {
        let partner: [String: Any] = ["type": "user", "user": ["id": 42, "is_bot": false, "first_name": "Anna"]]
        var t: [String: Any] = ["id": id, "amount": amount, "date": Int(at.timeIntervalSince1970)]
        t[refund ? "receiver" : "source"] = partner
        state.withLock { $0.transactions.append(t) }
    }

    private func json(_ o: Any, status: Int = 200) -> LoopbackHTTPServer.Response {
        .init(status: status, headers: ["Content-Type": "application/json"], body: try! JSONSerialization.data(withJSONObject: o))
    }

    private func answer(_ req: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        state.withLock { $0.requests.append(req.method + " " + req.path) }
        let s = state.current
        let comps = URLComponents(string: "http://x" + req.path)
        let path = comps?.path ?? ""
        guard path.hasPrefix("/bot") else { state.withLock { $0.violations.append("\(path): not a Bot API path") }; return json(["ok": false, "error_code": 404, "description": "Not Found"], status: 404) }
        let rest = path.dropFirst(4)
        guard let slash = rest.firstIndex(of: "/") else { return json(["ok": false, "error_code": 404, "description": "Not Found"], status: 404) }
        guard rest[..<slash] == s.token else { return json(["ok": false, "error_code": 401, "description": "Unauthorized"], status: 401) }
        var params: [String: String] = [:]
        for i in comps?.queryItems ?? [] { params[i.name] = i.value ?? "" }
        switch String(rest[rest.index(after: slash)...]) {
        case "getMe":
            return json(["ok": true, "result": ["id": 7654321, "is_bot": true, "first_name": "HabitBot", "username": "habit_bot"]])
        case "getStarTransactions":
            for k in params.keys where k != "offset" && k != "limit" { state.withLock { $0.violations.append("getStarTransactions: undocumented parameter \(k)") } }
            let offset = Int(params["offset"] ?? "0") ?? -1, limit = Int(params["limit"] ?? "100") ?? -1
            guard offset >= 0, (1...100).contains(limit) else {
                state.withLock { $0.violations.append("getStarTransactions: offset \(offset), limit \(limit)") }
                return json(["ok": false, "error_code": 400, "description": "Bad Request: invalid limit"], status: 400)
            }
            return json(["ok": true, "result": ["transactions": Array(s.transactions.dropFirst(offset).prefix(limit))]])
        default:
            state.withLock { $0.violations.append("\(path): not a method opsbot may call") }
            return json(["ok": false, "error_code": 404, "description": "Not Found"], status: 404)
        }
    }
}
