import Foundation
import InMemoryLogging
import Logging
import Testing
@testable import OpsbotSupport

/// opsbot's swift-log handler: the line format, and the redactor applied to the message, every
/// metadata value (nested too) and the error — whatever code or library logged them.
@Suite struct LogHandlerTests {
    /// Token-shaped, assembled at run time so no tracked file holds one.
    static let token = "4242424242:" + String(repeating: "AAsecretPart", count: 3)

    final class Lines: Sendable {
        let items = Locked<[String]>([])
        func append(_ s: String) { items.withLock { $0.append(s) } }
    }

    @Test func tokenInMessageMetadataAndErrorIsRedactedInTheLine() {
        let lines = Lines()
        let redactor = Redactor()
        redactor.register("hunter2-password")
        let logger = Logger(label: "t") { _ in OpsbotLogHandler(output: .lines(lines.append), redactor: redactor) }
        struct Failure: Error, CustomStringConvertible { var description: String }
        logger.warning("getUpdates failed for https://api.telegram.org/bot\(Self.token)/getUpdates",
                       error: Failure(description: "curl: bot\(Self.token) unreachable"),
                       metadata: ["url": "https://api.telegram.org/bot\(Self.token)/getMe",
                                  "nested": ["a": .array(["password=hunter2-password", "fine"])],
                                  "attempt": .stringConvertible(3)])
        let out = lines.items.current
        #expect(out.count == 1)
        let line = out.first ?? ""
        #expect(!line.contains(Self.token) && !line.contains("hunter2-password"), "leak: \(line)")
        #expect(line.contains(" warning getUpdates failed for https://api.telegram.org/bot[REDACTED]/getUpdates"), "\(line)")
        #expect(line.contains("url=https://api.telegram.org/bot[REDACTED]/getMe"), "\(line)")
        #expect(line.contains("attempt=3"), "\(line)")
        #expect(line.contains("curl: bot[REDACTED] unreachable"), "\(line)")
        // Today's shape: UTC timestamp, level, message.
        #expect(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ warning "#, options: .regularExpression) != nil, "\(line)")
    }

    @Test func forwardsRedactedEventsToAnInMemoryHandler() {
        let memory = InMemoryLogHandler()
        let logger = Logger(label: "t") { _ in OpsbotLogHandler(output: .handler(memory)) }
        logger.info("token \(Self.token)", metadata: ["token": "\(Self.token)"])
        let entry = memory.entries.first
        #expect(memory.entries.count == 1)
        #expect(entry?.message.description == "token [REDACTED]")
        #expect(entry?.metadata["token"] == "[REDACTED]")
    }

    @Test func levelFiltersAndTaskLocalLoggerReachesTheFacade() async {
        let memory = InMemoryLogHandler()
        let logger = Logger(label: "t") { _ in OpsbotLogHandler(logLevel: .warning, output: .handler(memory)) }
        await withLogger(logger) { _ in
            Log.info("not at warning")
            await Task { Log.warning("from a child task: \(Self.token)") }.value
        }
        #expect(memory.entries.map(\.message.description) == ["from a child task: [REDACTED]"])
    }
}
