import Foundation
import HTTPClient
import OpsbotCore
import OpsbotSupport

/// Pings the dead man's switch: `start` when opsbot comes up, `success` after a healthy
/// round, `fail(reason)` after an unhealthy one or when opsbot stops on an error. Every
/// request has its own timeout; a failed ping is logged and never holds anything up.
public struct Heartbeat: Sendable {
    public enum Event: Sendable, Equatable {
        case start, success, fail(String)
    }

    public let config: HeartbeatConfig
    public init(config: HeartbeatConfig) { self.config = config }

    /// The request for an event, in the service's convention.
    public func request(_ event: Event) -> HTTPRequest {
        let connect = min(5, config.timeout)
        switch config.style {
        case .healthchecks:
            let base = config.url.hasSuffix("/") ? String(config.url.dropLast()) : config.url
            switch event {
            case .start: return HTTPRequest(method: "GET", url: base + "/start", connectTimeout: connect, timeout: config.timeout)
            case .success: return HTTPRequest(method: "GET", url: base, connectTimeout: connect, timeout: config.timeout)
            case .fail(let why):
                return HTTPRequest(method: "POST", url: base + "/fail", headers: ["Content-Type": "text/plain; charset=utf-8"],
                                   body: Data(String(Redactor.shared.redact(why).prefix(10_000)).utf8), connectTimeout: connect, timeout: config.timeout)
            }
        case .uptimeKuma:
            let (status, msg) = switch event {
            case .start: ("up", "opsbot started")
            case .success: ("up", "OK")
            case .fail(let why): ("down", String(Redactor.shared.redact(why).prefix(250)))
            }
            var parts = URLComponents(string: config.url) ?? URLComponents()
            parts.queryItems = (parts.queryItems ?? []).filter { !["status", "msg", "ping"].contains($0.name) }
                + [URLQueryItem(name: "status", value: status), URLQueryItem(name: "msg", value: msg), URLQueryItem(name: "ping", value: "")]
            // `+` is a space to Kuma's query parser, so encode it like the rest.
            parts.percentEncodedQuery = parts.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            return HTTPRequest(method: "GET", url: parts.string ?? config.url, connectTimeout: connect, timeout: config.timeout)
        }
    }

    /// Sends one event; true when the service answered 2xx. Failures are logged, never thrown.
    @discardableResult
    public func send(_ event: Event) async -> Bool {
        let name = switch event { case .start: "start"; case .success: "ping"; case .fail: "fail" }
        do {
            let r = try await HTTPClient.send(request(event))
            if (200..<300).contains(r.status) { return true }
            Log.warning("heartbeat: \(name) to \(config.safeURL) answered HTTP \(r.status)")
        } catch is CancellationError {
            Log.warning("heartbeat: \(name) to \(config.safeURL) cancelled")
        } catch {
            Log.warning("heartbeat: \(name) to \(config.safeURL) failed: \(Redactor.shared.redact(plainWords(error)))")
        }
        return false
    }

    /// `start`, then one round per `interval` until cancelled: `assess` returns what is wrong
    /// with opsbot itself (empty: healthy). Sends run detached from the loop, so a hanging
    /// endpoint delays no round; at most one request is in flight.
    public func run(clock: any OpsClock, assess: @escaping @Sendable () async -> [String]) async {
        Log.info("heartbeat: \(config.style.rawValue) at \(config.safeURL), every \(Durations.format(config.interval))")
        let inFlight = Locked(false)
        func fire(_ e: Event) {
            guard inFlight.withLock({ busy in defer { busy = true }; return !busy }) else {
                Log.warning("heartbeat: the previous request to \(config.safeURL) is still running; this round's is skipped")
                return
            }
            Task { await send(e); inFlight.withLock { $0 = false } }
        }
        fire(.start)
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: config.interval) } catch { return }
            let problems = await assess()
            fire(problems.isEmpty ? .success : .fail(problems.joined(separator: "\n")))
        }
    }
}
