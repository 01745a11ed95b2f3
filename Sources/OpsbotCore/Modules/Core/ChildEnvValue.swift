import Foundation

/// One variable of a child process's `env:` in the catalog or config: a plain value, or
/// `{file: PATH}` naming a secret file read when the child starts. File values are registered
/// with the redactor, so the child's output never shows them.
public enum ChildEnvValue: Decodable, Sendable, Hashable {
    case value(String)
    case file(String)

    enum CodingKeys: String, CodingKey { case file }

    public init(from d: Decoder) throws {
        if let s = try? d.singleValueContainer().decode(String.self) {
            self = .value(s)
            return
        }
        let c = try d.container(keyedBy: CodingKeys.self)
        self = .file(try c.decode(String.self, forKey: .file))
    }

    /// The variables with file values read (relative paths against the config's directory).
    public static func resolve(_ env: [String: ChildEnvValue], config: Config) throws -> [String: String] {
        try resolve(env, source: config.source, resolvePath: config.resolvePath)
    }

    public static func resolve(_ env: [String: ChildEnvValue], source: String, resolvePath: (String) -> String = { $0 }) throws -> [String: String] {
        var out: [String: String] = [:]
        for (name, v) in env {
            switch v {
            case .value(let s): out[name] = s
            case .file(let path):
                let full = resolvePath(path)
                guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
                    throw ConfigError(file: source, key: "env.\(name)", message: "cannot read the secret file \(full)")
                }
                let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
                Redactor.shared.register(secret)
                out[name] = secret
            }
        }
        return out
    }
}
