import InMemoryLogging
import Logging
import OpsbotSupport

/// A test's own log: bind `logger` around the code under test (`withLogger(capture.logger) { … }`)
/// and every line that code and the tasks it starts log is captured here — after opsbot's
/// handler redacted it, so a test can prove no secret leaks. Parallel tests do not see each
/// other's lines (swift-log's task-local logger; no global hook).
public struct LogCapture: Sendable {
    /// The redacted events (the handler forwards to it; the logger filters by `level` first).
    public let memory: InMemoryLogHandler
    public let logger: Logger

    public init(level: Logger.Level = .debug) {
        let memory = InMemoryLogHandler()
        self.memory = memory
        logger = Logger(label: "test") { _ in OpsbotLogHandler(logLevel: level, output: .handler(memory)) }
    }

    /// The captured events as `level message k=v…` lines.
    public var lines: [String] {
        memory.entries.map { e in
            var line = "\(e.level) \(e.message)"
            for (key, value) in e.metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
            if let error = e.error { line += ": \(error)" }
            return line
        }
    }

    /// Runs `body` with this capture as the task's logger.
    public func run<T>(_ body: () async throws -> T) async throws -> T {
        try await withLogger(logger) { _ in try await body() }
    }

    public func run<T>(_ body: () async -> T) async -> T {
        await withLogger(logger) { _ in await body() }
    }
}
