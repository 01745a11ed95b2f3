import CCurl
import Foundation
import OpsbotSupport

/// HTTP over libcurl's easy interface.
///
/// Each transfer blocks its thread for up to `timeout`, so `send` runs it on a thread of its
/// own (`runBlocking`), never on the cooperative pool. Easy handles are pooled (each keeps its
/// idle connections across `curl_easy_reset`), so a stream of Bot API calls reuses a TLS
/// connection instead of handshaking every time; DNS and TLS sessions are shared process-wide.
/// Redirects are not followed.
public enum HTTPClient {
    /// Responses larger than this are refused (a runaway endpoint must not exhaust memory).
    public static let maxBodyBytes = 50 * 1024 * 1024

    /// Sends on a dedicated thread. Cancelling the task aborts the transfer within about a
    /// second (libcurl's progress callback) and throws `CancellationError`.
    public static func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let cancelled = Locked(false)
        let trace = StageTrace.current
        return try await withTaskCancellationHandler {
            try await runBlocking(name: "opsbot.http") { try perform(request, cancelled: cancelled, trace: trace) }
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
    }

    /// Sends on the calling thread (which it blocks).
    public static func sendSync(_ request: HTTPRequest) throws -> HTTPResponse {
        try perform(request, cancelled: nil)
    }

    // MARK: - The transfer

    private static func perform(_ request: HTTPRequest, cancelled: Locked<Bool>?, trace: StageTrace? = nil) throws -> HTTPResponse {
        let safeURL = URLRedaction.redact(request.url)
        func fail(_ kind: HTTPError.Kind, _ what: String) -> HTTPError {
            HTTPError(kind: kind, message: "\(request.method) \(safeURL): \(what)")
        }
        guard ccurl_global_init_once() == CURLE_OK else { throw fail(.other, "libcurl initialisation failed") }
        let origin = HandlePool.origin(of: request)
        guard let h = HandlePool.take(origin: origin) else { throw fail(.other, "curl_easy_init failed") }
        defer { HandlePool.give(h, origin: origin) }

        let sink = TransferSink(cancelled: cancelled)
        let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        var mime: OpaquePointer? = nil
        defer {
            curl_slist_free_all(headerList)
            if let mime { curl_mime_free(mime) }
        }

        var setupError: CURLcode = CURLE_OK
        func check(_ rc: CURLcode) { if rc != CURLE_OK && setupError == CURLE_OK { setupError = rc } }

        return try withExtendedLifetime(sink) {
            try errorBuffer.withUnsafeMutableBufferPointer { errBuf in
                check(ccurl_setopt_string(h, CURLOPT_URL, request.url))
                check(ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1))
                check(ccurl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0))
                check(ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, millis(request.connectTimeout)))
                check(ccurl_setopt_long(h, CURLOPT_TIMEOUT_MS, millis(request.timeout)))
                check(ccurl_setopt_pointer(h, CURLOPT_ERRORBUFFER, errBuf.baseAddress))
                check(ccurl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "http,https"))
                check(ccurl_setopt_off_t(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes)))
                if let share = ccurl_shared_handle() { check(ccurl_setopt_pointer(h, CURLOPT_SHARE, share)) }
                if let path = request.unixSocketPath { check(ccurl_setopt_string(h, CURLOPT_UNIX_SOCKET_PATH, path)) }

                check(ccurl_setopt_write_function(h, writeCallback))
                check(ccurl_setopt_pointer(h, CURLOPT_WRITEDATA, sinkPtr))
                check(ccurl_setopt_header_function(h, headerCallback))
                check(ccurl_setopt_pointer(h, CURLOPT_HEADERDATA, sinkPtr))
                if cancelled != nil {
                    check(ccurl_setopt_xferinfo_function(h, progressCallback))
                    check(ccurl_setopt_pointer(h, CURLOPT_XFERINFODATA, sinkPtr))
                }

                // Body: multipart, raw bytes, or none.
                let method = request.method.uppercased()
                if let parts = request.multipart {
                    mime = curl_mime_init(h)
                    for p in parts {
                        let part = curl_mime_addpart(mime)
                        check(curl_mime_name(part, p.name))
                        let bytes = [UInt8](p.data) + [0]
                        bytes.withUnsafeBufferPointer { buf in
                            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                                check(curl_mime_data(part, $0, p.data.count))  // copies
                            }
                        }
                        if let f = p.filename { check(curl_mime_filename(part, f)) }
                        if let t = p.contentType { check(curl_mime_type(part, t)) }
                    }
                    check(ccurl_setopt_mime(h, CURLOPT_MIMEPOST, mime))
                    if method != "POST" { check(ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method)) }
                } else if let body = request.body {
                    check(ccurl_setopt_off_t(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                    var bytes = [UInt8](body) + [0]
                    bytes.withUnsafeMutableBytes { raw in
                        // COPYPOSTFIELDS copies, so the bytes need not outlive this call.
                        check(ccurl_setopt_pointer(h, CURLOPT_COPYPOSTFIELDS, raw.baseAddress))
                    }
                    if method != "POST" { check(ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method)) }
                } else if method == "HEAD" {
                    check(ccurl_setopt_long(h, CURLOPT_NOBODY, 1))
                } else if method != "GET" {
                    check(ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method))
                }

                // Headers; "Expect:" off, a 1 s pause before every upload buys nothing.
                var headers = request.headers
                if !headers.keys.contains(where: { $0.lowercased() == "expect" }) { headers["Expect"] = "" }
                for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
                    let line = value.isEmpty ? "\(name):" : "\(name): \(value)"
                    headerList = curl_slist_append(headerList, line)
                }
                check(ccurl_setopt_slist(h, CURLOPT_HTTPHEADER, headerList))

                if setupError != CURLE_OK {
                    throw fail(.other, "libcurl setup failed: \(String(cString: curl_easy_strerror(setupError)))")
                }

                trace?.mark("http begin")
                let rc = curl_easy_perform(h)
                trace?.mark("http done")
                if rc == CURLE_OPERATION_TIMEDOUT, request.keepPartialBodyOnTimeout, !sink.wasCancelled {
                    var status: Int = 0
                    check(ccurl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status))
                    if status > 0 {
                        return HTTPResponse(status: status, headers: sink.headers, body: sink.body, totalTime: request.timeout, cutAtTimeout: true)
                    }
                }
                if rc != CURLE_OK {
                    if sink.wasCancelled { throw CancellationError() }
                    if sink.overflow { throw fail(.other, "response body larger than \(maxBodyBytes) bytes") }
                    let detail = String(cString: errBuf.baseAddress!)
                    let text = detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail
                    throw fail(kind(of: rc), text)
                }
                var status: Int = 0
                check(ccurl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status))
                var total: Double = 0
                check(ccurl_getinfo_double(h, CURLINFO_TOTAL_TIME, &total))
                return HTTPResponse(status: status, headers: sink.headers, body: sink.body, totalTime: total)
            }
        }
    }

    private static func millis(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return max(1, Int((seconds * 1000).rounded(.up)))
    }

    private static func kind(of rc: CURLcode) -> HTTPError.Kind {
        switch rc {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        default: .other
        }
    }
}

