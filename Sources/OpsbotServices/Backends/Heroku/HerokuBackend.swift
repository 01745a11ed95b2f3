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
                      permission: BackendText) async throws -> (Any, PlatformAPI.Answer) {
        var h = headers
        var data: Data? = nil
        if let body {
            data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            h["Content-Type"] = "application/json"
        }
        let a = try await api.send(method, url(path), body: data, headers: h, permission: permission)
        guard (200..<300).contains(a.response.status) else {
            let why = PlatformAPI.message(a.response) ?? "HTTP \(a.response.status)"
            if a.response.status == 404 { throw BackendError(.herokuNotFound(method: method, path: path, why: why)) }
            throw BackendError(.herokuHTTP(method: method, path: path, status: a.response.status, why: why))
        }
        let value = a.response.body.isEmpty ? [String: Any]() : try JSONSerialization.jsonObject(with: a.response.body, options: [.fragmentsAllowed])
        return (value, a)
    }

    func dynos() async throws -> ([Dyno], PlatformAPI.Answer) {
        let (v, a) = try await json("GET", appPath + "/dynos", permission: .permReadDynos)
        let list = (v as? [[String: Any]] ?? []).map { d in
            Dyno(name: d["name"] as? String ?? "?", type: d["type"] as? String ?? "", state: d["state"] as? String ?? "unknown",
                 updatedAt: PlatformDate.parse(d["updated_at"] as? String), release: (d["release"] as? [String: Any])?["version"] as? Int)
        }
        return (list.filter { $0.type == processType }.sorted { $0.name < $1.name }, a)
    }

    func quantity() async throws -> Int {
        let (v, _) = try await json("GET", appPath + "/formation/" + Self.escape(processType), permission: .permReadFormation)
        guard let q = (v as? [String: Any])?["quantity"] as? Int else { throw BackendError(.herokuNoQuantity(type: processType)) }
        return q
    }

    func latestRelease() async throws -> (version: Int, at: Date?, status: String?)? {
        let (v, _) = try await json("GET", appPath + "/releases", headers: ["Range": "version ..; order=desc, max=1"],
                                    permission: .permReadReleases)
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
            st = ServiceStatus(state: .unknown, BackendText.dynosUnlisted.localized, error: BackendText.words(e))
            st.instancesUnknownText = BackendText.words(e)
        case .success(let (list, answer)):
            let before = beforeRestart.before
            st = HerokuBackend.summarize(list, quantity: try? quantityResult.get(), type: processType, before: before)
            if case .failure(let e) = quantityResult { st.detailText = BackendText.joined(st.detailText, BackendText.formationUnknown(error: BackendText.words(e)).localized).localized }
            if let n = answer.note { st.detailText = BackendText.joined(st.detailText, BackendText.joined(LocalizedText(verbatim: " · "), n).localized).localized }
            // Every dyno carries a new timestamp: the restart happened; what follows is Heroku's word.
            if before != nil, st.restartUnconfirmed == nil { beforeRestart.end() }
        }
        if let r = release {
            st.release = "v\(r.version)"
            st.releasedAt = r.at
            let release = BackendText.herokuRelease(version: r.version, ago: r.at.map { Date().timeIntervalSince($0) }, failed: r.status == "failed")
            st.detailText = BackendText.joined(st.detailText, release.localized).localized
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
        let words = dynos.map { BackendText.HerokuDynoWords(name: $0.name, state: $0.state, age: $0.updatedAt.map { max(0, Date().timeIntervalSince($0)) }) }
        var st = ServiceStatus(state: .unknown, BackendText.dynoCounts(up: up.count, quantity: quantity, dynos: words).localized,
                               startedAt: up.compactMap(\.updatedAt).min(), instances: running)
        st.configured = quantity
        // Dynos that still carry the timestamp they had when the restart was requested.
        let notYet = before.map { b in dynos.filter { d in b[d.name].map { $0 == d.updatedAt } ?? false } } ?? []
        if quantity == 0 {
            st.state = .stopped
            st.detailText = BackendText.scaledToZero(type: type).localized
        } else if !crashed.isEmpty {
            st.state = .failed
            st.errorText = BackendText.dynosCrashed(names: crashed.map(\.name)).localized
        } else if !starting.isEmpty {
            st.state = .starting
        } else if !up.isEmpty {
            st.state = .running
        } else {
            st.state = .stopped
            if dynos.isEmpty { st.detailText = BackendText.noDynoRunning(type: type, quantity: quantity).localized }
        }
        if !notYet.isEmpty, st.state != .stopped, st.state != .failed {
            // Heroku gives every restarted dyno a new timestamp: until then the restart has not happened.
            let unchanged = BackendText.herokuUnchanged(dynos: notYet.map(\.name)).localized
            st.restartUnconfirmed = UnconfirmedRestart(unchanged: unchanged, alwaysVisible: true)
            st.detailText = BackendText.restartRequested(unchanged: unchanged, detail: st.detailText).localized
        }
        return st
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        // Heroku returns at most 1500 lines per session; a filter needs more to choose from.
        let fetch = min(1500, filter.isEmpty ? lines : max(lines * 20, 500))
        let (v, a) = try await json("POST", appPath + "/log-sessions", body: ["type": processType, "lines": fetch, "tail": false],
                                    permission: .permLogSession)
        guard let logURL = (v as? [String: Any])?["logplex_url"] as? String, logURL.hasPrefix("http") else {
            throw BackendError(.herokuNoLogplexURL)
        }
        // The session URL is a credential of its own (signed): it gets no Authorization header
        // (the API token stays with the API) and never appears in a message.
        var req = HTTPRequest(url: logURL, connectTimeout: min(5, heroku.logWindow), timeout: heroku.logWindow)
        req.keepPartialBodyOnTimeout = true
        let r: HTTPResponse
        do { r = try await HTTPClient.send(req) } catch let e as HTTPError {
            let host = PlatformAPI.host(logURL)
            let why: BackendText = switch e.kind {
            case .timeout: .logStreamTimeout(host: host, seconds: heroku.logWindow)
            case .connect: .logStreamRefused(host: host)
            case .dns: .logStreamDNS(host: host)
            case .other: .logStreamFailed(host: host)
            }
            throw BackendError(why)
        }
        guard (200..<300).contains(r.status) else { throw BackendError(.logStreamHTTP(status: r.status)) }
        var notes: [String] = []
        if r.cutAtTimeout {
            notes.append(BackendText.logStreamCut(seconds: heroku.logWindow).text())
        }
        if let n = a.note { notes.append(BackendText.platformNote(platform: "Heroku", note: n).text()) }
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
        if full && kept.count < lines { notes.append(BackendText.herokuLineLimit.text()) }
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
                               permission: .permRestartDynos)
        } catch {
            beforeRestart.end()
            throw error
        }
    }

    public func endRestartWatch() { beforeRestart.end() }

    public func instances() async throws -> [ServiceInstance] {
        let list: [Dyno]
        do { list = try await dynos().0 } catch { throw InstancesUnknown(BackendText.words(error)) }
        return list.filter { ["up", "starting", "restarting"].contains($0.state) }.map { d in
            ServiceInstance(kind: .dyno, id: d.name, description: BackendText.dynoInstance(name: d.name, state: d.state, release: d.release).text(),
                            startedAt: d.updatedAt, supervised: true)
        }
    }

    public func environment() async throws -> [String: String] {
        let (v, _) = try await json("GET", appPath + "/config-vars", permission: .permReadConfigVars)
        guard let o = v as? [String: Any] else { throw BackendError(.herokuConfigVarsNotObject) }
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
                                    permission: .permScaleFormation)
        let now = (v as? [String: Any])?["quantity"] as? Int
        return BackendText.herokuScaled(type: processType, old: old, now: now).text()
    }
}
