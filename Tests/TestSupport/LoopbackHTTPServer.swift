import Foundation
import OpsbotSupport
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on loopback TCP or a unix socket, for health checks and the Docker
/// Engine API in tests: each path answers a fixed status and body, optionally after a delay,
/// or never (the connection is held open).
public final class LoopbackHTTPServer: @unchecked Sendable {
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

    private let fd: Int32
    public let port: Int
    public let socketPath: String?
    private let routes = Locked<[String: Route]>([:])
    private let requests = Locked<[String]>([])
    private let stopped = Locked(false)

    /// Requests seen, as `METHOD /path?query`.
    public var seen: [String] { requests.current }

    /// Listens on 127.0.0.1 (a free port) or, with `unixSocket`, on that path.
    public init(unixSocket: String? = nil) throws {
        let fd: Int32
        if let path = unixSocket {
            unlink(path)
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { buf in
                for (i, b) in path.utf8.prefix(buf.count - 1).enumerated() { buf[i] = b }
            }
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
            self.port = 0
            self.socketPath = path
        } else {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
            var bound = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            self.port = Int(UInt16(bigEndian: bound.sin_port))
            self.socketPath = nil
        }
        self.fd = fd
        listen(fd, 64)
        let t = Thread { [self] in acceptLoop() }
        t.name = "test.http"
        t.start()
    }

    deinit { stop() }

    public func route(_ path: String, _ r: Route) { routes.withLock { $0[path] = r } }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public func stop() {
        let was = stopped.withLock { s -> Bool in defer { s = true }; return s }
        if !was {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
            if let p = socketPath { unlink(p) }
        }
    }

    private func acceptLoop() {
        while !stopped.current {
            let c = accept(fd, nil, nil)
            if c < 0 { if stopped.current { return }; continue }
            let t = Thread { [self] in serve(c) }
            t.stackSize = 256 * 1024
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while !data.containsHeaderEnd {
            let n = read(c, &buf, buf.count)
            if n <= 0 { return }
            data.append(contentsOf: buf[0..<n])
        }
        let head = String(decoding: data, as: UTF8.self)
        let first = head.split(separator: "\r\n").first.map(String.init) ?? ""
        let parts = first.split(separator: " ")
        guard parts.count >= 2 else { return }
        let target = String(parts[1])
        requests.withLock { $0.append("\(parts[0]) \(target)") }
        let path = String(target.split(separator: "?", maxSplits: 1).first ?? "")
        let r = routes.withLock { $0[target] ?? $0[path] } ?? .status(404, "{\"message\":\"no route\"}")
        if r.hang {
            for _ in 0..<300 where !stopped.current { usleep(100_000) }
            return
        }
        if r.delay > 0 { usleep(useconds_t(r.delay * 1_000_000)) }
        var out = Data("HTTP/1.1 \(r.status) X\r\nContent-Length: \(r.body.count)\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".utf8)
        out.append(r.body)
        _ = out.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}
