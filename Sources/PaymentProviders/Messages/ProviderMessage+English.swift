import OpsbotSupport

extension ProviderMessage {
    public var english: String {
        switch self {
        case .noAnswerWithin(let p, let s, let path): "\(p) API unreachable: no answer within \(Durations.format(s)) (\(path))"
        case .connectionRefused(let p, let path): "\(p) API unreachable: connection refused (\(path))"
        case .hostDoesNotResolve(let p, let path): "\(p) API unreachable: the host name does not resolve (\(path))"
        case .requestFailed(let p, let path): "\(p) API unreachable: the request failed (\(path))"
        case .rateLimited(let p, let waited, let retry): "\(p) rate limit (429 too many requests): gave up after waiting \(waited) s; try again in \(retry) s"
        case .providerTrouble(let p, let status, let code): "\(p) API answered \(status) (trouble on the provider's side)\(code.map { ": \($0)" } ?? "")"
        case .failed(let p, let e): "\(p): \(e)"
        case .notYooKassaID(let id): "\"\(id)\" is not a YooKassa payment id (36 characters, UUID layout)"
        case .yooKassaNotJSON(let what): "YooKassa answered \(what) with something that is not a JSON object"
        case .yooKassaCredentials(let names, _): "YooKassa refused the credentials (401 invalid_credentials): check \(names) — a rotated key, another shop's key, or a test_ key against a live shop"
        case .yooKassaForbidden(let what, let names, _): "YooKassa answered 403 forbidden to \(what): the key of \(names) may not read payments"
        case .yooKassaAnswered(let status, let code, let what, let desc, let id):
            "YooKassa answered \(status)\(code.map { " \($0)" } ?? "") to \(what)" + (desc.map { ": \($0)" } ?? "") + (id.map { " (error id \($0))" } ?? "")
        case .yooKassaIncomplete: "YooKassa sent a payment without id, status or amount"
        case .yooKassaUnknownStatus(let s): "YooKassa sent an unknown payment status \"\(s)\""
        case .starsNoBot: "Telegram getMe answered without a bot"
        case .starsNoTransactions: "Telegram getStarTransactions answered without transactions"
        case .starsNotScanned(let n): "not among the first \(n) Star transactions (scan_limit)"
        case .cannotBuildURL(let p, let m): "\(p): cannot build the URL of \(m)"
        case .telegramToken(let code, let desc, let label, _): "Telegram refused the bot token (\(code) \(desc ?? "no description")): check \(label)"
        case .telegramAnswered(let code, let m, let desc): "Telegram answered \(code) to \(m): \(desc ?? "no description")"
        case .cryptoPayNoApp: "Crypto Pay getMe answered without an app object"
        case .notInvoiceID(let id): "\"\(id)\" is not a Crypto Pay invoice id (digits); if the product stores its own key, set id_field: payload"
        case .cryptoPayNotScanned(let n): "not among the newest \(n) Crypto Pay invoices (scan_limit)"
        case .cryptoPayNoItems: "Crypto Pay getInvoices answered without items"
        case .cryptoPayToken(let label, _, let testnet):
            "Crypto Pay refused the token (401 UNAUTHORIZED): check \(label) — a wrong or revoked token, or a \(testnet ? "mainnet" : "testnet") token against \(testnet ? "testnet" : "mainnet")"
        case .cryptoPayAnswered(let code, let name, let json, let m): "Crypto Pay answered \(code) \(name ?? (json ? "no error name" : "not JSON")) to \(m)"
        case .cryptoPayIncomplete: "Crypto Pay sent an invoice without invoice_id, status or amount"
        case .cryptoPayUnknownStatus(let s): "Crypto Pay sent an unknown invoice status \"\(s)\""
        case .credentialFileUnreadable(let path): "cannot read the credential file \(path)"
        case .credentialNotSet(let label, _): "\(label) is not set"
        }
    }
}
