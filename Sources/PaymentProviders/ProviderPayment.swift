// PaymentProviders — read-only clients of the payment providers' APIs (YooKassa API v3, the
// Crypto Pay API of Crypto Bot) over the shared libcurl client. Only ever GETs: opsbot never
// captures, cancels or refunds at a provider. Depends on HTTPClient and OpsbotSupport.

import Foundation
import OpsbotSupport

/// One payment as its provider sees it, in the words both providers share.
public struct ProviderPayment: Sendable, Hashable {
    /// What the provider's status means for a payment that is pending in the product.
    public enum State: String, Sendable, Hashable {
        /// YooKassa `succeeded`, Crypto Pay `paid`: the money arrived.
        case paid
        /// YooKassa `pending`, Crypto Pay `active`: the customer has not paid (yet).
        case pending
        /// YooKassa `waiting_for_capture`: held, not charged (capturing is a write opsbot never does).
        case held
        /// YooKassa `canceled`: will never be paid.
        case canceled
        /// Crypto Pay `expired`: will never be paid.
        case expired
    }

    /// "YooKassa", "Crypto Pay".
    public var provider: String
    /// The provider's own id (YooKassa payment id, Crypto Pay invoice id).
    public var id: String
    public var state: State
    /// The provider's status word, as sent.
    public var status: String
    /// Decimal text, as sent ("499.00", "5.25").
    public var amount: String
    /// ISO 4217 code or crypto asset the amount is in.
    public var currency: String
    public var createdAt: Date?
    /// YooKassa `captured_at`, Crypto Pay `paid_at`.
    public var paidAt: Date?
    /// YooKassa `expires_at` of a held payment, Crypto Pay `expiration_date`.
    public var expiresAt: Date?
    /// `expired_on_confirmation (yoo_money)`.
    public var cancellation: String?
    /// A test shop's payment (YooKassa `test`); Crypto Pay: testnet.
    public var test: Bool?
    /// What was really paid when it differs from the priced amount (Crypto Pay fiat invoices).
    public var paidAmount: String?
    public var description: String?

    public init(provider: String, id: String, state: State, status: String, amount: String, currency: String,
                createdAt: Date? = nil, paidAt: Date? = nil, expiresAt: Date? = nil, cancellation: String? = nil,
                test: Bool? = nil, paidAmount: String? = nil, description: String? = nil) {
        self.provider = provider
        self.id = id
        self.state = state
        self.status = status
        self.amount = amount
        self.currency = currency
        self.createdAt = createdAt
        self.paidAt = paidAt
        self.expiresAt = expiresAt
        self.cancellation = cancellation
        self.test = test
        self.paidAmount = paidAmount
        self.description = description
    }

    /// Both amounts equal as decimals ("250" = "250.00"), never compared as floats.
    public static func sameAmount(_ a: String, _ b: String) -> Bool {
        let na = a.trimmingCharacters(in: .whitespaces), nb = b.trimmingCharacters(in: .whitespaces)
        guard ProviderText.isDecimal(na), ProviderText.isDecimal(nb) else { return false }
        return ProviderText.canonicalDecimal(na) == ProviderText.canonicalDecimal(nb)
    }
}

/// What asking the provider about one stored payment gave.
public enum ProviderVerdict: Sendable, Hashable {
    case found(ProviderPayment)
    /// The provider has no such object under these credentials (YooKassa 404, an invoice id
    /// absent from getInvoices).
    case notFound
    /// Could not be determined: unreachable, timeout, bad credentials, an id of the wrong shape.
    /// Never read as "not paid".
    case unknown(ProviderReason)
}

/// A provider call that failed, in plain words (never a secret: every message is redacted).
public struct ProviderError: Error, CustomStringConvertible, Sendable, Hashable, Localizable {
    public enum Kind: Sendable, Hashable {
        /// No answer: connection refused, DNS, timeout, 5xx.
        case unreachable
        /// 401/403 or a credential that is not set: names the variable or file to check.
        case credentials
        /// 429 beyond the wait budget.
        case rateLimited
        /// The provider refused the request (400, 404 on a path, an unexpected error object).
        case rejected
        /// An answer opsbot cannot read.
        case badAnswer
    }
    public var kind: Kind
    /// In English: logs and `opsbot check` read it.
    public var message: String
    /// The same in Russian (the chat reads it through `text()`).
    public var russian: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = Redactor.shared.redact(message)
        russian = self.message
    }
    public init(_ kind: Kind, _ text: ProviderMessage) {
        self.kind = kind
        message = Redactor.shared.redact(text.english)
        russian = Redactor.shared.redact(text.russian)
    }
    public var description: String { message }
    public var english: String { message }
}
