import Foundation
import HTTPClient
import Testing

@Suite struct HTTPClientTests {
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

    @Test func unresolvableHostIsADNSError() throws {
        #expect(throws: HTTPError.self) {
            _ = try HTTPClient.sendSync(HTTPRequest(url: "http://opsbot-no-such-host.invalid/", timeout: 5))
        }
        do {
            _ = try HTTPClient.sendSync(HTTPRequest(url: "http://opsbot-no-such-host.invalid/", timeout: 5))
        } catch let e as HTTPError {
            #expect(e.kind == .dns)
        }
    }
}
