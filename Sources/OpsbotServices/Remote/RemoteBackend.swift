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

    var restartDescription: String { "opsbot remote on \(host): restart \(remoteName) (with \(host)'s own backend)" }

    private func call(_ r: RemoteRequest) async throws -> RemoteResponse {
        switch await client.call(host, r) {
        case .success(let resp): return resp
        case .failure(let f): throw BackendError(f.description)
        }
    }

    func status() async -> ServiceStatus { await status(within: nil) }

    /// `within`: the caller's deadline in seconds, when shorter than the host's timeout.
    func status(within: Double?) async -> ServiceStatus {
        switch await client.call(host, RemoteRequest(op: .status, service: remoteName), within: within) {
        case .success(let r):
            guard let s = r.status else { return ServiceStatus(state: .unknown, detail: "\(host): answer without a status", error: "\(host): answer without a status") }
            return s.serviceStatus
        case .failure(let f):
            return RemoteBackend.unknown(f)
        }
    }

    /// A status the host could not give: unknown, with why.
    static func unknown(_ f: SSHClient.Failure) -> ServiceStatus {
        let detail: String
        switch f {
        case .unreachable: detail = "host unreachable"
        case .timedOut: detail = "host did not answer in time"
        case .remote: detail = "remote request failed"
        }
        return ServiceStatus(state: .unknown, detail: detail, error: f.description)
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
            result.notes.append("opsbot remote on \(host) is older and ignored part of the filter (\(missing.summary)); it was applied here to the \(result.lines.count) line(s) it sent, \(kept.count) matched")
            result.lines = kept
        }
        return result
    }

    func restart() async throws {
        _ = try await call(RemoteRequest(op: .restart, service: remoteName))
    }

    func instances() async throws -> [ServiceInstance] {
        let r = try await call(RemoteRequest(op: .instances, service: remoteName))
        if let why = r.instancesUnknown { throw InstancesUnknown("\(host): \(why)") }
        guard let list = r.instances else { throw InstancesUnknown("\(host) sent no instance list") }
        return list.map(\.serviceInstance)
    }

    func stop(_ instance: ServiceInstance) async throws -> String {
        let r = try await call(RemoteRequest(op: .stop, service: remoteName, instance: instance.id))
        return "\(host): " + (r.message ?? "stopped \(instance.id)")
    }

    func environment() async throws -> [String: String] {
        throw BackendError("\(config.name) runs on \(host): its environment is not read over SSH (values would cross the network)")
    }
}

/// A service that cannot be served at all (a remote service without an SSH client): unknown.
struct UnavailableBackend: ServiceBackend {
    let config: ServiceConfig
    let reason: String
    var restartDescription: String { "nothing (\(reason))" }
    func status() async -> ServiceStatus { ServiceStatus(state: .unknown, detail: reason, error: reason) }
    func logs(lines: Int, filter: LineFilter) async throws -> LogsResult { throw BackendError(reason) }
    func restart() async throws { throw BackendError(reason) }
}
