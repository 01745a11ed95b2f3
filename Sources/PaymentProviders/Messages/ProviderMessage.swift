import Foundation
import OpsbotSupport

/// What the payment provider clients say in the chat (errors and reasons a status is unknown),
/// in every language. `ProviderError` and `ProviderReason` keep both renderings.
public enum ProviderMessage: MessageCatalog {
    case noAnswerWithin(provider: String, seconds: Double, path: String)
    case connectionRefused(provider: String, path: String)
    case hostDoesNotResolve(provider: String, path: String)
    case requestFailed(provider: String, path: String)
    case rateLimited(provider: String, waited: Int, retryIn: Int)
    case providerTrouble(provider: String, status: Int, code: String?)
    case failed(provider: String, error: String)
    case notYooKassaID(id: String)
    case yooKassaNotJSON(what: String)
    case yooKassaCredentials(names: String, namesRU: String)
    case yooKassaForbidden(what: String, names: String, namesRU: String)
    case yooKassaAnswered(status: Int, code: String?, what: String, description: String?, errorID: String?)
    case yooKassaIncomplete
    case yooKassaUnknownStatus(status: String)
    case starsNoBot
    case starsNoTransactions
    case starsNotScanned(limit: Int)
    case cannotBuildURL(provider: String, method: String)
    case telegramToken(code: Int, description: String?, label: String, labelRU: String)
    case telegramAnswered(code: Int, method: String, description: String?)
    case cryptoPayNoApp
    case notInvoiceID(id: String)
    case cryptoPayNotScanned(limit: Int)
    case cryptoPayNoItems
    case cryptoPayToken(label: String, labelRU: String, testnet: Bool)
    case cryptoPayAnswered(code: Int, name: String?, json: Bool, method: String)
    case cryptoPayIncomplete
    case cryptoPayUnknownStatus(status: String)
    case credentialFileUnreadable(path: String)
    case credentialNotSet(label: String, labelRU: String)

    public static var samples: [ProviderMessage] {
        [
            .noAnswerWithin(provider: "YooKassa", seconds: 5, path: "/v3/payments/x"),
            .connectionRefused(provider: "YooKassa", path: "/v3/me"),
            .hostDoesNotResolve(provider: "Crypto Pay", path: "/api/getMe"),
            .requestFailed(provider: "Telegram Stars", path: "/bot…/getMe"),
            .rateLimited(provider: "YooKassa", waited: 6, retryIn: 2),
            .providerTrouble(provider: "YooKassa", status: 503, code: "internal_server_error"),
            .failed(provider: "YooKassa", error: "HTTP 502"),
            .notYooKassaID(id: "CB-771209"),
            .yooKassaNotJSON(what: "/v3/me"),
            .yooKassaCredentials(names: "YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY", namesRU: "YOOKASSA_SHOP_ID и YOOKASSA_SECRET_KEY"),
            .yooKassaForbidden(what: "/v3/me", names: "YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY", namesRU: "YOOKASSA_SHOP_ID и YOOKASSA_SECRET_KEY"),
            .yooKassaAnswered(status: 400, code: "invalid_request", what: "/v3/payments/{id}", description: "Неверный запрос", errorID: "e-1"),
            .yooKassaIncomplete,
            .yooKassaUnknownStatus(status: "weird"),
            .starsNoBot,
            .starsNoTransactions,
            .starsNotScanned(limit: 1000),
            .cannotBuildURL(provider: "Telegram", method: "getMe"),
            .telegramToken(code: 401, description: nil, label: "BOT_TOKEN", labelRU: "BOT_TOKEN"),
            .telegramAnswered(code: 400, method: "getStarTransactions", description: nil),
            .cryptoPayNoApp,
            .notInvoiceID(id: "CB-1"),
            .cryptoPayNotScanned(limit: 1000),
            .cryptoPayNoItems,
            .cryptoPayToken(label: "CRYPTOBOT_TOKEN", labelRU: "CRYPTOBOT_TOKEN", testnet: false),
            .cryptoPayAnswered(code: 400, name: "METHOD_NOT_FOUND", json: true, method: "getInvoices"),
            .cryptoPayIncomplete,
            .cryptoPayUnknownStatus(status: "weird"),
            .credentialFileUnreadable(path: "/run/secrets/yk"),
            .credentialNotSet(label: "the file /run/secrets/yk", labelRU: "файл /run/secrets/yk"),
        ]
    }
}

/// Why a provider's status is unknown, in every language: a `ProviderError`'s text or a
/// catalog message. Compared and searched by its English (what logs and tests read).
public struct ProviderReason: Localizable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public var english: String
    public var russian: String

    public init(stringLiteral s: String) {
        english = s
        russian = s
    }

    public init(_ message: some Localizable) {
        english = message.english
        russian = message.russian
    }

    public init(_ error: ProviderError) {
        english = error.message
        russian = error.russian
    }

    public var description: String { english }

    public func contains(_ s: some StringProtocol) -> Bool { english.contains(s) }
}
