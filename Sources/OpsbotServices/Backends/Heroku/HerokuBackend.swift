import Foundation
import HTTPClient
import SystemOps
import OpsbotCore
import OpsbotSupport

/// One process type (`worker`, `web`) of a Heroku app, through the Platform API v3: dynos and
/// formation for `/status` and `/conflicts`, a log session for `/logs`, formation restart and
/// quantity for `/restart` and `/scale`, config vars for `/env` (values never shown).
/// Every path and body it sends matches a `links` entry of Heroku's published schema (tested).
public struct HerokuBackend: ScalableBackend {
    public let config: ServiceConfig
    let heroku: HerokuServiceConfig
    let api: PlatformAPI
    /// Each dyno's `updated_at` when a restart was requested: a dyno counts as restarted only
    /// once Heroku reports a different timestamp (immune to clock skew between us and Heroku).
    private let beforeRestart: RestartWatch<[String: Date]>

    public var processType: String { heroku.processType ?? config.name }

    public init(config: ServiceConfig, environment: [String: String], clock: any OpsClock = SystemClock()) {
        self.config = config
        heroku = config.heroku!
        beforeRestart = RestartWatch(clock: clock, limit: config.restartWait + 2)
        api = PlatformAPI(platform: "Heroku", token: heroku.token, environment: environment, timeout: heroku.timeout, clock: clock) { token in
            ["Authorization": "Bearer \(token)", "Accept": "application/vnd.heroku+json; version=3"]
        }
    }

    // MARK: - Requests

    struct Dyno: Sendable {
        var name: String
        var type: String
        var state: String
        var updatedAt: Date?
        var release: Int?
    }

