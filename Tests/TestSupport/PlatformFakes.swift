import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Loopback stand-ins for the Heroku Platform API and Railway's GraphQL API, answering with
/// bodies shaped after ../shared/platforms' schemas, keeping state (quantity, dyno timestamps,
/// deployments) so that restart and scale can be verified, and recording every request.
package final class FakeHeroku: @unchecked Sendable {
    package struct Dyno { var name: String; var type: String; var state: String; var updatedAt: Date }
    package struct State {
        package var quantity: [String: Int] = ["worker": 1, "web": 1]
        var dynos: [Dyno] = []
        package var config: [String: String] = [:]
        package var logBody = ""
        /// The log stream never ends (Fir-generation apps stream only).
        package var logForever = false
        /// Answers for the next requests, before any route (429, 401…).
        package var faults: [(status: Int, headers: [String: String], body: String)] = []
        /// Dynos of a restarted type come back in this state.
        package var restartState = "up"
        /// The restart is accepted (202) but Heroku performs none: dynos keep their state and timestamps.
        package var restartIgnored = false
        package var forbidden: Set<String> = []
        /// Seconds every API answer takes (a slow platform).
        package var delay: Double = 0
        /// Where log sessions point instead of this server's stream.
        package var logURL: String?
    }
    package let state = Locked(State())
    package let requests = Locked<[LoopbackHTTPServer.Request]>([])
    private var server: LoopbackHTTPServer!
    package var url: String { "http://127.0.0.1:\(server.port)" }

    package init() throws {
        // Strong on purpose: a request still in the handler (a slow answer) may outlive the test; stop() ends it.
        server = try LoopbackHTTPServer { [self] req in self.answer(req) }
    }
    deinit { server.stop() }
    package func stop() { server.stop() }

    package static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }

    /// How logplex stamps a line: microseconds and a numeric offset.
    package static func logStamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'"
        return f.string(from: d)
    }

    package func setDynos(_ list: [(String, String)], type: String = "worker", age: Double = 3600) {
        state.withLock { s in
            s.dynos.removeAll { $0.type == type }
            for (i, (name, st)) in list.enumerated() {
                s.dynos.append(Dyno(name: name, type: type, state: st, updatedAt: Date().addingTimeInterval(-age - Double(i))))
            }
        }
    }

    private func json(_ o: Any, status: Int = 200, headers: [String: String] = [:]) -> LoopbackHTTPServer.Response {
        var h = headers
        if h["RateLimit-Remaining"] == nil { h["RateLimit-Remaining"] = "4500" }
        return .init(status: status, headers: h, body: try! JSONSerialization.data(withJSONObject: o, options: [.fragmentsAllowed]))
    }

    private func dynoJSON(_ d: Dyno) -> [String: Any] {
        ["id": UUID().uuidString.lowercased(), "name": d.name, "type": d.type, "state": d.state, "size": "basic",
         "command": "python -m bot", "created_at": Self.iso(d.updatedAt), "updated_at": Self.iso(d.updatedAt),
         "attach_url": NSNull(), "app": ["id": "01234567-89ab-cdef-0123-456789abcdef", "name": "habitbot"],
         "release": ["id": "11111111-89ab-cdef-0123-456789abcdef", "version": 42]]
    }

    private func answer(_ req: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        requests.withLock { $0.append(req) }
        if req.path.hasPrefix("/stream/") { return logStream() }
        let delay = state.current.delay
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if let f = state.withLock({ s in s.faults.isEmpty ? nil : s.faults.removeFirst() }) {
            return .init(status: f.status, headers: f.headers, body: Data(f.body.utf8))
        }
        guard req.headers["authorization"]?.hasPrefix("Bearer ") == true,
              req.headers["accept"] == "application/vnd.heroku+json; version=3" else {
            return json(["id": "unauthorized", "message": "Invalid credentials provided."], status: 401)
        }
        let parts = req.path.split(separator: "?").first!.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "apps", parts[1] == "habitbot" else { return json(["id": "not_found", "message": "Couldn't find that app."], status: 404) }
        let rest = Array(parts.dropFirst(2))
        if state.current.forbidden.contains(rest[0]) {
            return json(["id": "forbidden", "message": "You do not have access to the app habitbot."], status: 403)
        }
        switch (req.method, rest.first!, rest.count) {
        case ("GET", "dynos", 1):
            return json(state.current.dynos.map(dynoJSON))
        case ("GET", "formation", 2):
            guard let q = state.current.quantity[rest[1]] else { return json(["id": "not_found", "message": "Couldn't find that formation."], status: 404) }
            return json(formationJSON(rest[1], q))
        case ("PATCH", "formation", 2):
            let body = (try? JSONSerialization.jsonObject(with: req.body)) as? [String: Any]
            guard let q = body?["quantity"] as? Int else { return json(["id": "invalid_params", "message": "quantity"], status: 422) }
            state.withLock { s in
                s.quantity[rest[1]] = q
                let have = s.dynos.filter { $0.type == rest[1] }
                if have.count > q { s.dynos.removeAll { d in d.type == rest[1] && have.suffix(have.count - q).contains { $0.name == d.name } } }
                for i in have.count..<max(have.count, q) { s.dynos.append(Dyno(name: "\(rest[1]).\(i + 1)", type: rest[1], state: "up", updatedAt: Date())) }
            }
            return json(formationJSON(rest[1], q))
        case ("DELETE", "formations", 2):
            state.withLock { s in
                for i in s.dynos.indices where s.dynos[i].type == rest[1] && !s.restartIgnored {
                    s.dynos[i].state = s.restartState
                    s.dynos[i].updatedAt = Date().addingTimeInterval(0.5)
                }
            }
            return json([String: Any](), status: 202)
        case ("GET", "releases", 1):
            return json([["id": "22222222-89ab-cdef-0123-456789abcdef", "version": 42, "status": "succeeded", "current": true,
                          "description": "Deploy abc123", "created_at": Self.iso(Date().addingTimeInterval(-7200)),
                          "updated_at": Self.iso(Date().addingTimeInterval(-7200))]])
        case ("POST", "log-sessions", 1):
            return json(["id": UUID().uuidString.lowercased(), "logplex_url": state.current.logURL ?? url + "/stream/\(UUID().uuidString)?srv=1",
                         "created_at": Self.iso(Date()), "updated_at": Self.iso(Date())], status: 201)
        case ("GET", "config-vars", 1):
            return json(state.current.config)
        default:
            return json(["id": "not_found", "message": "no such route"], status: 404)
        }
    }

    private func formationJSON(_ type: String, _ q: Int) -> [String: Any] {
        ["id": UUID().uuidString.lowercased(), "type": type, "quantity": q, "size": "basic", "command": "python -m bot",
         "created_at": Self.iso(Date()), "updated_at": Self.iso(Date()), "app": ["id": "01234567-89ab-cdef-0123-456789abcdef", "name": "habitbot"],
         "dyno_size": ["id": "01234567-89ab-cdef-0123-456789abcdee", "name": "basic"]]
    }

    private func logStream() -> LoopbackHTTPServer.Response {
        let s = state.current
        if !s.logForever { return .init(status: 200, headers: ["Content-Type": "text/plain"], body: Data(s.logBody.utf8)) }
        return .init(status: 200, headers: ["Content-Type": "text/plain"], body: Data(s.logBody.utf8)) { write in
            var i = 0
            while i < 600 {  // at most 60 s, unless the client hangs up first
                usleep(100_000)
                i += 1
                if !write(Data("\(FakeHeroku.iso(Date())) heroku[router]: keepalive \(i)\n".utf8)) { return }
            }
        }
    }
}

