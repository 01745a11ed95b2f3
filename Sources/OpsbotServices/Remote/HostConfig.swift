import Foundation
import OpsbotCore
import OpsbotSupport

/// One entry of `hosts:` — a machine opsbot reaches over SSH. Every value ends up in the
/// generated `ssh_config`, so each is checked against a strict character set: a space, a
/// quote or a `%` token in a path could otherwise add options to that file.
public struct HostConfig: Decodable, Sendable, Hashable {
    public var name: String = ""
    /// Host name or IP address.
    public var address: String
    public var user: String
    public var port: Int = 22
    /// The private key opsbot logs in with (its own key, not the admin's agent).
    public var identityFile: String?
    /// The host's public key, as in `/etc/ssh/ssh_host_ed25519_key.pub` (`ssh-ed25519 AAAA…`).
    /// opsbot trusts this key and nothing else (StrictHostKeyChecking=yes, no learning).
    public var hostKey: String
    /// Another entry of `hosts:` to jump through (its key is pinned too).
    public var proxyJump: String?
    public var connectTimeout: Double = 5
    /// Deadline for reads (status, logs, instances, disk).
    public var timeout: Double = 20
    /// Deadline for actions (restart, stop an instance).
    public var actionTimeout: Double = 90
    /// How long an idle master connection stays open for reuse.
    public var controlPersist: Double = 60

    enum CodingKeys: String, CodingKey {
        case address, user, port, identityFile = "identity_file", hostKey = "host_key", proxyJump = "proxy_jump"
        case connectTimeout = "connect_timeout", timeout, actionTimeout = "action_timeout", controlPersist = "control_persist"
    }

    public init(name: String, address: String, user: String, port: Int = 22, identityFile: String? = nil, hostKey: String) {
        self.name = name; self.address = address; self.user = user; self.port = port; self.identityFile = identityFile; self.hostKey = hostKey
    }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        func checked(_ key: CodingKeys, _ value: String, _ pattern: String, _ expected: String) throws -> String {
            guard value.range(of: "^(?:\(pattern))$", options: .regularExpression) != nil else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected \(expected), got \"\(value)\"")
            }
            return value
        }
        address = try checked(.address, try c.decode(String.self, forKey: .address), #"[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[?[0-9A-Fa-f:.]{2,45}\]?"#,
                              "a host name or IP address")
        if address.hasPrefix("[") && address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        user = try checked(.user, try c.decode(String.self, forKey: .user), #"[a-z_][a-z0-9_.-]{0,31}"#, "a user name (a-z 0-9 _ . -)")
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 22
        guard (1...65535).contains(port) else {
            throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "expected a port 1–65535, got \(port)")
        }
        identityFile = try c.decodeIfPresent(String.self, forKey: .identityFile).map {
            try checked(.identityFile, $0, #"[A-Za-z0-9_./~+-]{1,200}"#, "a path without spaces, quotes or %")
        }
        let key = try c.decode(String.self, forKey: .hostKey).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = key.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 2,
              parts[0].range(of: #"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$"#, options: .regularExpression) != nil,
              parts[1].range(of: #"^[A-Za-z0-9+/]{16,}={0,3}$"#, options: .regularExpression) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .hostKey, in: c, debugDescription:
                "expected the host's public key line, e.g. the contents of /etc/ssh/ssh_host_ed25519_key.pub (\"ssh-ed25519 AAAA…\")")
        }
        hostKey = parts[0] + " " + parts[1]
        proxyJump = try c.decodeIfPresent(String.self, forKey: .proxyJump).map {
            try checked(.proxyJump, $0, #"[a-z0-9][a-z0-9_-]{0,31}"#, "the name of another entry in hosts:")
        }
        func seconds(_ key: CodingKeys, _ def: Double) throws -> Double {
            let v = try c.decodeIfPresent(ConfigDuration.self, forKey: key)?.seconds ?? def
            guard v > 0 else { throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be positive") }
            return v
        }
        connectTimeout = try seconds(.connectTimeout, 5)
        timeout = try seconds(.timeout, 20)
        actionTimeout = try seconds(.actionTimeout, 90)
        controlPersist = try seconds(.controlPersist, 60)
    }

    /// Names of `hosts:` entries: they become file names (control sockets) and ssh_config aliases.
    static let namePattern = #"^[a-z0-9][a-z0-9_-]{0,31}$"#
}
