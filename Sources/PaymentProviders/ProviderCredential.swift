import Foundation
import OpsbotSupport

/// Where a provider secret comes from: an environment variable's *name* or a file's path —
/// never the value itself in the config.
public struct ProviderCredential: Sendable, Hashable {
    public var env: String?
    public var file: String?

    public init(env: String? = nil, file: String? = nil) {
        self.env = env
        self.file = file
    }

    /// What to check, for messages: `YOOKASSA_SECRET_KEY`, `the file /run/secrets/yk`.
    public var label: String { file.map { "the file \($0)" } ?? env ?? "?" }
    /// The same in Russian: `файл /run/secrets/yk`.
    public var labelRU: String { file.map { "файл \($0)" } ?? env ?? "?" }

    /// Reads the value (a file is re-read every time, so a rotated key is picked up) and
    /// registers a secret with the redactor before anything can print it (a shop id is no
    /// secret: six digits would be masked in every amount and id).
    public func read(_ environment: [String: String], secret: Bool = true) throws -> String {
        let value: String
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ProviderError(.credentials, .credentialFileUnreadable(path: file))
            }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            value = (environment[env ?? ""] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !value.isEmpty else { throw ProviderError(.credentials, .credentialNotSet(label: label, labelRU: labelRU)) }
        if secret { Redactor.shared.register(value) }
        return value
    }
}
