import Foundation
import HTTPClient
import SystemOps
import OpsbotCore
import OpsbotSupport

/// A container or compose service, through the Docker Engine API on its unix socket.
/// The service's own containers are found by the configured container name or by the compose
/// service label `com.docker.compose.service` (and project); the first running one is the
/// supervised copy. Other copies are containers of the same service, or matching the service's
/// `match:` regex on their name or command. Never by image: compose projects commonly run web
/// and worker from one image, and taking "same image" for "same service" once made /conflicts
/// stop web as an "extra worker".
public struct DockerBackend: ServiceBackend {
    public let config: ServiceConfig
    let engine: DockerEngine
    var socket: String { engine.socket }

    public init(config: ServiceConfig, options: ServiceOptions) {
        self.config = config
        self.engine = DockerEngine(socket: options.dockerSocket)
    }

    func call(_ method: String = "GET", _ path: String, timeout: Double = 10) async throws -> HTTPResponse {
        try await engine.call(method, path, timeout: timeout)
    }

    func allContainers() async throws -> [DockerAPI.ContainerSummary] {
        let r = try await call("GET", "/containers/json?all=1")
        do { return try DockerAPI.containers(r.body) } catch { throw BackendError(.dockerUnexpectedList(error: "\(error)")) }
    }

    /// The service's own container(s): by name, or by compose service (and project) label.
    func ownContainers(_ all: [DockerAPI.ContainerSummary]) -> [DockerAPI.ContainerSummary] {
        all.filter { c in
            if let name = config.container { return c.name == name || c.Id.hasPrefix(name) }
            guard c.composeService == config.composeService else { return false }
            return config.composeProject == nil || c.composeProject == config.composeProject
        }
    }

    /// A copy of this service: one of its own containers, or one its `match:` regex recognises
    /// by name or command (a `docker run` of the same poller outside compose).
    func isCopy(_ c: DockerAPI.ContainerSummary, own: Set<String>) -> Bool {
        if own.contains(c.Id) { return true }
        guard let re = config.match else { return false }
        return re.matches(c.name) || (c.Command.map(re.matches) ?? false)
    }

    func detail(_ id: String) async throws -> DockerAPI.ContainerDetail {
        let r = try await call("GET", "/containers/\(id)/json")
        do { return try DockerAPI.detail(r.body) } catch { throw BackendError(.dockerUnexpectedContainer(error: "\(error)")) }
    }

    func mainContainer() async throws -> (DockerAPI.ContainerSummary, [DockerAPI.ContainerSummary]) {
        let all = try await allContainers()
        let own = ownContainers(all)
        guard let main = own.first(where: { $0.State == "running" }) ?? own.first else {
            throw BackendError(config.container.map { BackendText.noContainer(name: $0) } ?? .noComposeContainer(service: config.composeService ?? "?"))
        }
        return (main, all)
    }

    public func status() async -> ServiceStatus {
        do {
            let (main, all) = try await mainContainer()
            let d = try await detail(main.Id)
            var mem: Int? = nil
            if d.state.running, let s = try? await call("GET", "/containers/\(main.Id)/stats?stream=false&one-shot=true", timeout: 5) {
                mem = (try? DockerAPI.stats(s.body))?.memoryBytes
            }
            let own = Set(ownContainers(all).map(\.Id))
            let copies = all.filter { $0.State == "running" && isCopy($0, own: own) }.count
            let state: ServiceStatus.State
            let since = (d.state.running ? d.startedAt : d.state.finishedAt.flatMap(ISO8601.parse)).flatMap { $0.timeIntervalSince1970 > 0 ? $0 : nil }
            var detail = BackendText.dockerState(engineStatus: main.Status, state: d.state.status, age: since.map { max(0, Date().timeIntervalSince($0)) },
                                                 exitCode: d.state.exitCode, health: d.state.health?.status).localized
            if d.state.restarting == true || d.state.status == "restarting" {
                // The engine is between two runs of a crash loop: say so, with the counter and the last exit.
                state = .starting
                detail = BackendText.dockerRestartLoop(count: d.restartCount, exitCode: d.state.exitCode).localized
            } else if d.state.running {
                state = d.state.health?.status == "unhealthy" ? .failed : (d.state.health?.status == "starting" ? .starting : .running)
            } else { state = d.state.status == "exited" && (d.state.exitCode ?? 0) != 0 ? .failed : .stopped }
            return ServiceStatus(state: state, detail, pids: d.state.pid.map { [Int32($0)] } ?? [], memoryBytes: mem,
                                 startedAt: d.state.running ? d.startedAt : nil, restartCounter: d.restartCount,
                                 instances: d.state.running ? max(copies, 1) : 0, health: d.state.health?.status)
        } catch {
            return ServiceStatus(state: .unknown, BackendText.dockerUnavailable.localized, error: BackendText.words(error))
        }
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        if config.logFile != nil { return try await fileLogs(lines: lines, filter: filter) }
        let (main, _) = try await mainContainer()
        let d = try await detail(main.Id)
        let fetch = !filter.filtersContent ? lines : min(lines * 20, 20_000)
        var path = "/containers/\(main.Id)/logs?stdout=1&stderr=1&timestamps=1&tail=\(fetch)"
        if let since = filter.since { path += "&since=\(Int(since.timeIntervalSince1970))" }
        let r = try await call("GET", path, timeout: 20)
        var kept: [LogLine] = []
        for raw in DockerAPI.demuxLogs(r.body, tty: d.config?.tty ?? false).reversed() {
            // "2026-11-23T10:00:00.123456789Z message"
            var text = raw
            var time: Date? = nil
            if let sp = raw.firstIndex(of: " "), let t = ISO8601.parse(String(raw[..<sp])) {
                time = t
                text = String(raw[raw.index(after: sp)...])
            }
            if filter.expired { break }
            var f = filter; f.since = nil
            if f.matchesContent(text) { kept.append(LogLine(time.map { ISO8601.format($0) + " " + text } ?? text, time: time)) }
            if kept.count >= lines { break }
        }
        return LogsResult(lines: kept.reversed())
    }

