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
    func graphql(_ query: String, _ variables: [String: Any], permission: String) async throws -> (data: [String: Any], note: String?) {
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
                        throw BackendError("Railway rate limit (\(msg)): gave up after waiting \(Int(waited)) s; try again in \(Int(wait.rounded(.up))) s")
                    }
                    try await api.clock.sleep(seconds: wait)
                    waited += wait
                    attempt += 1
                    continue
                }
                if lower.contains("not authorized") || lower.contains("unauthorized") || lower.contains("forbidden") {
                    throw BackendError("Railway refused \(railway.token.label) (\(msg)): it needs to \(permission) — a project token must be created for project \(railway.projectID), environment \(railway.environmentID)")
                }
                throw BackendError("Railway: \(msg)")
            }
            guard (200..<300).contains(a.response.status) else {
                throw BackendError("Railway: HTTP \(a.response.status)\(PlatformAPI.message(a.response).map { ": " + $0 } ?? "")")
            }
            guard let data = obj?["data"] as? [String: Any] else { throw BackendError("Railway: the answer has no data") }
            let note = [waited > 0 ? "waited \(Int(waited.rounded(.up))) s for the rate limit" : nil, a.note].compactMap { $0 }.joined(separator: "; ")
            return (data, note.isEmpty ? nil : note)
        }
    }

    func serviceInstance() async throws -> (Instance, String?) {
        let (data, note) = try await graphql(RailwayQueries.status, ["environmentId": railway.environmentID, "serviceId": railway.serviceID],
                                             permission: "read the service")
        guard let si = data["serviceInstance"] as? [String: Any] else { throw BackendError("Railway: no serviceInstance for service \(railway.serviceID)") }
        var latest: Deployment? = nil
        if let d = si["latestDeployment"] as? [String: Any], let id = d["id"] as? String {
            let inst = (d["instances"] as? [[String: Any]] ?? []).map { (id: $0["id"] as? String ?? "?", status: $0["status"] as? String ?? "?") }
            latest = Deployment(id: id, status: d["status"] as? String ?? "?", createdAt: PlatformDate.parse(d["createdAt"] as? String),
                                statusUpdatedAt: d["statusUpdatedAt"] as? String, instances: inst)
        }
        return (Instance(numReplicas: si["numReplicas"] as? Int, latest: latest), note)
    }

    func latestDeployment() async throws -> Deployment {
        guard let d = try await serviceInstance().0.latest else { throw BackendError("Railway: service \(config.name) has no deployment") }
        return d
    }

    // MARK: - ServiceBackend

    public func status() async -> ServiceStatus {
        let si: Instance
        let note: String?
        do { (si, note) = try await serviceInstance() } catch {
            var st = ServiceStatus(state: .unknown, detail: "Railway did not answer", error: "\(error)")
            st.instancesUnknown = "\(error)"
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
                let unchanged = "Railway shows no sign of it (deployment \(d.id.prefix(8)) still \(d.status), same replicas and status time"
                    + (before.executions == nil ? ")" : ", no new instance run)")
                st.restartUnconfirmed = UnconfirmedRestart(unchanged: unchanged, alwaysVisible: false)
                st.detail = "restart requested; \(unchanged) · " + st.detail
            }
        }
        if let note { st.detail += " · Railway: \(note)" }
        return st
    }

    /// Ids of the deployment's instance executions (its container runs), from both ends of the
    /// list (the schema leaves its order open); nil when Railway does not answer.
    func executions(of deploymentID: String) async -> Set<String>? {
        guard let (data, _) = try? await graphql(RailwayQueries.executions, ["environmentId": railway.environmentID, "serviceId": railway.serviceID],
                                                 permission: "read instance executions") else { return nil }
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
            var st = ServiceStatus(state: .stopped, detail: "no deployment")
            st.configured = si.numReplicas
            st.instances = 0
            return st
        }
        let running = d.instances.filter { $0.status == "RUNNING" }
        let replicas = si.numReplicas.map { "\(running.count)/\($0) replicas running" } ?? "\(running.count) replica(s) running"
        var st = ServiceStatus(state: .unknown, detail: "deployment \(d.status) · \(replicas)", startedAt: d.createdAt, instances: running.count)
        st.configured = si.numReplicas
        st.release = "deployment " + String(d.id.prefix(8))
        st.releasedAt = d.createdAt
        if let at = d.createdAt { st.detail += " · deployed \(Durations.format(max(0, Date().timeIntervalSince(at)))) ago" }
        switch d.status {
        case "SUCCESS":
            if d.instances.contains(where: { $0.status == "CRASHED" }) {
                st.state = .failed
                st.error = "a replica crashed"
            } else if d.instances.isEmpty || !running.isEmpty {
                st.state = .running
            } else {
                st.state = .starting
            }
            if d.instances.isEmpty { st.instancesUnknown = "Railway listed no replicas for deployment \(d.id.prefix(8))" }
        case "CRASHED", "FAILED":
            st.state = .failed
            st.error = "deployment \(d.status.lowercased()) → /logs \(name), /restart \(name) or /redeploy \(name)"
        case "BUILDING", "DEPLOYING", "INITIALIZING", "QUEUED", "WAITING", "NEEDS_APPROVAL":
            st.state = .starting
        case "SLEEPING":
            st.state = .stopped
            st.detail = "sleeping (serverless: wakes on the next request) · " + st.detail
        default:  // REMOVED, REMOVING, SKIPPED
            st.state = .stopped
        }
        return st
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        let d = try await latestDeployment()
        let fetch = min(5000, filter.isEmpty ? lines : max(lines * 20, 500))
        let (data, note) = try await graphql(RailwayQueries.logs, ["deploymentId": d.id, "limit": fetch], permission: "read deployment logs")
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
        var notes = ["deployment \(d.id.prefix(8)) (\(d.status))"]
        if let note { notes.append("Railway: \(note)") }
        return LogsResult(lines: kept.reversed(), notes: notes, reachedLimit: all.count >= fetch)
    }

    public var restartDescription: String { "Railway deploymentRestart of the latest deployment of \(config.name) (Dashboard → Deployments → Restart)" }

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
        do { (data, _) = try await graphql(RailwayQueries.restart, ["id": d.id], permission: "restart deployments") } catch {
            beforeRestart.end()
            throw error
        }
        guard data["deploymentRestart"] as? Bool == true else {
            beforeRestart.end()
            throw BackendError("Railway did not restart deployment \(d.id.prefix(8)) (deploymentRestart returned false; status \(d.status))")
        }
    }

    public func endRestartWatch() { beforeRestart.end() }

    public var redeployDescription: String { "Railway deploymentRedeploy of the latest deployment of \(config.name) (Dashboard → Deploy → Redeploy: rebuild and roll out)" }

    public func redeploy() async throws {
        let d = try await watch()
        do {
            let (data, _) = try await graphql(RailwayQueries.redeploy, ["id": d.id], permission: "redeploy")
            guard (data["deploymentRedeploy"] as? [String: Any])?["id"] is String else { throw BackendError("Railway: deploymentRedeploy returned no deployment") }
        } catch {
            beforeRestart.end()
            throw error
        }
    }

    public func instances() async throws -> [ServiceInstance] {
        let d: Deployment
        do { d = try await latestDeployment() } catch { throw InstancesUnknown("\(error)") }
        if d.instances.isEmpty && d.status == "SUCCESS" { throw InstancesUnknown("Railway listed no replicas for deployment \(d.id.prefix(8))") }
        return d.instances.filter { $0.status == "RUNNING" }.map { i in
            ServiceInstance(kind: .replica, id: i.id, description: "replica \(i.id.prefix(12)) of deployment \(d.id.prefix(8)) \(i.status.lowercased())",
                            startedAt: d.createdAt, supervised: true)
        }
    }

    public func environment() async throws -> [String: String] {
        let (data, _) = try await graphql(RailwayQueries.variables,
                                          ["projectId": railway.projectID, "environmentId": railway.environmentID, "serviceId": railway.serviceID],
                                          permission: "read variables")
        guard let o = data["variables"] as? [String: Any] else { throw BackendError("Railway: variables is not an object") }
        return o.compactMapValues { $0 as? String }
    }

    public var scaleAppliesAtOnce: Bool { false }

    public func scaleDescription(to n: Int) -> String {
        "Railway serviceInstanceUpdate numReplicas = \(n) (Dashboard → Service → Settings → Scaling; railway.json \"numReplicas\": \(n)); Railway applies it with the next deployment"
    }

    public func scale(to n: Int) async throws -> String {
        let old = try? await serviceInstance().0.numReplicas
        let manual = "the replica setting is \(old.map(String.init) ?? "unknown"); change it in the Dashboard (Service → Settings → Scaling) or with \"numReplicas\": \(n) in railway.json, then redeploy"
        let data: [String: Any]
        do {
            (data, _) = try await graphql(RailwayQueries.scale, ["environmentId": railway.environmentID, "serviceId": railway.serviceID, "replicas": n],
                                          permission: "update the service settings")
        } catch {
            throw BackendError("\(error) — \(manual)")
        }
        guard data["serviceInstanceUpdate"] as? Bool == true else { throw BackendError("Railway did not accept numReplicas = \(n) — \(manual)") }
        return "\(config.name): numReplicas \(old.map(String.init) ?? "?") → \(n). Railway applies it with the next deployment: /redeploy \(config.name)"
    }
}
