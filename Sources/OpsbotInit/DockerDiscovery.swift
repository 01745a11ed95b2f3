import Foundation
import HTTPClient
import SystemOps
import OpsbotSupport

/// Running containers, with their compose project and service labels, the names of their
/// database and bot-token variables, their compose directory and published ports.
public struct DockerDiscovery: Sendable {
    public var socket: String
    public init(socket: String = "/var/run/docker.sock") { self.socket = socket }

    public struct Result: Sendable {
        public var services: [FoundService] = []
        public var notes: [String] = []
        public var directories: [String] = []
    }

    func get(_ path: String) async throws -> Any {
        let r = try await HTTPClient.send(HTTPRequest(url: "http://docker" + path, connectTimeout: 3, timeout: 10, unixSocketPath: socket))
        guard r.status == 200 else { throw BackendFailure("docker API \(path): HTTP \(r.status)") }
        return try JSONSerialization.jsonObject(with: r.body)
    }

    public func discover() async -> Result {
        var out = Result()
        var st = stat()
        guard stat(socket, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK else { return out }
        let list: [[String: Any]]
        do { list = (try await get("/containers/json") as? [[String: Any]]) ?? [] } catch {
            out.notes.append("docker: \(socket) did not answer (\(plainWords(error))) — no containers looked at")
            return out
        }
        for c in list {
            guard let id = c["Id"] as? String else { continue }
            let labels = (c["Labels"] as? [String: String]) ?? [:]
            let name = ((c["Names"] as? [String])?.first ?? String(id.prefix(12))).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if name.hasPrefix("opsbot") { continue }
            let project = labels["com.docker.compose.project"], service = labels["com.docker.compose.service"]
            var s = FoundService(name: SystemdDiscovery.serviceName(service ?? name), kind: .docker(project: project, service: service, container: name))
            s.command = (c["Command"] as? String) ?? ""
            let detail = (try? await get("/containers/\(id)/json")) as? [String: Any]
            let env = ((detail?["Config"] as? [String: Any])?["Env"] as? [String]) ?? []
            var pairs: [(key: String, value: String)] = env.compactMap { e in e.firstIndex(of: "=").map { (String(e[..<$0]), String(e[e.index(after: $0)...])) } }
            if !pairs.isEmpty { s.environmentSources.append(project != nil ? "the compose environment of \(service ?? name)" : "the environment of container \(name)") }
            if let wd = labels["com.docker.compose.project.working_dir"] {
                s.workingDirectory = wd
                out.directories.append(wd)
                if let read = EnvironmentScan.read(wd + "/.env", root: "/") { pairs += read; s.environmentSources.append(wd + "/.env") }
            }
            s.databaseVariables = EnvironmentScan.databaseVariables(pairs)
            s.botTokenVariable = EnvironmentScan.botTokenVariable(pairs)
            let ports = ((detail?["NetworkSettings"] as? [String: Any])?["Ports"] as? [String: Any]) ?? [:]
            for (_, bindings) in ports {
                for b in (bindings as? [[String: Any]]) ?? [] {
                    if let p = (b["HostPort"] as? String).flatMap(Int.init), !s.ports.contains(p) { s.ports.append(p) }
                }
            }
            s.ports.sort()
            out.services.append(s)
        }
        return out
    }
}

struct BackendFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
