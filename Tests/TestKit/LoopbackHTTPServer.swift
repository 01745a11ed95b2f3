import Foundation
import OpsbotSupport
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 (random free port) for tests: POSIX sockets, one
/// thread per connection, keep-alive, Content-Length bodies, `Expect: 100-continue`.
/// No chunked requests (libcurl does not send them for the requests opsbot makes).
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]  // lower-cased names
        public var body: Data
        /// When its last byte was read (benches time the client from here).
        public var receivedAt = Date()
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        /// A body without a length, written as it comes (a log stream): `stream` gets a writer
        /// (false once the client is gone) and the connection closes when it returns.
        public var stream: (@Sendable (_ write: (Data) -> Bool) -> Void)?
        /// Called with the time its serialized bytes are handed to the socket, just before (not
        /// for streams): a client cannot have seen them earlier.
        public var sending: (@Sendable (Date) -> Void)?
        public init(status: Int, headers: [String: String] = [:], body: Data,
                    stream: (@Sendable (_ write: (Data) -> Bool) -> Void)? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.stream = stream
        }
    }

    public let port: UInt16
    private let listenFD: Int32
    private let handler: @Sendable (Request) -> Response
    private let state = Locked<(stopped: Bool, clients: Set<Int32>, accepted: Int)>((false, [], 0))

    /// TCP connections accepted so far (tests of connection reuse).
    public var acceptedConnections: Int { state.current.accepted }

    /// The Unix socket path when listening on one (Docker Engine API fakes), else nil.
    public let unixSocketPath: String?

    /// Listens on 127.0.0.1 at a free port.
    public init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw ServerError("bind/listen: errno \(errno)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listenFD = fd
        port = UInt16(bigEndian: addr.sin_port)
        unixSocketPath = nil
        startAccepting()
    }

    /// Listens on a Unix socket at `unixSocketPath` (removed first if it exists).
    public init(unixSocketPath path: String, handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        unlink(path)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw ServerError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw ServerError("bind/listen \(path): errno \(errno)")
        }
        listenFD = fd
        port = 0
        unixSocketPath = path
        startAccepting()
    }

    private func startAccepting() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fake-http-accept"
        thread.start()
    }

    deinit { stop() }

    /// Closes the listener and every open connection.
    public func stop() {
        let clients = state.withLock { s -> Set<Int32>? in
            if s.stopped { return nil }
            s.stopped = true
            return s.clients
        }
        guard let clients else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        if let unixSocketPath { unlink(unixSocketPath) }
        for c in clients { shutdown(c, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let c = accept(listenFD, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted = state.withLock { s -> Bool in
                if s.stopped { return false }
                s.clients.insert(c)
                s.accepted += 1
                return true
            }
            guard accepted else { close(c); return }
            if unixSocketPath == nil {
                var one: Int32 = 1
                setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            let t = Thread { [self] in
                serve(c)
                state.withLock { _ = $0.clients.remove(c) }
                close(c)
            }
            t.name = "fake-http-conn"
            t.start()
        }
    }

    private func serve(_ fd: Int32) {
        var buffer = [UInt8]()
        while true {
            // Head
            var headEnd: Int? = find(buffer, [13, 10, 13, 10])
            while headEnd == nil {
                guard readMore(fd, &buffer) else { return }
                headEnd = find(buffer, [13, 10, 13, 10])
                if buffer.count > 1 << 20 { return }
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            buffer.removeFirst(headEnd! + 4)
            let lines = head.components(separatedBy: "\r\n")
            let parts = lines[0].split(separator: " ")
            guard parts.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            if headers["expect"]?.lowercased() == "100-continue" && buffer.count < length {
                guard write(fd, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            while buffer.count < length {
                guard readMore(fd, &buffer) else { return }
            }
            let body = Data(buffer[0..<length])
            buffer.removeFirst(length)
            let request = Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: body, receivedAt: Date())
            let response = handler(request)
            if let stream = response.stream {
                var out = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\nConnection: close\r\n"
                for (k, v) in response.headers.sorted(by: { $0.key < $1.key }) { out += "\(k): \(v)\r\n" }
                guard write(fd, Data((out + "\r\n").utf8) + response.body) else { return }
                stream { [self] chunk in !state.current.stopped && write(fd, chunk) }
                return
            }
            let closeAfter = headers["connection"]?.lowercased() == "close" || state.current.stopped
            var out = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            var h = response.headers
            h["Content-Length"] = String(response.body.count)
            h["Connection"] = closeAfter ? "close" : "keep-alive"
            if h["Content-Type"] == nil { h["Content-Type"] = "application/json" }
            for (k, v) in h.sorted(by: { $0.key < $1.key }) { out += "\(k): \(v)\r\n" }
            out += "\r\n"
            let bytes = Data(out.utf8) + response.body
            response.sending?(Date())
            guard write(fd, bytes), !closeAfter else { return }
        }
    }

    private func readMore(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return true
            }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    private func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var sent = 0
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }

    private func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        default: "Status"
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// multipart/form-data parsing for the fake server.
enum Multipart {
    struct Part {
        var name: String
        var filename: String?
        var data: Data
    }

    static func parse(_ body: Data, contentType: String) -> [Part] {
        guard let r = contentType.range(of: "boundary=") else { return [] }
        var boundary = String(contentType[r.upperBound...])
        if let semi = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semi]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Data(("--" + boundary).utf8)
        var parts: [Part] = []
        var searchFrom = body.startIndex
        var sections: [Range<Data.Index>] = []
        var previous: Data.Index? = nil
        while let found = body.range(of: delimiter, in: searchFrom..<body.endIndex) {
            if let previous { sections.append(previous..<found.lowerBound) }
            previous = found.upperBound
            searchFrom = found.upperBound
        }
        for section in sections {
            var s = body[section]
            if s.starts(with: [13, 10]) { s = s.dropFirst(2) }
            if s.suffix(2) == Data([13, 10]) { s = s.dropLast(2) }
            guard let split = s.range(of: Data([13, 10, 13, 10])) else { continue }
            let head = String(decoding: s[s.startIndex..<split.lowerBound], as: UTF8.self)
            let data = Data(s[split.upperBound...])
            var name = ""
            var filename: String? = nil
            for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition") {
                name = attribute("name", in: line) ?? ""
                filename = attribute("filename", in: line)
            }
            parts.append(Part(name: name, filename: filename, data: data))
        }
        return parts
    }

    private static func attribute(_ key: String, in line: String) -> String? {
        guard let r = line.range(of: "; \(key)=\"") else { return nil }
        let rest = line[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