    private func url(_ path: String) -> String { heroku.apiURL + path }
    private var appPath: String { "/apps/" + Self.escape(heroku.app) }
    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? s }

    /// GET/POST/… with JSON; non-2xx becomes an error naming the platform's message.
    private func json(_ method: String, _ path: String, body: [String: Any]? = nil, headers: [String: String] = [:],
                      permission: String) async throws -> (Any, PlatformAPI.Answer) {
        var h = headers
        var data: Data? = nil
        if let body {
            data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            h["Content-Type"] = "application/json"
        }
        let a = try await api.send(method, url(path), body: data, headers: h, permission: permission)
        guard (200..<300).contains(a.response.status) else {
            let why = PlatformAPI.message(a.response) ?? "HTTP \(a.response.status)"
            if a.response.status == 404 { throw BackendError("Heroku: \(method) \(path): not found (\(why)) — check heroku.app and heroku.process_type") }
            throw BackendError("Heroku: \(method) \(path): HTTP \(a.response.status): \(why)")
        }
        let value = a.response.body.isEmpty ? [String: Any]() : try JSONSerialization.jsonObject(with: a.response.body, options: [.fragmentsAllowed])
        return (value, a)
    }

    func dynos() async throws -> ([Dyno], PlatformAPI.Answer) {
        let (v, a) = try await json("GET", appPath + "/dynos", permission: "read dynos (OAuth scope read, app permission view)")
        let list = (v as? [[String: Any]] ?? []).map { d in
            Dyno(name: d["name"] as? String ?? "?", type: d["type"] as? String ?? "", state: d["state"] as? String ?? "unknown",
                 updatedAt: PlatformDate.parse(d["updated_at"] as? String), release: (d["release"] as? [String: Any])?["version"] as? Int)
        }
        return (list.filter { $0.type == processType }.sorted { $0.name < $1.name }, a)
    }

    func quantity() async throws -> Int {
        let (v, _) = try await json("GET", appPath + "/formation/" + Self.escape(processType), permission: "read the formation (OAuth scope read)")
        guard let q = (v as? [String: Any])?["quantity"] as? Int else { throw BackendError("Heroku: formation \(processType) has no quantity") }
        return q
    }

    func latestRelease() async throws -> (version: Int, at: Date?, status: String?)? {
        let (v, _) = try await json("GET", appPath + "/releases", headers: ["Range": "version ..; order=desc, max=1"],
                                    permission: "read releases (OAuth scope read)")
        guard let r = (v as? [[String: Any]])?.first, let ver = r["version"] as? Int else { return nil }
        return (ver, PlatformDate.parse(r["created_at"] as? String), r["status"] as? String)
    }

    // MARK: - ServiceBackend

    public func status() async -> ServiceStatus {
        async let q: Result<Int, Error> = { do { return .success(try await quantity()) } catch { return .failure(error) } }()
        async let ds: Result<([Dyno], PlatformAPI.Answer), Error> = { do { return .success(try await dynos()) } catch { return .failure(error) } }()
        async let rel = try? await latestRelease()
        let (quantityResult, dynoResult, release) = await (q, ds, rel)
        var st: ServiceStatus
        switch dynoResult {
        case .failure(let e):
            st = ServiceStatus(state: .unknown, detail: "dynos could not be listed", error: "\(e)")
            st.instancesUnknown = "\(e)"
        case .success(let (list, answer)):
            let before = beforeRestart.before
            st = HerokuBackend.summarize(list, quantity: try? quantityResult.get(), type: processType, before: before)
            if case .failure(let e) = quantityResult { st.detail += " · formation unknown: \(e)" }
            if let n = answer.note { st.detail += " · \(n)" }
            // Every dyno carries a new timestamp: the restart happened; what follows is Heroku's word.
            if before != nil, st.restartUnconfirmed == nil { beforeRestart.end() }
        }
        if let r = release {
            st.release = "v\(r.version)"
            st.releasedAt = r.at
            st.detail += " · release v\(r.version)" + (r.at.map { " (\(Durations.format(Date().timeIntervalSince($0))) ago)" } ?? "")
            if r.status == "failed" { st.detail += " FAILED" }
        }
        return st
    }

    /// Dyno states (up, starting, restarting, crashed, idle, down) and the formation quantity
    /// into one status; a type scaled to 0 is down, not fine (seed 000: `heroku ps:scale worker=1`).
    static func summarize(_ dynos: [Dyno], quantity: Int?, type: String, before: [String: Date]?) -> ServiceStatus {
        let up = dynos.filter { $0.state == "up" }
        let starting = dynos.filter { $0.state == "starting" || $0.state == "restarting" }
        let crashed = dynos.filter { $0.state == "crashed" }
        let running = up.count + starting.count
        var parts = dynos.map { "\($0.name) \($0.state)" + ($0.updatedAt.map { " \(Durations.format(max(0, Date().timeIntervalSince($0))))" } ?? "") }
        if parts.count > 6 { parts = Array(parts.prefix(6)) + ["…"] }
        let counts = quantity.map { "\(up.count)/\($0) up" } ?? "\(up.count) up"
        var st = ServiceStatus(state: .unknown, detail: counts + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")),
                               startedAt: up.compactMap(\.updatedAt).min(), instances: running)
        st.configured = quantity
        // Dynos that still carry the timestamp they had when the restart was requested.
        let notYet = before.map { b in dynos.filter { d in b[d.name].map { $0 == d.updatedAt } ?? false } } ?? []
        if quantity == 0 {
            st.state = .stopped
            st.detail = "\(type) scaled to 0 (formation quantity 0): nothing runs → /scale \(type) 1"
        } else if !crashed.isEmpty {
            st.state = .failed
            st.error = "\(crashed.map(\.name).joined(separator: ", ")) crashed"
        } else if !starting.isEmpty {
            st.state = .starting
        } else if !up.isEmpty {
            st.state = .running
        } else {
            st.state = .stopped
            st.detail = dynos.isEmpty ? "no \(type) dyno running" + (quantity.map { " (formation quantity \($0))" } ?? "") : st.detail
        }
        if !notYet.isEmpty, st.state != .stopped, st.state != .failed {
            // Heroku gives every restarted dyno a new timestamp: until then the restart has not happened.
            let unchanged = "Heroku still reports \(notYet.map(\.name).joined(separator: ", ")) unchanged"
            st.restartUnconfirmed = UnconfirmedRestart(unchanged: unchanged, alwaysVisible: true)
            st.detail = "restart requested; \(unchanged) · " + st.detail
        }
        return st
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        // Heroku returns at most 1500 lines per session; a filter needs more to choose from.
        let fetch = min(1500, filter.isEmpty ? lines : max(lines * 20, 500))
        let (v, a) = try await json("POST", appPath + "/log-sessions", body: ["type": processType, "lines": fetch, "tail": false],
                                    permission: "create a log session (OAuth scope read, app permission view)")
        guard let logURL = (v as? [String: Any])?["logplex_url"] as? String, logURL.hasPrefix("http") else {
            throw BackendError("Heroku: the log session has no logplex_url")
        }
        // The session URL is a credential of its own (signed): it gets no Authorization header
        // (the API token stays with the API) and never appears in a message.
        var req = HTTPRequest(url: logURL, connectTimeout: min(5, heroku.logWindow), timeout: heroku.logWindow)
        req.keepPartialBodyOnTimeout = true
        let r: HTTPResponse
        do { r = try await HTTPClient.send(req) } catch let e as HTTPError {
            let why = switch e.kind {
            case .timeout: "no answer within \(Durations.format(heroku.logWindow))"
            case .connect: "connection refused"
            case .dns: "host does not resolve"
            case .other: "transfer failed"
            }
            throw BackendError("Heroku log stream (\(PlatformAPI.host(logURL))): \(why)")
        }
        guard (200..<300).contains(r.status) else { throw BackendError("Heroku log stream: HTTP \(r.status)") }
        var notes: [String] = []
        if r.cutAtTimeout {
            notes.append("Heroku kept the log stream open: read for \(Durations.format(heroku.logWindow)) (heroku.log_window), then cut")
        }
        if let n = a.note { notes.append("Heroku: \(n)") }
        let all = String(decoding: r.body, as: UTF8.self).split(separator: "\n").map { raw -> LogLine in
            let text = Sanitize.line(Array(raw.utf8))
            let stamp = text.split(separator: " ", maxSplits: 1).first.map(String.init)
            return LogLine(text, time: PlatformDate.parse(stamp))
        }
        var kept: [LogLine] = []
        for l in all.reversed() {
            if let since = filter.since, let t = l.time, t < since { break }
            if filter.matchesContent(l.text) { kept.append(l) }
            if kept.count >= lines { break }
        }
        // A full session (1500 lines, Heroku's most) may have left older lines unread.
        let full = all.count >= fetch && fetch == 1500
        if full && kept.count < lines { notes.append("Heroku returns at most 1500 lines per log session; older lines were not searched") }
        return LogsResult(lines: kept.reversed(), notes: notes, reachedLimit: full || r.cutAtTimeout)
    }

    public var restartDescription: String {
        "Heroku API DELETE \(appPath)/formations/\(processType) (heroku restart \(processType) -a \(heroku.app))"
    }

    public func restart() async throws {
        let before = (try? await dynos().0) ?? []
        beforeRestart.begin(Dictionary(before.compactMap { d in d.updatedAt.map { (d.name, $0) } }, uniquingKeysWith: { a, _ in a }))
        do {
            _ = try await json("DELETE", appPath + "/formations/" + Self.escape(processType),
                               permission: "restart dynos (OAuth scope write, app permission operate)")
        } catch {
            beforeRestart.end()
            throw error
        }
    }

    public func endRestartWatch() { beforeRestart.end() }

    public func instances() async throws -> [ServiceInstance] {
        let list: [Dyno]
        do { list = try await dynos().0 } catch { throw InstancesUnknown("\(error)") }
        return list.filter { ["up", "starting", "restarting"].contains($0.state) }.map { d in
            ServiceInstance(kind: .dyno, id: d.name, description: "dyno \(d.name) \(d.state)" + (d.release.map { " (release v\($0))" } ?? ""),
                            startedAt: d.updatedAt, supervised: true)
        }
    }

    public func environment() async throws -> [String: String] {
        let (v, _) = try await json("GET", appPath + "/config-vars", permission: "read config vars (OAuth scope read-protected, app permission deploy)")
        guard let o = v as? [String: Any] else { throw BackendError("Heroku: config-vars is not an object") }
        return o.compactMapValues { $0 as? String }
    }

    public var scaleAppliesAtOnce: Bool { true }

    /// The dyno a log line came from (`… app[worker.2]: …`), if the line says.
    static func dyno(of line: LogLine) -> String? {
        guard let open = line.text.range(of: " app["), let close = line.text[open.upperBound...].firstIndex(of: "]") else { return nil }
        let name = line.text[open.upperBound..<close]
        return name.isEmpty ? nil : String(name)
    }

    public func scaleDescription(to n: Int) -> String {
        "Heroku API PATCH \(appPath)/formation/\(processType) {\"quantity\": \(n)} (heroku ps:scale \(processType)=\(n) -a \(heroku.app))"
    }

    public func scale(to n: Int) async throws -> String {
        let old = try? await quantity()
        let (v, _) = try await json("PATCH", appPath + "/formation/" + Self.escape(processType), body: ["quantity": n],
                                    permission: "scale the formation (OAuth scope write, app permission operate)")
        let now = (v as? [String: Any])?["quantity"] as? Int
        return "\(processType): formation quantity \(old.map(String.init) ?? "?") → \(now.map(String.init) ?? "?")"
    }
}
