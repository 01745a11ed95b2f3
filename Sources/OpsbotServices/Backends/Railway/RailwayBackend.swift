import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// One service in one environment of a Railway project, through Railway's public GraphQL API:
/// the latest deployment and its replicas for `/status` and `/conflicts`, its logs for `/logs`,
/// deploymentRestart / deploymentRedeploy for `/restart` / `/redeploy`, numReplicas for
/// `/scale`, the service variables for `/env` (values never shown).
///
/// Railway reports most failures as HTTP 200 with an `errors` array: those are read on every
/// answer (rate limits retried, "Not Authorized" named with the token variable).
public struct RailwayBackend: ScalableBackend, RedeployableBackend {
    public let config: ServiceConfig
    let railway: RailwayServiceConfig
    let api: PlatformAPI
    /// The deployment as it was when a restart/redeploy was requested. Railway documents no
    /// field a restart must change, so every sign the API exposes counts (see `Snapshot`); with
    /// none by the deadline the restart is "requested, not verifiable", never "failing".
    private let beforeRestart: RestartWatch<Snapshot>

    /// What a restart shows through Railway's API: another latest deployment (a redeploy), a
    /// status transition of the deployment or of a replica (SUCCESS → DEPLOYING, RUNNING →
    /// RESTARTING), another status time, other replica ids, or a new instance execution (a
    /// container run) of the deployment.
    struct Snapshot: Sendable, Equatable {
        var id: String
        var status: String
        var statusUpdatedAt: String?
        var instances: [String]
        /// Instance executions of the deployment, when Railway lists them (nil: not readable).
        var executions: Set<String>?

        /// True when `now` shows any sign of a restart since `self` was taken.
        func changed(_ now: Snapshot) -> Bool {
            if now.id != id || now.status != status || now.statusUpdatedAt != statusUpdatedAt || now.instances != instances { return true }
            if let before = executions, let after = now.executions, !after.subtracting(before).isEmpty { return true }
            return false
        }
    }

    struct Deployment: Sendable {
        var id: String
        var status: String
        var createdAt: Date?
        var statusUpdatedAt: String?
        var instances: [(id: String, status: String)]
        var snapshot: Snapshot {
            Snapshot(id: id, status: status, statusUpdatedAt: statusUpdatedAt, instances: instances.map { "\($0.id) \($0.status)" }.sorted())
        }
    }

    struct Instance: Sendable {
        var numReplicas: Int?
        var latest: Deployment?
    }

    public init(config: ServiceConfig, environment: [String: String], clock: any OpsClock = SystemClock()) {
        self.config = config
        railway = config.railway!
        beforeRestart = RestartWatch(clock: clock, limit: config.restartWait + 2)
        let kind = railway.tokenKind
        api = PlatformAPI(platform: "Railway", token: railway.token, environment: environment, timeout: railway.timeout, clock: clock) { token in
            kind == .project ? ["Project-Access-Token": token] : ["Authorization": "Bearer \(token)"]
        }
    }

    // MARK: - GraphQL

