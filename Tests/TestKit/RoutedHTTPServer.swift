import Foundation
import OpsbotSupport

/// Fixed answers per path on top of `LoopbackHTTPServer`, for health checks and the Docker
/// Engine API in tests: each path answers a status and body, optionally after a delay, or
/// never (the connection is held open until the server stops, at most 30 s).
public final class RoutedHTTPServer: @unchecked Sendable {
    public struct Route: Sendable {
        public var status: Int
        public var body: Data
        public var delay: Double
        public var hang: Bool
        public static func ok(_ body: String = "ok") -> Route { Route(status: 200, body: Data(body.utf8), delay: 0, hang: false) }
        public static func status(_ s: Int, _ body: String = "") -> Route { Route(status: s, body: Data(body.utf8), delay: 0, hang: false) }
        public static func slow(_ seconds: Double, status: Int = 200) -> Route { Route(status: status, body: Data("slow".utf8), delay: seconds, hang: false) }
        public static let never = Route(status: 0, body: Data(), delay: 0, hang: true)
        public static func json(_ text: String) -> Route { Route(status: 200, body: Data(text.utf8), delay: 0, hang: false) }
        public static func bytes(_ data: Data) -> Route { Route(status: 200, body: data, delay: 0, hang: false) }
    }

    private let routes = Locked<[String: Route]>([:])
    private let requests = Locked<[String]>([])
    private let stopped = Locked(false)
    private var server: LoopbackHTTPServer!

    /// Requests seen, as `METHOD /path?query`.
    public var seen: [String] { requests.current }
    public var port: Int { Int(server.port) }

    /// Listens on 127.0.0.1 (a free port) or, with `unixSocket`, on that path.
    public init(unixSocket: String? = nil) throws {
        let handler: @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response = { [routes, requests, stopped] req in
            requests.withLock { $0.append("\(req.method) \(req.path)") }
            let path = String(req.path.split(separator: "?", maxSplits: 1).first ?? "")
            let r = routes.withLock { $0[req.path] ?? $0[path] } ?? .status(404, "{\"message\":\"no route\"}")
            if r.hang {
                for _ in 0..<300 where !stopped.current { usleep(100_000) }
                return .init(status: 504, body: Data())
            }
            if r.delay > 0 { usleep(useconds_t(r.delay * 1_000_000)) }
            return .init(status: r.status, headers: ["Content-Type": "application/json"], body: r.body)
        }
        if let p = unixSocket {
            server = try LoopbackHTTPServer(unixSocketPath: p, handler: handler)
        } else {
            server = try LoopbackHTTPServer(handler: handler)
        }
    }

    deinit { stop() }

    public func route(_ path: String, _ r: Route) { routes.withLock { $0[path] = r } }
    public func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    public func stop() {
        stopped.withLock { $0 = true }
        server.stop()
    }
}