/// Railway's GraphQL endpoint: answers per operation name; `errors` arrive with HTTP 200.
package final class FakeRailway: @unchecked Sendable {
    package struct State {
        package var status = "SUCCESS"
        package var replicas: [(String, String)] = [("inst-aaaa1111", "RUNNING")]
        package var numReplicas: Int? = 1
        package var deploymentID = "dep-0001-aaaa"
        var statusUpdatedAt = "2026-11-23T10:00:00.000Z"
        package var logs: [(String, String)] = []
        var variables: [String: String] = [:]
        /// Per operation: an `errors` message returned with HTTP 200 (once each entry).
        package var errors: [String: [String]] = [:]
        package var restartReturns = true
        package var restartedStatus = "SUCCESS"
        /// What an accepted restart shows through the API (Railway documents none of it).
        package var restartTrace = RestartTrace.statusAndReplicas
        /// Status answers still to show the replicas RESTARTING (`.transition`).
        var transitionReads = 0
        /// Instance executions (container runs): id and deployment.
        package var executions: [(id: String, deploymentID: String)] = [("exec-0001", "dep-0001-aaaa")]
        /// Railway's `severity` per log message (default "info").
        package var severities: [String: String] = [:]
    }
    package enum RestartTrace: Sendable {
        /// A new statusUpdatedAt and new replica ids.
        case statusAndReplicas
        /// Nothing at all changes.
        case nothing
        /// The next status read shows the replicas RESTARTING, then everything as before.
        case transition
        /// Only a new instance execution of the deployment.
        case newExecution
    }
    package let state = Locked(State())
    let requests = Locked<[LoopbackHTTPServer.Request]>([])
    private var server: LoopbackHTTPServer!
    package var url: String { "http://127.0.0.1:\(server.port)/graphql/v2" }

    package init() throws {
        // Strong on purpose: a request still in the handler (a slow answer) may outlive the test; stop() ends it.
        server = try LoopbackHTTPServer { [self] req in self.answer(req) }
    }
    deinit { server.stop() }
    package func stop() { server.stop() }

    /// The GraphQL documents received, in order.
    package var documents: [String] {
        requests.current.compactMap { ((try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any])?["query"] as? String }
    }

    private func json(_ o: Any) -> LoopbackHTTPServer.Response {
        .init(status: 200, body: try! JSONSerialization.data(withJSONObject: o))
    }

    private func answer(_ req: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        requests.withLock { $0.append(req) }
        guard req.headers["project-access-token"]?.isEmpty == false else {
            return json(["errors": [["message": "Not Authorized", "extensions": ["code": "UNAUTHENTICATED"]]], "data": NSNull()])
        }
        guard let body = (try? JSONSerialization.jsonObject(with: req.body)) as? [String: Any], let q = body["query"] as? String else {
            return .init(status: 400, body: Data(#"{"errors":[{"message":"bad request"}]}"#.utf8))
        }
        let vars = body["variables"] as? [String: Any] ?? [:]
        let op = ["opsbotServiceStatus", "opsbotDeploymentLogs", "opsbotDeploymentRestart", "opsbotDeploymentRedeploy", "opsbotVariables", "opsbotScale",
                  "opsbotInstanceExecutions"]
            .first { q.contains($0) } ?? "?"
        if let msg = state.withLock({ s -> String? in
            guard var list = s.errors[op], !list.isEmpty else { return nil }
            let m = list.removeFirst(); s.errors[op] = list; return m
        }) {
            return json(["errors": [["message": msg, "locations": [["line": 2, "column": 3]], "path": [op]]], "data": NSNull()])
        }
        let s = state.current
        switch op {
        case "opsbotServiceStatus":
            let restarting = state.withLock { st -> Bool in
                guard st.transitionReads > 0 else { return false }
                st.transitionReads -= 1
                return true
            }
            return json(["data": ["serviceInstance": [
                "serviceName": "mluvme-bot", "numReplicas": s.numReplicas as Any,
                "latestDeployment": ["id": s.deploymentID, "status": s.status, "createdAt": "2026-11-23T09:58:00.000Z",
                                     "updatedAt": s.statusUpdatedAt, "statusUpdatedAt": s.statusUpdatedAt,
                                     "instances": s.replicas.map { ["id": $0.0, "status": restarting ? "RESTARTING" : $0.1] }],
            ]]])
        case "opsbotInstanceExecutions":
            let edges = s.executions.map { ["cursor": $0.id, "node": ["id": $0.id, "deploymentId": $0.deploymentID, "status": "RUNNING",
                                                                    "createdAt": "2026-11-23T09:58:00.000Z"]] }
            let page: [String: Any] = ["edges": edges, "pageInfo": ["hasNextPage": false, "hasPreviousPage": false]]
            return json(["data": ["newest": page, "oldest": page]])
        case "opsbotDeploymentLogs":
            guard vars["deploymentId"] as? String == s.deploymentID else { return json(["errors": [["message": "Deployment not found"]], "data": NSNull()]) }
            let limit = vars["limit"] as? Int ?? 100
            return json(["data": ["deploymentLogs": s.logs.suffix(limit).map { ["timestamp": $0.0, "message": $0.1, "severity": s.severities[$0.1] ?? "info"] }]])
        case "opsbotDeploymentRestart":
            state.withLock { st in
                guard st.restartReturns else { return }
                switch st.restartTrace {
                case .statusAndReplicas:
                    st.status = st.restartedStatus
                    st.statusUpdatedAt = FakeHeroku.iso(Date())
                    st.replicas = st.replicas.map { _ in ("inst-\(UUID().uuidString.prefix(8))", st.restartedStatus == "SUCCESS" ? "RUNNING" : "CRASHED") }
                case .nothing: break
                case .transition: st.transitionReads = 1
                case .newExecution: st.executions.append(("exec-\(UUID().uuidString.prefix(8))", st.deploymentID))
                }
            }
            return json(["data": ["deploymentRestart": s.restartReturns]])
        case "opsbotDeploymentRedeploy":
            let id = "dep-\(UUID().uuidString.prefix(8))"
            state.withLock { st in
                st.deploymentID = id
                st.status = "SUCCESS"
                st.replicas = st.replicas.map { _ in ("inst-\(UUID().uuidString.prefix(8))", "RUNNING") }
            }
            return json(["data": ["deploymentRedeploy": ["id": id, "status": "BUILDING"]]])
        case "opsbotVariables":
            return json(["data": ["variables": s.variables]])
        case "opsbotScale":
            state.withLock { $0.numReplicas = vars["replicas"] as? Int }
            return json(["data": ["serviceInstanceUpdate": true]])
        default:
            return json(["errors": [["message": "Cannot query field"]], "data": NSNull()])
        }
    }
}

package enum PlatformTest {
    package static let herokuToken = "HRKU-" + "0123456789abcdef0123456789abcdef"
    package static let railwayToken = "9f8e7d6c-" + "5b4a-3210-fedc-ba9876543210"

    package static func herokuYAML(_ url: String, name: String = "worker", extra: String = "", options: String = "") -> String {
        """
        services:
          \(name):
            backend: heroku
            heroku:
              app: habitbot
              api_url: "\(url)"
              log_window: 1s
              timeout: 5s
            restart_wait: 8s
            restart_settle: 0s
            bot: true
        \(extra)
        """
    }

    package static func railwayYAML(_ url: String, name: String = "worker", extra: String = "") -> String {
        """
        services:
          \(name):
            backend: railway
            railway:
              project_id: proj-1111
              environment_id: env-2222
              service_id: svc-3333
              api_url: "\(url)"
              timeout: 5s
            restart_wait: 8s
            restart_settle: 0s
            bot: true
        \(extra)
        """
    }
}