    /// Posts one document; `errors` in a 200 answer become errors (rate limits are retried).
    func graphql(_ query: String, _ variables: [String: Any], permission: BackendText) async throws -> (data: [String: Any], note: LocalizedText?) {
        let body = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables], options: [.sortedKeys])
        var waited = 0.0
        var attempt = 0
        while true {
            let a = try await api.send("POST", railway.apiURL, body: body, headers: ["Content-Type": "application/json"], permission: permission)
            let obj = try? JSONSerialization.jsonObject(with: a.response.body) as? [String: Any]
            let errors = (obj?["errors"] as? [[String: Any]]) ?? []
            if let first = errors.first {
                let msg = String((first["message"] as? String ?? "unknown error").prefix(300))
                let lower = msg.lowercased()
                if lower.contains("rate limit") || lower.contains("too many requests") {
                    let wait = PlatformAPI.retryAfter(a.response) ?? Double(2 << attempt)
                    if attempt >= api.retries || waited + wait > api.rateLimitBudget {
                        throw BackendError(.railwayRateGaveUp(message: msg, waited: Int(waited), retryIn: Int(wait.rounded(.up))))
                    }
                    try await api.clock.sleep(seconds: wait)
                    waited += wait
                    attempt += 1
                    continue
                }
                if lower.contains("not authorized") || lower.contains("unauthorized") || lower.contains("forbidden") {
                    throw BackendError(.railwayRefused(token: railway.token.source, message: msg, permission: permission,
                                                       project: railway.projectID, environment: railway.environmentID))
                }
                throw BackendError(.railwayError(message: msg))
            }
            guard (200..<300).contains(a.response.status) else {
                throw BackendError(.railwayHTTP(status: a.response.status, message: PlatformAPI.message(a.response)))
            }
            guard let data = obj?["data"] as? [String: Any] else { throw BackendError(.railwayNoData) }
            let notes = [waited > 0 ? BackendText.rateLimitWaited(seconds: Int(waited.rounded(.up))).localized : nil, a.note].compactMap { $0 }
            return (data, notes.isEmpty ? nil : BackendText.notes(notes).localized)
        }
    }

    func serviceInstance() async throws -> (Instance, LocalizedText?) {
        let (data, note) = try await graphql(RailwayQueries.status, ["environmentId": railway.environmentID, "serviceId": railway.serviceID],
                                             permission: .permReadService)
        guard let si = data["serviceInstance"] as? [String: Any] else { throw BackendError(.railwayNoServiceInstance(id: railway.serviceID)) }
        var latest: Deployment? = nil
        if let d = si["latestDeployment"] as? [String: Any], let id = d["id"] as? String {
            let inst = (d["instances"] as? [[String: Any]] ?? []).map { (id: $0["id"] as? String ?? "?", status: $0["status"] as? String ?? "?") }
            latest = Deployment(id: id, status: d["status"] as? String ?? "?", createdAt: PlatformDate.parse(d["createdAt"] as? String),
                                statusUpdatedAt: d["statusUpdatedAt"] as? String, instances: inst)
        }
        return (Instance(numReplicas: si["numReplicas"] as? Int, latest: latest), note)
    }

    func latestDeployment() async throws -> Deployment {
        guard let d = try await serviceInstance().0.latest else { throw BackendError(.railwayNoDeployment(service: config.name)) }
        return d
    }

    // MARK: - ServiceBackend

    public func status() async -> ServiceStatus {
        let si: Instance
        let note: LocalizedText?
        do { (si, note) = try await serviceInstance() } catch {
            var st = ServiceStatus(state: .unknown, BackendText.railwayDidNotAnswer.localized, error: BackendText.words(error))
            st.instancesUnknownText = BackendText.words(error)
            return st
        }
        var st = RailwayBackend.summarize(si, name: config.name)
        if let before = beforeRestart.before, let d = si.latest {
            var now = d.snapshot
            // A new run of the same deployment is asked for only while nothing cheaper showed.
            if !before.changed(now), before.executions != nil { now.executions = await executions(of: d.id) }
            if before.changed(now) {
                beforeRestart.end()
            } else if st.state == .running {
                let unchanged = BackendText.railwayUnchanged(deployment: String(d.id.prefix(8)), status: d.status, executions: before.executions != nil).localized
                st.restartUnconfirmed = UnconfirmedRestart(unchanged: unchanged, alwaysVisible: false)
                st.detailText = BackendText.restartRequested(unchanged: unchanged, detail: st.detailText).localized
            }
        }
        if let note { st.detailText = BackendText.joined(st.detailText, BackendText.joined(LocalizedText(verbatim: " · "), BackendText.platformNote(platform: "Railway", note: note).localized).localized).localized }
        return st
    }

    /// Ids of the deployment's instance executions (its container runs), from both ends of the
    /// list (the schema leaves its order open); nil when Railway does not answer.
    func executions(of deploymentID: String) async -> Set<String>? {
        guard let (data, _) = try? await graphql(RailwayQueries.executions, ["environmentId": railway.environmentID, "serviceId": railway.serviceID],
                                                 permission: .permReadExecutions) else { return nil }
        var ids = Set<String>()
        for key in ["newest", "oldest"] {
            guard let edges = (data[key] as? [String: Any])?["edges"] as? [[String: Any]] else { return nil }
            for e in edges {
                guard let n = e["node"] as? [String: Any], let id = n["id"] as? String else { continue }
                if n["deploymentId"] as? String == deploymentID { ids.insert(id) }
            }
        }
        return ids
    }

    /// Deployment status (SUCCESS, CRASHED, FAILED, DEPLOYING, SLEEPING…) and its replicas into one status.
    static func summarize(_ si: Instance, name: String) -> ServiceStatus {
        guard let d = si.latest else {
            var st = ServiceStatus(state: .stopped, BackendText.railwayNoDeploymentShort.localized)
            st.configured = si.numReplicas
            st.instances = 0
            return st
        }
        let running = d.instances.filter { $0.status == "RUNNING" }
        let detail = BackendText.railwayDetail(status: d.status, running: running.count, replicas: si.numReplicas,
                                               deployedAgo: d.createdAt.map { max(0, Date().timeIntervalSince($0)) })
        var st = ServiceStatus(state: .unknown, detail.localized, startedAt: d.createdAt, instances: running.count)
        st.configured = si.numReplicas
        st.releaseText = BackendText.railwayRelease(deployment: String(d.id.prefix(8))).localized
        st.releasedAt = d.createdAt
        switch d.status {
        case "SUCCESS":
            if d.instances.contains(where: { $0.status == "CRASHED" }) {
                st.state = .failed
                st.errorText = BackendText.replicaCrashed.localized
            } else if d.instances.isEmpty || !running.isEmpty {
                st.state = .running
            } else {
                st.state = .starting
            }
            if d.instances.isEmpty { st.instancesUnknownText = BackendText.railwayNoReplicas(deployment: String(d.id.prefix(8))).localized }
        case "CRASHED", "FAILED":
            st.state = .failed
            st.errorText = BackendText.deploymentFailed(status: d.status, service: name).localized
        case "BUILDING", "DEPLOYING", "INITIALIZING", "QUEUED", "WAITING", "NEEDS_APPROVAL":
            st.state = .starting
        case "SLEEPING":
            st.state = .stopped
            st.detailText = BackendText.railwaySleeping(detail: st.detailText).localized
        default:  // REMOVED, REMOVING, SKIPPED
            st.state = .stopped
        }
        return st
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        let d = try await latestDeployment()
        let fetch = min(5000, filter.isEmpty ? lines : max(lines * 20, 500))
        let (data, note) = try await graphql(RailwayQueries.logs, ["deploymentId": d.id, "limit": fetch], permission: .permReadLogs)
        // Railway's `severity` (err, warn…) counts for the level filter: a line it marks as an
        // error is one even when its text has no ERROR or Traceback.
        let all = (data["deploymentLogs"] as? [[String: Any]] ?? []).map { l -> (line: LogLine, priority: Int?) in
            let ts = l["timestamp"] as? String ?? ""
            let msg = Sanitize.line(Array((l["message"] as? String ?? "").utf8))
            return (LogLine(ts.isEmpty ? msg : "\(ts) \(msg)", time: PlatformDate.parse(ts)), (l["severity"] as? String).flatMap(LineFilter.priority(severity:)))
        }
        var kept: [LogLine] = []
        for (l, priority) in all.reversed() {
            if let since = filter.since, let t = l.time, t < since { break }
            if filter.matchesContent(l.text, priority: priority) { kept.append(l) }
            if kept.count >= lines { break }
        }
        var notes = [BackendText.railwayLogsDeployment(deployment: String(d.id.prefix(8)), status: d.status).text()]
        if let note { notes.append(BackendText.platformNote(platform: "Railway", note: note).text()) }
        return LogsResult(lines: kept.reversed(), notes: notes, reachedLimit: all.count >= fetch)
    }

    public var restartDescription: String { BackendText.railwayRestartDescription(service: config.name).text() }

    /// Takes the snapshot a restart or redeploy is verified against.
    private func watch() async throws -> Deployment {
        let d = try await latestDeployment()
        var snap = d.snapshot
        snap.executions = await executions(of: d.id)
        beforeRestart.begin(snap)
        return d
    }

    public func restart() async throws {
        let d = try await watch()
        let data: [String: Any]
        do { (data, _) = try await graphql(RailwayQueries.restart, ["id": d.id], permission: .permRestartDeployments) } catch {
            beforeRestart.end()
            throw error
        }
        guard data["deploymentRestart"] as? Bool == true else {
            beforeRestart.end()
            throw BackendError(.railwayRestartRefused(deployment: String(d.id.prefix(8)), status: d.status))
        }
    }

    public func endRestartWatch() { beforeRestart.end() }

    public var redeployDescription: String { BackendText.railwayRedeployDescription(service: config.name).text() }

    public func redeploy() async throws {
        let d = try await watch()
        do {
            let (data, _) = try await graphql(RailwayQueries.redeploy, ["id": d.id], permission: .permRedeploy)
            guard (data["deploymentRedeploy"] as? [String: Any])?["id"] is String else { throw BackendError(.railwayRedeployNoDeployment) }
        } catch {
            beforeRestart.end()
            throw error
        }
    }

    public func instances() async throws -> [ServiceInstance] {
        let d: Deployment
        do { d = try await latestDeployment() } catch { throw InstancesUnknown(BackendText.words(error)) }
        if d.instances.isEmpty && d.status == "SUCCESS" { throw InstancesUnknown(.railwayNoReplicas(deployment: String(d.id.prefix(8)))) }
        return d.instances.filter { $0.status == "RUNNING" }.map { i in
            ServiceInstance(kind: .replica, id: i.id, description: BackendText.replicaInstance(id: String(i.id.prefix(12)), deployment: String(d.id.prefix(8)), status: i.status).text(),
                            startedAt: d.createdAt, supervised: true)
        }
    }

    public func environment() async throws -> [String: String] {
        let (data, _) = try await graphql(RailwayQueries.variables,
                                          ["projectId": railway.projectID, "environmentId": railway.environmentID, "serviceId": railway.serviceID],
                                          permission: .permReadVariables)
        guard let o = data["variables"] as? [String: Any] else { throw BackendError(.railwayVariablesNotObject) }
        return o.compactMapValues { $0 as? String }
    }

    public var scaleAppliesAtOnce: Bool { false }

    public func scaleDescription(to n: Int) -> String {
        BackendText.railwayScaleDescription(replicas: n).text()
    }

    public func scale(to n: Int) async throws -> String {
        let old = try? await serviceInstance().0.numReplicas
        let manual = BackendText.railwayScaleManual(old: old, replicas: n)
        let data: [String: Any]
        do {
            (data, _) = try await graphql(RailwayQueries.scale, ["environmentId": railway.environmentID, "serviceId": railway.serviceID, "replicas": n],
                                          permission: .permUpdateService)
        } catch {
            throw BackendError(.railwayScaleFailed(error: BackendText.words(error), manual: manual))
        }
        guard data["serviceInstanceUpdate"] as? Bool == true else { throw BackendError(.railwayScaleRefused(replicas: n, manual: manual)) }
        return BackendText.railwayScaled(service: config.name, old: old, replicas: n).text()
    }
}
