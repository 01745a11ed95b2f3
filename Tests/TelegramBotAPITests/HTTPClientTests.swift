import Foundation
import HTTPClient
import Testing
import TestTraits
import TestKit

@Suite(.exclusive) struct HTTPClientTests {
    @Test func refusedConnectionIsAConnectErrorWithoutTheToken() async throws {
        let token = "123456:NOT-A-REAL-TOKEN-abcdefghijklmnopqrstuvwxyz"
        let req = HTTPRequest(method: "POST", url: "http://127.0.0.1:1/bot\(token)/getMe?x=secret", timeout: 5)
        do {
            _ = try await HTTPClient.send(req)
            Issue.record("expected an error")
        } catch let e as HTTPError {
            #expect(e.kind == .connect)
            #expect(!e.message.contains(token))
            #expect(!e.message.contains("NOT-A-REAL"))
            #expect(!e.message.contains("secret"))
            #expect(e.message.contains("127.0.0.1"))
        }
    }

    /// Async on purpose: a resolver can block for seconds, and a blocked cooperative thread
    /// would stall every other test in the process.
    @Test func unresolvableHostIsADNSError() async throws {
        do {
            _ = try await HTTPClient.send(HTTPRequest(url: "http://opsbot-no-such-host.invalid/", timeout: 5))
            Issue.record("an unresolvable host answered")
        } catch let e as HTTPError {
            #expect(e.kind == .dns)
        }
    }
}

@Suite(.exclusive) struct HTTPClientLoopbackTests {
    @Test func postsJSONAndReadsStatusHeadersBody() async throws {
        let server = try LoopbackHTTPServer { req in
            LoopbackHTTPServer.Response(status: 201, headers: ["X-Echo": req.headers["x-test"] ?? "-"],
                                        body: Data("\(req.method) \(req.path) \(String(decoding: req.body, as: UTF8.self))".utf8))
        }
        defer { server.stop() }
        let r = try await HTTPClient.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/a/b",
                                                      headers: ["X-Test": "yes"], body: Data(#"{"k":1}"#.utf8)))
        #expect(r.status == 201)
        #expect(r.headers["x-echo"] == "yes")
        #expect(String(decoding: r.body, as: UTF8.self) == #"POST /a/b {"k":1}"#)
        #expect(r.totalTime > 0)
        // Custom methods and empty bodies.
        let d = try await HTTPClient.send(HTTPRequest(method: "DELETE", url: "http://127.0.0.1:\(server.port)/x"))
        #expect(String(decoding: d.body, as: UTF8.self) == "DELETE /x ")
    }

    @Test func sequentialRequestsReuseTheConnection() async throws {
        let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200, body: Data("ok".utf8)) }
        defer { server.stop() }
        for _ in 0..<10 {
            let r = try await HTTPClient.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/", body: Data("x".utf8)))
            #expect(r.status == 200)
        }
        // Pooled handles keep their connections (a busy parallel test run may evict one).
        #expect(server.acceptedConnections <= 5, "\(server.acceptedConnections) connections for 10 requests")
    }

    @Test func unixSocketTransport() async throws {
        let path = "/tmp/opsbot-test-\(UUID().uuidString.prefix(8)).sock"
        let server = try LoopbackHTTPServer(unixSocketPath: path) { req in
            LoopbackHTTPServer.Response(status: 200, body: Data("docker \(req.method) \(req.path)".utf8))
        }
        defer { server.stop() }
        let r = try await HTTPClient.send(HTTPRequest(url: "http://localhost/v1.41/containers/json?all=1", unixSocketPath: path))
        #expect(r.status == 200)
        #expect(String(decoding: r.body, as: UTF8.self) == "docker GET /v1.41/containers/json?all=1")
        // A missing socket is a connect error.
        await #expect(throws: HTTPError.self) {
            _ = try await HTTPClient.send(HTTPRequest(url: "http://localhost/_ping", unixSocketPath: path + ".missing"))
        }
    }

    @Test func totalTimeoutIsEnforcedAndClassified() async throws {
        let server = try LoopbackHTTPServer { _ in
            Thread.sleep(forTimeInterval: 6)
            return LoopbackHTTPServer.Response(status: 200, body: Data())
        }
        defer { server.stop() }
        let start = Date()
        do {
            _ = try await HTTPClient.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/slow", timeout: 0.4))
            Issue.record("expected a timeout")
        } catch let e as HTTPError {
            #expect(e.kind == .timeout)
        }
        // Well before the server answers (6 s), with room for a loaded 2-core machine.
        #expect(Date().timeIntervalSince(start) < 4)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try LoopbackHTTPServer { _ in
            Thread.sleep(forTimeInterval: 5)
            return LoopbackHTTPServer.Response(status: 200, body: Data())
        }
        defer { server.stop() }
        let start = Date()
        let task = Task { try await HTTPClient.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: 20)) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test func multipartUploadArrivesIntact() async throws {
        let got = Recorder<[String]>()
        let server = try LoopbackHTTPServer { req in
            got.append([req.headers["content-type"] ?? "", String(decoding: req.body, as: UTF8.self)])
            return LoopbackHTTPServer.Response(status: 200, body: Data())
        }
        defer { server.stop() }
        let file = Data((0..<3000).map { _ in UInt8.random(in: 65...90) })
        _ = try await HTTPClient.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/up", multipart: [
            MultipartPart(name: "chat_id", data: Data("42".utf8)),
            MultipartPart(name: "document", filename: "out.txt", contentType: "text/plain", data: file),
        ]))
        let seen = try #require(got.all.first)
        #expect(seen[0].hasPrefix("multipart/form-data; boundary="))
        #expect(seen[1].contains("name=\"document\"; filename=\"out.txt\""))
        #expect(seen[1].contains(String(decoding: file, as: UTF8.self)))
    }
}
