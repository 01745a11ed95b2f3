import Foundation
#if canImport(Glibc)
import Glibc
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotAlertmanager
#endif

/// A minimal HTTP/1.1 server for `/metrics`, `/healthz` and the Alertmanager webhook: one
/// accept thread and one short-lived thread per connection (at most `maxConnections`), with
/// blocking sockets — its waits never run on Swift's cooperative pool. Every request is
/// answered with `Connection: close`; reads have a deadline, headers and body are capped.
///
/// Chosen over FlyingFox and NIO-based servers by measurement (see BENCHMARKS.md): no
/// dependency, no extra build time, and three endpoints need nothing more.
public final class HTTPListener: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Lower-cased names.
        public var headers: [String: String]
        public var body: Data
    }

    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: Data
        public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
            self.status = status
            self.contentType = contentType
            self.body = Data(body.utf8)
        }
    }

    /// Decides before the body is read (e.g. a wrong bearer token → 401, body never read).
    public typealias Gate = @Sendable (_ method: String, _ path: String, _ headers: [String: String]) -> Response?
    public typealias Handler = @Sendable (Request) -> Response

    public let host: String
    public private(set) var port: UInt16
    public var maxHeaderBytes = 16 * 1024
    public var maxBodyBytes = 256 * 1024
    public var readTimeout: Double = 5
    public var maxConnections = 16
    private let gate: Gate
    private let handler: Handler
    private var fd: Int32 = -1
    private let active = Locked(0)
    private let stopped = Locked(false)

    public init(host: String, port: UInt16, gate: @escaping Gate = { _, _, _ in nil }, handler: @escaping Handler) {
        self.host = host
        self.port = port
        self.gate = gate
        self.handler = handler
    }

    public struct ListenError: Error, CustomStringConvertible { public var description: String }

    /// Binds and starts the accept thread; `port` 0 picks a free one (read `port` after).
    public func start() throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw ListenError(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            close(s)
            throw ListenError(description: "listen: \"\(host)\" is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(s, 64) == 0 else {
            let e = String(cString: strerror(errno))
            close(s)
            throw ListenError(description: "cannot listen on \(host):\(port): \(e)")
        }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        port = UInt16(bigEndian: got.sin_port)
        fd = s
        let t = Thread { [self] in acceptLoop(s) }
        t.name = "opsbot.http"
        t.stackSize = 256 << 10
        t.start()
    }

    /// Stops accepting (a connection being served finishes).
    public func stop() {
        guard !stopped.withLock({ s in defer { s = true }; return s }) else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop(_ s: Int32) {
        while !stopped.current {
            let c = accept(s, nil, nil)
            if c < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if stopped.current { return }
                usleep(50_000)
                continue
            }
            guard active.withLock({ n in n < maxConnections ? { n += 1; return true }() : false }) else {
                write(c, Self.encode(Response(status: 503, body: "busy\n")))
                close(c)
                continue
            }
            let t = Thread { [self] in
                serve(c)
                close(c)
                active.withLock { $0 -= 1 }
            }
            t.name = "opsbot.http.conn"
            t.stackSize = 256 << 10
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        var tv = timeval(tv_sec: Int(readTimeout), tv_usec: Int((readTimeout - readTimeout.rounded(.down)) * 1e6))
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(readTimeout)
        var buf = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int?
        while headerEnd == nil {
            guard buf.count <= maxHeaderBytes, Date() < deadline else {
                write(c, Self.encode(Response(status: buf.count > maxHeaderBytes ? 431 : 408, body: "bad request\n")))
                return
            }
            let n = read(c, &chunk, chunk.count)
            if n <= 0 { return }
            buf += chunk[0..<n]
            headerEnd = Self.find(buf, [13, 10, 13, 10])
        }
        guard let end = headerEnd, let head = String(bytes: buf[0..<end], encoding: .utf8) else {
            write(c, Self.encode(Response(status: 400, body: "bad request\n")))
            return
        }
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ").map(String.init)
        guard first.count == 3, first[2].hasPrefix("HTTP/1.") else {
            write(c, Self.encode(Response(status: 400, body: "bad request line\n")))
            return
        }
        var headers: [String: String] = [:]
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let method = first[0], path = String(first[1].prefix { $0 != "?" })
        if let early = gate(method, path, headers) {
            write(c, Self.encode(early))
            return
        }
        var body = Array(buf[(end + 4)...])
        if headers["transfer-encoding"] != nil {
            write(c, Self.encode(Response(status: 411, body: "Content-Length required\n")))
            return
        }
        let length = Int(headers["content-length"] ?? "0") ?? -1
        guard length >= 0, length <= maxBodyBytes else {
            write(c, Self.encode(Response(status: 413, body: "body too large (max \(maxBodyBytes) bytes)\n")))
            return
        }
        while body.count < length {
            guard Date() < deadline else {
                write(c, Self.encode(Response(status: 408, body: "timeout\n")))
                return
            }
            let n = read(c, &chunk, min(chunk.count, length - body.count))
            if n <= 0 { return }
            body += chunk[0..<n]
        }
        let resp = handler(Request(method: method, path: path, headers: headers, body: Data(body.prefix(length))))
        write(c, Self.encode(resp, head: method == "HEAD"))
    }

    static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    static let reasons = [200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
                          408: "Request Timeout", 411: "Length Required", 413: "Payload Too Large", 431: "Request Header Fields Too Large",
                          503: "Service Unavailable"]

    static func encode(_ r: Response, head: Bool = false) -> [UInt8] {
        var extra = ""
        if r.status == 401 { extra = "WWW-Authenticate: Bearer\r\n" }
        let h = "HTTP/1.1 \(r.status) \(reasons[r.status] ?? "Status")\r\nContent-Type: \(r.contentType)\r\nContent-Length: \(r.body.count)\r\n\(extra)Connection: close\r\n\r\n"
        return Array(h.utf8) + (head ? [] : Array(r.body))
    }

    @discardableResult
    private func write(_ c: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }
}

/// Constant-time comparison of two secrets (time depends on the expected length only).
public func constantTimeEquals(_ a: String, _ expected: String) -> Bool {
    let x = Array(a.utf8), y = Array(expected.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<y.count { diff |= y[i] ^ (i < x.count ? x[i] : 0) }
    return diff == 0
}
