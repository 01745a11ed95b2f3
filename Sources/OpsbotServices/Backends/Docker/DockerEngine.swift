import Foundation
import HTTPClient
import SystemOps
import OpsbotCore
import OpsbotSupport

/// The Docker Engine API on the configured unix socket (`service_options.docker_socket`), with a
/// timeout on every call. Shared by the docker backend, `/disk` (`docker system df` figures) and
/// `/docker_prune`, so all of them talk to the same engine — never the host's default one.
public struct DockerEngine: Sendable {
    public let socket: String
    static let base = "http://docker"

    public init(socket: String) { self.socket = socket }

    /// True when something is listening-shaped at the socket path (a socket file exists).
    public var present: Bool {
        var st = stat()
        return stat(socket, &st) == 0 && (st.st_mode & S_IFMT) == S_IFSOCK
    }

    public func call(_ method: String = "GET", _ path: String, timeout: Double = 10) async throws -> HTTPResponse {
        let r: HTTPResponse
        do {
            r = try await HTTPClient.send(HTTPRequest(method: method, url: DockerEngine.base + path, connectTimeout: 3,
                                                      timeout: timeout, unixSocketPath: socket))
        } catch let e as HTTPError {
            // What failed and after how long, not libcurl's sentence with the placeholder URL.
            throw BackendError(.dockerAPIFailed(socket: socket, why: e.plainWordsMessage(timeout: timeout).localized,
                                                request: "\(method) \(path.split(separator: "?").first.map(String.init) ?? path)"))
        } catch {
            throw BackendError(.dockerAPIFailed(socket: socket, why: BackendText.words(error), request: nil))
        }
        guard (200..<300).contains(r.status) else {
            let msg = (try? JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["message"] as? String
            throw BackendError(.dockerHTTP(method: method, path: path, status: r.status, message: msg))
        }
        return r
    }

    /// `GET /system/df` (what `docker system df` shows): the engine walks every layer, which
    /// takes seconds on a big host, hence its own timeout.
    public func diskUsage(timeout: Double = 30) async throws -> DockerAPI.DiskUsage {
        let r = try await call("GET", "/system/df", timeout: timeout)
        do { return try DockerAPI.diskUsage(r.body) } catch { throw BackendError(.dockerUnexpectedDiskUsage(error: "\(error)")) }
    }

    /// What `docker system prune -f` removes (stopped containers, unused networks, dangling
    /// images, build cache), through the API, each part with what it freed.
    public func prune() async throws -> [DockerAPI.PruneResult] {
        var out: [DockerAPI.PruneResult] = []
        for (what, path) in DockerEngine.pruneCalls {
            let r = try await call("POST", path, timeout: 300)
            out.append(DockerAPI.pruneResult(what, r.body))
        }
        return out
    }

    /// The calls `prune()` makes, in order (shown in the confirmation).
    public static let pruneCalls: [(String, String)] = [
        ("containers", "/containers/prune"), ("networks", "/networks/prune"),
        ("images", "/images/prune?filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D"), ("build cache", "/build/prune"),
    ]
}
