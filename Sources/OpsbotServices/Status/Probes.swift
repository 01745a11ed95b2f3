import Foundation
import HTTPClient
import SystemOps
#if canImport(Glibc)
import Glibc
import OpsbotCore
import OpsbotSupport
#endif

/// The result of one HTTP health probe.
public struct HealthResult: Sendable, Hashable {
    public var endpoint: HealthEndpoint
    public var status: Int?
    public var seconds: Double
    public var error: String?
    /// The error in Russian when the probe said it in its own words (nil: the English one, verbatim).
    public var errorRU: String? = nil
    public var ok: Bool { error == nil && status == endpoint.expect }
    public var slow: Bool { ok && seconds > endpoint.slow }

    /// `200 in 35 ms`, `503 in 12 ms (expected 200)`, `timeout after 5 s`.
    public var summary: String { summaryText.en }
    /// The summary in `language` (the chat's).
    public func summary(_ language: Language) -> String { summaryText.text(language) }
    /// The summary in every language.
    public var summaryText: LocalizedText {
        if let error { return LocalizedText(en: error, ru: errorRU ?? error) }
        guard let status else { return StatusText.healthNoAnswer.localized }
        return StatusText.healthSummary(status: status, seconds: seconds, expect: endpoint.expect).localized
    }

}

extension HealthResult {
    init(endpoint: HealthEndpoint, status: Int?, seconds: Double, error: some Localizable) {
        self.init(endpoint: endpoint, status: status, seconds: seconds, error: error.english, errorRU: error.russian)
    }
}

/// HTTP health endpoints, external dependencies (HTTP, TCP, DNS), each with its own timeout.
public enum Probes {
    /// Times the probe on `clock` (the HTTP transfer's own time when curl reports one).
    public static func health(_ e: HealthEndpoint, clock: any OpsClock = SystemClock()) async -> HealthResult {
        let elapsed = clock.stopwatch()
        let timedOut = HealthResult(endpoint: e, status: nil, seconds: e.timeout, error: StatusText.healthNoAnswerWithin(seconds: e.timeout))
        return await withDeadline(.seconds(e.timeout + 0.25), fallback: timedOut) {
            do {
                let r = try await HTTPClient.send(HTTPRequest(url: e.url, connectTimeout: min(e.timeout, 3), timeout: e.timeout, unixSocketPath: e.unixSocket))
                return HealthResult(endpoint: e, status: r.status, seconds: r.totalTime > 0 ? r.totalTime : elapsed(), error: nil)
            } catch let err as HTTPError {
                let why: LocalizedText = switch err.kind {
                case .timeout: err.plainWordsMessage(timeout: e.timeout).localized
                case .connect: StatusText.healthConnect.localized
                case .dns: StatusText.healthDNS.localized
                case .other: LocalizedText(verbatim: Redactor.shared.redact(err.plainWords()))
                }
                return HealthResult(endpoint: e, status: nil, seconds: elapsed(), error: why.en, errorRU: why.ru)
            } catch {
                return HealthResult(endpoint: e, status: nil, seconds: elapsed(), error: Redactor.shared.redact("\(error)"))
            }
        }
    }

    public struct DependencyResult: Sendable {
        public var name: String
        public var ok: Bool
        public var seconds: Double
        /// What was found, in every language (`HTTP 200`, `does not resolve`).
        public var detailText: LocalizedText
        public var detail: String { detailText.en }
    }

    public static func dependency(_ d: DependencyConfig, clock: any OpsClock = SystemClock()) async -> DependencyResult {
        let elapsed = clock.stopwatch()
        let fallback = DependencyResult(name: d.name, ok: false, seconds: d.timeout, detailText: StatusText.healthNoAnswerWithin(seconds: d.timeout).localized)
        return await withDeadline(.seconds(d.timeout + 0.25), fallback: fallback) {
            if let url = d.url {
                let e = HealthEndpoint(name: d.name, url: url, expect: d.expect ?? 200, timeout: d.timeout, slow: d.timeout)
                let r = await health(e, clock: clock)
                // Without `expect`, any HTTP answer means reachable (a 404 from an API root is fine).
                let ok = d.expect == nil ? r.status != nil : r.ok
                return DependencyResult(name: d.name, ok: ok, seconds: r.seconds, detailText: r.status.map { StatusText.dependencyHTTP(status: $0).localized } ?? r.summaryText)
            }
            if let tcp = d.tcp {
                let host = String(tcp[..<tcp.lastIndex(of: ":")!]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                let port = Int(tcp[tcp.index(after: tcp.lastIndex(of: ":")!)...]) ?? 0
                let err = await runBlocking(name: "opsbot.tcp") { tcpConnect(host: host, port: port, timeout: d.timeout) }
                return DependencyResult(name: d.name, ok: err == nil, seconds: elapsed(), detailText: (err ?? .dependencyTCPOK).localized)
            }
            let host = d.dns ?? ""
            let addrs = await runBlocking(name: "opsbot.dns") { resolve(host) }
            return DependencyResult(name: d.name, ok: !addrs.isEmpty, seconds: elapsed(),
                                    detailText: (addrs.isEmpty ? StatusText.dependencyNoResolve : .dependencyResolves(count: addrs.count)).localized)
        }
    }

    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, nil, &hints, &res) == 0 else { return [] }
        defer { freeaddrinfo(res) }
        var out: [String] = []
        var p = res
        while let a = p { out.append("\(a.pointee.ai_family)"); p = a.pointee.ai_next }
        return out
    }

    /// Non-blocking connect bounded by `timeout`; nil on success, else why.
    static func tcpConnect(host: String, port: Int, timeout: Double) -> StatusText? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else { return .tcpCannotResolve(host: host) }
        defer { freeaddrinfo(res) }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .tcpSocketFailed }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return nil }
        guard errno == EINPROGRESS else { return .tcpConnectFailed(error: String(cString: strerror(errno))) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let rc = poll(&pfd, 1, Int32(timeout * 1000))
        if rc == 0 { return .tcpTimedOut(seconds: timeout) }
        var soErr: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soErr, &len)
        return soErr == 0 ? nil : .tcpConnectFailed(error: String(cString: strerror(soErr)))
    }
}
