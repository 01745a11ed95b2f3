import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// A service on another machine (`host:` on a service): every operation is one request to
/// `opsbot remote` on that host, which serves it with its own local backend. An unreachable
/// host, a timeout or a refusal makes the service *unknown* — never stopped or failed.
struct RemoteBackend: ServiceBackend {
    let config: ServiceConfig
    let host: String
    let client: SSHClient
    /// The service's name in the remote host's own config.
    var remoteName: String { config.remoteService ?? config.name }

    var restartDescription: String { BackendText.remoteRestartDescription(host: host, service: remoteName).text() }

    private func call(_ r: RemoteRequest) async throws -> RemoteResponse {
        switch await client.call(host, r) {
        case .success(let resp): return resp
        case .failure(let f): throw BackendError(f.text)
        }
    }

    func status() async -> ServiceStatus { await status(within: nil) }

    /// `within`: the caller's deadline in seconds, when shorter than the host's timeout.
    func status(within: Double?) async -> ServiceStatus {
        switch await client.call(host, RemoteRequest(op: .status, service: remoteName), within: within) {
        case .success(let r):
            guard let s = r.status else {
                let t = BackendText.remoteNoStatus(host: host).localized
                return ServiceStatus(state: .unknown, t, error: t)
            }
            return s.serviceStatus
        case .failure(let f):
            return RemoteBackend.unknown(f)
        }
    }

    /// A status the host could not give: unknown, with why.
    static func unknown(_ f: SSHClient.Failure) -> ServiceStatus {
        let detail: BackendText = switch f {
        case .unreachable: .hostUnreachable
        case .timedOut: .hostTimedOut
        case .remote: .remoteFailed
        }
        return ServiceStatus(state: .unknown, detail.localized, error: f.text)
    }

    func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        let r = try await call(RemoteRequest(logs: remoteName, lines: lines, filter: filter))
        var result = LogsResult(lines: (r.lines ?? []).map { LogLine($0.text, time: $0.time.map { Date(timeIntervalSince1970: $0) }) }, notes: r.notes ?? [])
        // A remote opsbot that predates a filter field ignores it (JSON decoding skips unknown
        // keys): what it did not apply is applied here, so its lines never pass for matches.
        let applied = Set(r.filterFields ?? RemoteRequest.legacyFilterFields)
        var missing = LineFilter()
        if !applied.contains("text") { missing.text = filter.text }
        if !applied.contains("regex") { missing.regex = filter.regex }
        if !applied.contains("chatRegex") { missing.chatRegex = filter.chatRegex }
        if missing.filtersContent {
            let kept = result.lines.filter { missing.matchesContent($0.text) }
            result.notes.append(BackendText.remoteOlderFilter(host: host, filter: missing.summary, sent: result.lines.count, matched: kept.count).text())
            result.lines = kept
        }
        return result
    }

    func restart() async throws {
        _ = try await call(RemoteRequest(op: .restart, service: remoteName))
    }

    func instances() async throws -> [ServiceInstance] {
        let r = try await call(RemoteRequest(op: .instances, service: remoteName))
        if let why = r.instancesUnknown {
            throw InstancesUnknown(BackendText.serviceWarning(service: host, why: LocalizedText(en: why, ru: r.instancesUnknownRU ?? why)).localized)
        }
        guard let list = r.instances else { throw InstancesUnknown(.remoteNoInstanceList(host: host)) }
        return list.map(\.serviceInstance)
    }

    func stop(_ instance: ServiceInstance) async throws -> String {
        let r = try await call(RemoteRequest(op: .stop, service: remoteName, instance: instance.id))
        return r.message.map { "\(host): " + $0 } ?? BackendText.remoteStopped(host: host, id: instance.id).text()
    }

    func environment() async throws -> [String: String] {
        throw BackendError(.remoteNoEnvironment(service: config.name, host: host))
    }
}

/// A service that cannot be served at all (a remote service without an SSH client): unknown.
struct UnavailableBackend: ServiceBackend {
    let config: ServiceConfig
    let reason: String
    var restartDescription: String { BackendText.unavailableRestartDescription(reason: reason).text() }
    func status() async -> ServiceStatus { ServiceStatus(state: .unknown, detail: reason, error: reason) }
    func logs(lines: Int, filter: LineFilter) async throws -> LogsResult { throw BackendError(reason) }
    func restart() async throws { throw BackendError(reason) }
}