/// Idle easy handles, by origin. A handle is used by one thread at a time (taken, then given
/// back); `curl_easy_reset` clears its options but keeps its live connections, so the next
/// request to the same origin (the Bot API, the Docker socket) skips the TCP and TLS set-up.
private enum HandlePool {
    // @unchecked: a curl easy handle (a C pointer), owned by whoever took it out of the pool.
    struct Handle: @unchecked Sendable {
        let origin: String
        let raw: UnsafeMutableRawPointer
    }
    static let maxIdle = 8
    static let idle = Locked<[Handle]>([])

    static func take(origin: String) -> UnsafeMutableRawPointer? {
        let found = idle.withLock { list -> UnsafeMutableRawPointer? in
            guard let i = list.lastIndex(where: { $0.origin == origin }) else { return nil }
            return list.remove(at: i).raw
        }
        return found ?? curl_easy_init()
    }

    static func give(_ raw: UnsafeMutableRawPointer, origin: String) {
        curl_easy_reset(raw)
        let evicted = idle.withLock { list -> UnsafeMutableRawPointer? in
            list.append(Handle(origin: origin, raw: raw))
            return list.count > maxIdle ? list.removeFirst().raw : nil  // least recently used
        }
        if let evicted { curl_easy_cleanup(evicted) }
    }

    /// scheme://host:port (plus the socket path), the unit of connection reuse.
    static func origin(of request: HTTPRequest) -> String {
        var s = request.url
        if let scheme = s.range(of: "://"), let slash = s[scheme.upperBound...].firstIndex(of: "/") {
            s = String(s[..<slash])
        }
        return s + "|" + (request.unixSocketPath ?? "")
    }
}

/// Collects a transfer's headers and body; touched only by the transferring thread
/// (the cancel flag is the one shared piece, behind its lock).
private final class TransferSink {
    var body = Data()
    var headers: [String: String] = [:]
    var overflow = false
    var wasCancelled = false
    let cancelled: Locked<Bool>?
    init(cancelled: Locked<Bool>?) { self.cancelled = cancelled }
}

private let writeCallback: ccurl_data_callback = { ptr, size, nmemb, userdata in
    let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
    let n = size * nmemb
    guard let ptr, n > 0 else { return n }
    if sink.body.count + n > HTTPClient.maxBodyBytes {
        sink.overflow = true
        return 0  // aborts with CURLE_WRITE_ERROR
    }
    sink.body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: n)
    return n
}

private let headerCallback: ccurl_data_callback = { ptr, size, nmemb, userdata in
    let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
    let n = size * nmemb
    guard let ptr, n > 0 else { return n }
    let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        sink.headers = [:]  // a new response (after 100 Continue or a proxy CONNECT)
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if let old = sink.headers[name] { sink.headers[name] = old + ", " + value } else { sink.headers[name] = value }
    }
    return n
}

private let progressCallback: ccurl_xferinfo_callback = { userdata, _, _, _, _ in
    let sink = Unmanaged<TransferSink>.fromOpaque(userdata!).takeUnretainedValue()
    if sink.cancelled?.current == true {
        sink.wasCancelled = true
        return 1
    }
    return 0
}