    var stopSeconds: Int { max(0, Int(config.stopTimeout.rounded(.up))) }

    public var restartDescription: String {
        BackendText.dockerRestartDescription(container: config.container, composeService: config.composeService ?? "?", socket: socket, stopSeconds: stopSeconds).text()
    }

    public func restart() async throws { _ = try await restartReporting() }

    /// Restarts with `stop_timeout` and reads the engine's events for the restart: when PID 1
    /// ignored SIGTERM and the engine had to send SIGKILL, the reply says so (plain success hid it).
    public func restartReporting() async throws -> [String] {
        let (main, _) = try await mainContainer()
        let since = Date().timeIntervalSince1970 - 1
        _ = try await call("POST", "/containers/\(main.Id)/restart?t=\(stopSeconds)", timeout: Double(stopSeconds) + 60)
        let filters = #"{"container":["\#(main.Id)"],"type":["container"],"event":["kill","die"]}"#
        let q = filters.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let until = String(format: "%.9f", Date().timeIntervalSince1970)
        guard let r = try? await call("GET", "/events?since=\(Int(since))&until=\(until)&filters=\(q)", timeout: 10) else {
            return [BackendText.dockerEventsUnreadable.text()]
        }
        let events = DockerAPI.events(r.body)
        if events.contains(where: { $0.action == "kill" && ["9", "KILL", "SIGKILL"].contains($0.attributes["signal"] ?? "") }) {
            let code = events.last { $0.action == "die" }?.attributes["exitCode"]
            return [BackendText.dockerKilled(container: main.name, stopSeconds: stopSeconds, exitCode: code).text()]
        }
        return []
    }

    public func instances() async throws -> [ServiceInstance] {
        let (main, all) = try await mainContainer()
        let own = Set(ownContainers(all).map(\.Id))
        return all.filter { $0.State == "running" && isCopy($0, own: own) }.map { c in
            let sup = c.Id == main.Id
            let text = BackendText.containerInstance(name: c.name, id: String(c.Id.prefix(12)), image: c.Image, composeService: c.composeService, status: c.Status)
            return ServiceInstance(kind: .container, id: c.Id, description: text.text(),
                                   startedAt: c.Created.map { Date(timeIntervalSince1970: Double($0)) }, supervised: sup)
        }
    }

    public func stop(_ instance: ServiceInstance) async throws -> String {
        guard !instance.supervised else { throw BackendError(.refuseStopSupervisedContainer) }
        // The list shown at preview time may be stale by Confirm: stop only what is still an extra copy.
        let still = try await instances().contains { $0.id == instance.id && !$0.supervised }
        guard still else { return BackendText.containerGoneOrOwn(id: String(instance.id.prefix(12))).text() }
        _ = try await call("POST", "/containers/\(instance.id)/stop?t=\(stopSeconds)", timeout: Double(stopSeconds) + 30)
        return BackendText.containerStopped(id: String(instance.id.prefix(12))).text()
    }

    public func environment() async throws -> [String: String] {
        let (main, _) = try await mainContainer()
        return try await detail(main.Id).environment
    }
}
