// OpsbotHTTPListener — the optional HTTP port: /metrics, /healthz and Alertmanager's webhook.
// Depends on OpsbotCore, OpsbotAlerts (gauges) and OpsbotAlertmanager (the webhook's wakeup).

import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotAlertmanager

/// `listen: 127.0.0.1:9464` turns on the HTTP listener: `GET /metrics`, `GET /healthz` and
/// `POST /alertmanager` (Alertmanager's webhook: wakes the poll, answers at once). Off when
/// absent, so single-host setups and the demo open no port.
public struct HTTPListenerFeature: Feature {
    public static var configSections: [ConfigSection] { [ConfigSection("listen", as: Address.self)] }

    /// The webhook wakes it; nil: POST /alertmanager answers 404.
    let source: AlertmanagerSource?
    /// For the alert and outbox gauges of /metrics.
    let alerts: AlertsFeature?

    public init(source: AlertmanagerSource?, alerts: AlertsFeature?) {
        self.source = source
        self.alerts = alerts
    }

    /// `host:port`, IPv4.
    public struct Address: Decodable, Sendable, Equatable {
        public var host: String
        public var port: UInt16
        public init(host: String, port: UInt16) { self.host = host; self.port = port }
        public init(from d: Decoder) throws {
            let c = try d.singleValueContainer()
            let s = try c.decode(String.self)
            guard let colon = s.lastIndex(of: ":"), let p = UInt16(s[s.index(after: colon)...]) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected host:port such as 127.0.0.1:9464, got \"\(s)\"")
            }
            host = String(s[..<colon])
            port = p
            var a = in_addr()
            guard inet_pton(AF_INET, host, &a) == 1 else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an IPv4 address such as 127.0.0.1 or 0.0.0.0, got \"\(host)\"")
            }
        }
    }

    public static func address(_ config: Config) throws -> Address? {
        try config.section("listen", as: Address.self)
    }

    public static func validate(_ config: Config) -> [ConfigError] {
        do { _ = try address(config) } catch let e as ConfigError { return [e] } catch {
            return [ConfigError(file: config.source, key: "listen", message: "\(error)")]
        }
        return []
    }

    public func runBackground(_ app: AppContext) async {
        guard let addr = try? Self.address(app.config) else { return }
        let listener: HTTPListener
        do { listener = try start(app, addr) } catch {
            Log.error("listen: \(error)")
            return
        }
        Log.info("listening on \(listener.host):\(listener.port) (/metrics, /healthz\(source != nil ? ", POST /alertmanager" : ""))")
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        listener.stop()
    }

    /// Builds and starts the listener for `app` (tests call this with port 0).
    public func start(_ app: AppContext, _ addr: Address) throws -> HTTPListener {
        let source = source, alerts = alerts
        var token: String?
        if let f = source?.config.webhookTokenFile { token = try readSecretFile(f, key: "alertmanager.webhook_token_file", config: app.config) }
        let webhookToken = token
        // Taken now, in the caller's task: the handlers run on the listener's own threads.
        let metrics = OpsMetrics.current
        if source != nil, token == nil, addr.host != "127.0.0.1" {
            Log.warning("listen: POST /alertmanager on \(addr.host) has no bearer token (alertmanager.webhook_token_file): anyone who reaches it can make opsbot poll")
        }
        let listener = HTTPListener(host: addr.host, port: addr.port, gate: { method, path, headers in
            guard path == "/alertmanager" else { return nil }
            guard method == "POST" else { return .init(status: 405, body: "POST only\n") }
            guard source != nil else { return .init(status: 404, body: "alertmanager is not configured\n") }
            if let webhookToken {
                let given = headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
                guard constantTimeEquals(given, webhookToken) else {
                    metrics.webhook(result: "unauthorized")
                    return .init(status: 401, body: "unauthorized\n")
                }
            }
            return nil
        }) { req in
            switch (req.method, req.path) {
            case ("GET", "/metrics"), ("HEAD", "/metrics"):
                return .init(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: { if let svc = try? alerts?.service() { metrics.setAlertGauges(svc, now: app.clock.now()) }; return metrics.render(app) }())
            case ("GET", "/healthz"), ("HEAD", "/healthz"):
                return Self.health(app)
            case ("POST", "/alertmanager"):
                metrics.webhook(result: "accepted")
                source?.wakeup.signal()
                return .init(status: 202, body: "polling\n")
            default:
                return .init(status: 404, body: "not found (try /metrics, /healthz)\n")
            }
        }
        try listener.start()
        return listener
    }

    /// 200 while the process is up and Telegram polling succeeded recently (or has not had the
    /// time to: the first poll, the console); 503 with the reason otherwise.
    static func health(_ app: AppContext) -> HTTPListener.Response {
        let now = Date()
        let grace = Double(app.config.telegram.pollTimeout) + 60
        if let last = app.pollingHealth.lastSuccess {
            let age = now.timeIntervalSince(last)
            if age > grace { return .init(status: 503, body: "unhealthy: last successful getUpdates \(Int(age)) s ago\n") }
            return .init(status: 200, body: "ok: last successful getUpdates \(Int(age)) s ago\n")
        }
        let up = now.timeIntervalSince(app.startedAt)
        if app.transport is TelegramTransport && up > grace {
            return .init(status: 503, body: "unhealthy: no successful getUpdates in \(Int(up)) s\n")
        }
        return .init(status: 200, body: "ok\n")
    }
}
