import Foundation
import OpsbotCore
import OpsbotSupport

/// `heartbeat:` — a dead man's switch outside this machine that hears from opsbot every round
/// and pages the admin when it stops hearing (host down, process dead, Telegram unreachable).
///
///     heartbeat:
///       url: {file: /etc/opsbot/heartbeat.url}   # or url: https://hc-ping.com/<uuid>
///       style: healthchecks                   # or uptime_kuma (default: from the URL)
///       interval: 60s                         # at most one ping per interval
///       timeout: 10s                          # per request
///
/// The URL is a secret (anyone holding it can ping): it is registered with the Redactor and
/// shown in logs as its scheme and host only.
public struct HeartbeatConfig: Decodable, Sendable {
    /// Healthchecks.io (and compatible): GET URL, URL/start, POST URL/fail with the reason.
    /// Uptime Kuma push monitor: URL?status=up|down&msg=…&ping=.
    public enum Style: String, Decodable, Sendable, CaseIterable {
        case healthchecks, uptimeKuma = "uptime_kuma"
    }
    /// The ping URL (read from `url: {file: PATH}` by `load`).
    public var url: String
    /// The file holding the URL (relative to the config file), nil when inline.
    public var urlFile: String?
    public var style: Style
    public var interval: Double = 60
    public var timeout: Double = 10
    var styleGiven = true

    enum CodingKeys: String, CodingKey { case url, style, interval, timeout }

    public init(url: String, style: Style? = nil, interval: Double = 60, timeout: Double = 10) {
        self.url = url
        self.style = style ?? Self.guessStyle(url)
        self.interval = interval
        self.timeout = timeout
    }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        var inline: String?
        switch try c.decode(ChildEnvValue.self, forKey: .url) {
        case .value(let v): inline = v
        case .file(let f): urlFile = f
        }
        url = inline?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if inline != nil, let why = Self.problem(url) {
            throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: why)
        }
        style = try c.decodeIfPresent(Style.self, forKey: .style) ?? .healthchecks
        styleGiven = try c.decodeIfPresent(Style.self, forKey: .style) != nil
        interval = try c.duration(.interval, min: 1) ?? 60
        timeout = try c.duration(.timeout, above: true) ?? 10
        if timeout >= interval {
            throw DecodingError.dataCorruptedError(forKey: .timeout, in: c, debugDescription: "must be shorter than interval (\(Durations.format(interval)))")
        }
        if inline != nil { Self.registerSecrets(url) }
    }

    static func problem(_ url: String) -> String? {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            return "expected an http:// or https:// ping URL"
        }
        return nil
    }

    /// Uptime Kuma push URLs are `…/api/push/<token>`; anything else is taken as Healthchecks.
    static func guessStyle(_ url: String) -> Style { url.contains("/api/push/") ? .uptimeKuma : .healthchecks }

    /// The path (a check's UUID, a ping key, a push token) is what makes the URL a secret.
    static func registerSecrets(_ url: String) {
        Redactor.shared.register(url)
        guard let u = URL(string: url) else { return }
        for part in u.path.split(separator: "/") where part.count >= 8 { Redactor.shared.register(String(part)) }
    }

    /// `https://hc-ping.com/…`: what logs may show.
    public var safeURL: String {
        guard let u = URL(string: url), let scheme = u.scheme, let host = u.host else { return "[REDACTED]" }
        return "\(scheme)://\(host)\(u.port.map { ":\($0)" } ?? "")/…"
    }

    public static let section = ConfigSection("heartbeat", as: HeartbeatConfig.self)

    /// The section with the URL file read and the style guessed from the URL when not given.
    public static func load(_ config: Config) throws -> HeartbeatConfig? {
        guard var h = try config.section("heartbeat", as: HeartbeatConfig.self) else { return nil }
        if let f = h.urlFile {
            let path = config.resolvePath(f)
            do { h.url = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
                throw ConfigError(file: config.source, key: "heartbeat.url.file", message: "cannot read \(path): \(plainWords(error))")
            }
            if let why = problem(h.url) { throw ConfigError(file: config.source, key: "heartbeat.url.file", message: "\(path): \(why)") }
            registerSecrets(h.url)
        }
        if !h.styleGiven { h.style = guessStyle(h.url) }
        return h
    }
}
