import Foundation
import OpsbotCore
import OpsbotSupport

/// `/status` asks each host once: every session through sshd costs 0.3–0.6 s, so a host with
/// ten services answers one `statuses` request for all of them instead of ten `status`
/// requests. Hosts are asked at once, each within its own timeout and the caller's deadline.
///
/// A remote `opsbot remote` that predates `statuses` refuses it as invalid; that host is then
/// asked per service (as before) and the one request is tried again after `retryBatchAfter`.
enum RemoteStatuses {
    static let retryBatchAfter: TimeInterval = 600

    /// The status of each backend (keyed by its index in `backends`).
    static func collect(_ backends: [(Int, RemoteBackend)], deadline: Date? = nil) async -> [Int: ServiceStatus] {
        let byHost = Dictionary(grouping: backends, by: \.1.host)
        return await withTaskGroup(of: [Int: ServiceStatus].self) { g in
            for (host, list) in byHost {
                g.addTask { await ask(host, list, within: deadline.map { $0.timeIntervalSinceNow - 0.5 }) }
            }
            var out: [Int: ServiceStatus] = [:]
            for await part in g { out.merge(part) { a, _ in a } }
            return out
        }
    }

    /// One host's services: one `statuses` request, or one `status` each from an older remote.
    static func ask(_ host: String, _ list: [(Int, RemoteBackend)], within: Double?) async -> [Int: ServiceStatus] {
        guard let client = list.first?.1.client else { return [:] }
        let refusedAt = client.batchRefusedAt.withLock { $0[host] }
        if list.count > 1, refusedAt.map({ Date().timeIntervalSince($0) >= retryBatchAfter }) ?? true {
            var names: [String] = []
            for (_, b) in list where !names.contains(b.remoteName) { names.append(b.remoteName) }
            switch await client.call(host, RemoteRequest(op: .statuses, services: names), within: within) {
            case .success(let r):
                let answers = Dictionary((r.statuses ?? []).map { ($0.service, $0) }, uniquingKeysWith: { a, _ in a })
                var out: [Int: ServiceStatus] = [:]
                for (i, b) in list {
                    if let s = answers[b.remoteName]?.status {
                        out[i] = s.serviceStatus
                    } else {
                        let answer = answers[b.remoteName]
                        let why: BackendText = answer?.error.map { .remoteRefusedService(host: host, reason: LocalizedText(en: $0, ru: answer?.errorRU ?? $0)) }
                            ?? .remoteNoStatusFor(host: host, service: b.remoteName)
                        out[i] = ServiceStatus(state: .unknown, BackendText.remoteFailed.localized, error: why.localized)
                    }
                }
                client.batchRefusedAt.withLock { $0[host] = nil }
                return out
            case .failure(.remote(_, let message)) where message.en.contains("not valid JSON for opsbot remote"):
                // An opsbot remote from before `statuses`: ask it the old way.
                client.batchRefusedAt.withLock { $0[host] = Date() }
                Log.info("remote \(host): its opsbot remote does not know the statuses request (older version); /status asks it per service")
            case .failure(let f):
                return Dictionary(list.map { ($0.0, RemoteBackend.unknown(f)) }, uniquingKeysWith: { a, _ in a })
            }
        }
        return await withTaskGroup(of: (Int, ServiceStatus).self) { g in
            for (i, b) in list { g.addTask { (i, await b.status(within: within)) } }
            var out: [Int: ServiceStatus] = [:]
            for await (i, s) in g { out[i] = s }
            return out
        }
    }
}
