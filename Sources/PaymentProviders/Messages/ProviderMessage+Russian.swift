import OpsbotSupport

extension ProviderMessage {
    public var russian: String {
        switch self {
        case .noAnswerWithin(let p, let s, let path): "API \(p) недоступен: нет ответа за \(LocalFormat.duration(s, .ru)) (\(path))"
        case .connectionRefused(let p, let path): "API \(p) недоступен: в соединении отказано (\(path))"
        case .hostDoesNotResolve(let p, let path): "API \(p) недоступен: имя хоста не резолвится (\(path))"
        case .requestFailed(let p, let path): "API \(p) недоступен: запрос не прошёл (\(path))"
        case .rateLimited(let p, let waited, let retry): "\(p) ограничивает частоту запросов (429): ждали \(waited) с и сдались; повторите через \(retry) с"
        case .providerTrouble(let p, let status, let code): "API \(p) ответил \(status) (сбой на стороне провайдера)\(code.map { ": \($0)" } ?? "")"
        case .failed(let p, let e): "\(p): \(e)"
        case .notYooKassaID(let id): "«\(id)» — не id платежа YooKassa (36 символов, формат UUID)"
        case .yooKassaNotJSON(let what): "YooKassa ответила на \(what) не JSON-объектом"
        case .yooKassaCredentials(_, let names): "YooKassa не принимает ключи (401 invalid_credentials): проверьте \(names) — ключ перевыпущен, ключ другого магазина или тестовый ключ на боевом магазине"
        case .yooKassaForbidden(let what, _, let names): "YooKassa ответила 403 на \(what): ключу из \(names) нельзя читать платежи"
        case .yooKassaAnswered(let status, let code, let what, let desc, let id):
            "YooKassa ответила \(status)\(code.map { " \($0)" } ?? "") на \(what)" + (desc.map { ": \($0)" } ?? "") + (id.map { " (id ошибки \($0))" } ?? "")
        case .yooKassaIncomplete: "YooKassa прислала платёж без id, статуса или суммы"
        case .yooKassaUnknownStatus(let s): "YooKassa прислала неизвестный статус платежа «\(s)»"
        case .starsNoBot: "Telegram ответил на getMe без бота"
        case .starsNoTransactions: "Telegram ответил на getStarTransactions без транзакций"
        case .starsNotScanned(let n): "нет среди первых \(Plural.ru(n, "транзакции", "транзакций", "транзакций")) Stars (scan_limit)"
        case .cannotBuildURL(let p, let m): "\(p): не удаётся собрать URL для \(m)"
        case .telegramToken(let code, let desc, _, let label): "Telegram не принимает токен бота (\(code)\(desc.map { " \($0)" } ?? "")): проверьте \(label)"
        case .telegramAnswered(let code, let m, let desc): "Telegram ответил \(code) на \(m)" + (desc.map { ": \($0)" } ?? "")
        case .cryptoPayNoApp: "Crypto Pay ответил на getMe без приложения"
        case .notInvoiceID(let id): "«\(id)» — не id счёта Crypto Pay (только цифры); если продукт хранит свой ключ, укажите id_field: payload"
        case .cryptoPayNotScanned(let n): "нет среди последних \(Plural.ru(n, "счёта", "счетов", "счетов")) Crypto Pay (scan_limit)"
        case .cryptoPayNoItems: "Crypto Pay ответил на getInvoices без списка счетов"
        case .cryptoPayToken(_, let label, let testnet):
            "Crypto Pay не принимает токен (401 UNAUTHORIZED): проверьте \(label) — токен неверный или отозван, или это токен \(testnet ? "основной сети, а бот настроен на тестовую" : "тестовой сети, а бот настроен на основную")"
        case .cryptoPayAnswered(let code, let name, _, let m): "Crypto Pay ответил \(code)\(name.map { " \($0)" } ?? "") на \(m)"
        case .cryptoPayIncomplete: "Crypto Pay прислал счёт без invoice_id, статуса или суммы"
        case .cryptoPayUnknownStatus(let s): "Crypto Pay прислал неизвестный статус счёта «\(s)»"
        case .credentialFileUnreadable(let path): "не удаётся прочитать файл с ключом \(path)"
        case .credentialNotSet(_, let label): "\(label) не задан"
        }
    }
}
