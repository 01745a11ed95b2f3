import Foundation
import OpsbotCore
import OpsbotSupport
import PaymentProviders
import Postgres

/// An error as the chat shows it, in every language: opsbot's words translated, libpq's,
/// the server's and the providers' own text as it came, secrets redacted.
struct ErrorText: Localizable, Hashable {
    var english: String
    var russian: String

    init(english: String, russian: String) {
        self.english = english
        self.russian = russian
    }

    init(_ error: Error) {
        switch error {
        case let e as PostgresError:
            english = e.english
            russian = e.russian
        case let e as ConfigError:
            // Config errors stay English (operators paste them into searches).
            english = "configuration problem: \(e.description)"
            russian = "ошибка конфигурации: \(e.description)"
        case let e as ProviderError:
            english = e.message
            russian = e.russian
        case let e as any Localizable:
            english = Redactor.shared.redact(e.english)
            russian = Redactor.shared.redact(e.russian)
        default:
            english = Redactor.shared.redact("\(error)")
            russian = english
        }
    }

    init(_ reason: ProviderReason) {
        english = reason.english
        russian = reason.russian
    }
}

/// Amounts and times of payments as each language writes them. English stays as the
/// database and the provider wrote it ("549.00 RUB", "14:02 UTC").
enum DatabaseFormat {
    /// `549.00 RUB` / `549,00 ₽`; a crypto amount keeps all its digits (`0,00012 BTC`).
    static func money(_ amount: String, _ currency: String, _ language: Language = Language.current) -> String {
        guard language == .ru else { return "\(amount) \(currency)" }
        guard ProviderText.isDecimal(amount) else { return "\(amount) \(currency)" }
        let fraction = amount.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        if fraction <= 2 { return LocalFormat.money(amount, currency: currency, .ru) }
        return amount.replacingOccurrences(of: ".", with: ",") + " " + currency
    }

    /// `14:02 UTC` today, else `1 мая 14:02 UTC` / `2024-05-01 14:02 UTC`.
    static func clock(_ d: Date, _ language: Language = Language.current) -> String {
        let en = PaymentsStore.clock(d)
        guard language == .ru, en.contains("-") else { return en }
        return LocalFormat.dateTime(epoch: d.timeIntervalSince1970, utc: true, .ru) + " UTC"
    }

    /// The provider's time, as `ProviderText.clock` writes it in English.
    static func providerClock(_ d: Date, _ language: Language = Language.current) -> String {
        let en = ProviderText.clock(d)
        guard language == .ru, en.contains("-") else { return en }
        return LocalFormat.dateTime(epoch: d.timeIntervalSince1970, utc: true, .ru) + " UTC"
    }
}
