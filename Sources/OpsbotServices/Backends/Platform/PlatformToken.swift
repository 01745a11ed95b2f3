import Foundation
import OpsbotCore
import OpsbotSupport

/// Where a platform API token comes from: an environment variable (default) or a file. The
/// config names the variable or the path, never the token itself.
public struct PlatformToken: Sendable, Hashable {
    public var env: String
    public var file: String?

    /// Names the source in error messages ("the token in HEROKU_API_KEY").
    public var label: String { BackendText.tokenSource(source).english }
    /// The file or variable the token is read from.
    public var source: String { file ?? env }

    /// Reads the token (a file is re-read every time, so a rotated token is picked up) and
    /// registers it with the redactor before anyone can print it.
    public func read(_ environment: [String: String]) throws -> String {
        let value: String
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw BackendError(.cannotReadTokenFile(file: file))
            }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            value = (environment[env] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !value.isEmpty else { throw BackendError(.noToken(name: file ?? env)) }
        Redactor.shared.register(value)
        return value
    }
}

enum PlatformURL {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> String? {
        guard let u = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard u.hasPrefix("https://") || u.hasPrefix("http://") else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected an http:// or https:// URL")
        }
        return u.hasSuffix("/") ? String(u.dropLast()) : u
    }
}
