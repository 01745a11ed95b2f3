import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// The `alertmanager:` config section: opsbot polls an Alertmanager and fronts its alerts in the
/// chat. Absent: the feature is off. Every key is documented in opsbot.example.yaml.
public struct AlertmanagerConfig: Decodable, Sendable {
    /// Base URL, e.g. `http://127.0.0.1:9093` (no trailing `/api/v2`).
    public var url: String
    /// Only alerts routed to a receiver matching this regex (Alertmanager's `receiver` filter); nil: all.
    public var receiver: String?
    public var poll: Double = 60
    /// Connect + total time of one API call.
    public var timeout: Double = 10
    /// A file holding a bearer token sent to Alertmanager (behind an authenticating proxy).
    public var bearerTokenFile: String?
    /// Mute on an Alertmanager alert also creates a silence there (Unmute expires it).
    public var muteCreatesSilence = true
    public var severityLabel = "severity"
    public var remediationAnnotation = "opsbot_remediation"
    /// The always-firing alert whose absence means the Prometheus → Alertmanager path is broken.
    public var watchdogAlertname: String?
    public var watchdogTimeout: Double = 600
    /// A file holding the bearer token Alertmanager's webhook must send to `POST /alertmanager`.
    public var webhookTokenFile: String?
    /// After Alertmanager restarts (it keeps alerts in memory), alerts missing from its snapshot
    /// are unknown, not resolved, until it has been up this long (Prometheus re-sends them).
    public var restartGrace: Double = 300

    enum K: String, CodingKey, CaseIterable {
        case url, receiver, poll, timeout, bearer_token_file, mute_creates_silence, severity_label,
             remediation_annotation, watchdog_alertname, watchdog_timeout, webhook_token_file, restart_grace
    }

    public init(url: String) { self.url = url }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: K.self)
        url = try c.decode(String.self, forKey: .url)
        guard let u = URL(string: url), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: "expected an http(s) URL such as http://127.0.0.1:9093, got \"\(url)\"")
        }
        while url.hasSuffix("/") { url.removeLast() }
        receiver = try c.decodeIfPresent(String.self, forKey: .receiver)
        if let r = receiver, (try? NSRegularExpression(pattern: r)) == nil {
            throw DecodingError.dataCorruptedError(forKey: .receiver, in: c, debugDescription: "not a valid regular expression: \(r)")
        }
        poll = try Self.duration(c, .poll, min: 1) ?? poll
        timeout = try Self.duration(c, .timeout, min: 0.1) ?? timeout
        bearerTokenFile = try c.decodeIfPresent(String.self, forKey: .bearer_token_file)
        muteCreatesSilence = try c.decodeIfPresent(Bool.self, forKey: .mute_creates_silence) ?? muteCreatesSilence
        severityLabel = try c.decodeIfPresent(String.self, forKey: .severity_label) ?? severityLabel
        remediationAnnotation = try c.decodeIfPresent(String.self, forKey: .remediation_annotation) ?? remediationAnnotation
        watchdogAlertname = try c.decodeIfPresent(String.self, forKey: .watchdog_alertname)
        watchdogTimeout = try Self.duration(c, .watchdog_timeout, min: 1) ?? watchdogTimeout
        webhookTokenFile = try c.decodeIfPresent(String.self, forKey: .webhook_token_file)
        restartGrace = try Self.duration(c, .restart_grace, min: 0) ?? restartGrace
    }

    static func duration(_ c: KeyedDecodingContainer<K>, _ key: K, min: Double) throws -> Double? {
        try c.duration(key, min: min)
    }

    /// nil when the section is absent.
    public static func load(_ config: Config) throws -> AlertmanagerConfig? {
        try config.section("alertmanager", as: AlertmanagerConfig.self)
    }
}

/// Reads a secret from a file (first line, trimmed); errors name the key, never the content.
package func readSecretFile(_ path: String, key: String, config: Config) throws -> String {
    let full = config.resolvePath(path)
    guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
        throw ConfigError(file: config.source, key: key, message: "cannot read \(full)")
    }
    let secret = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !secret.isEmpty else { throw ConfigError(file: config.source, key: key, message: "\(full) is empty") }
    return secret
}
