import Foundation
import Logging

/// Short call sites over swift-log: `Log.info("…")` logs to the `Logger` in scope.
///
/// The logger in scope is the one bound with `withLogger` — the executable binds its
/// bootstrapped opsbot logger, a test binds one over its own handler — and tasks inherit it.
/// Where none was bound and nothing was bootstrapped (a test that captures nothing), swift-log's
/// default would print unredacted: the redacting `OpsbotLogHandler` is used instead, so no
/// line ever skips the redactor.
public enum Log {
    public static var logger: Logger {
        let current = Logger.current
        return current.handler is StreamLogHandler ? unbound : current
    }

    private static let unbound = Logger(label: "opsbot") { OpsbotLogHandler(label: $0) }

    public static func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Logger.Metadata? = nil,
                             file: String = #fileID, function: String = #function, line: UInt = #line) {
        logger.debug("\(message())", metadata: metadata(), file: file, function: function, line: line)
    }

    public static func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Logger.Metadata? = nil,
                            file: String = #fileID, function: String = #function, line: UInt = #line) {
        logger.info("\(message())", metadata: metadata(), file: file, function: function, line: line)
    }

    public static func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Logger.Metadata? = nil,
                               file: String = #fileID, function: String = #function, line: UInt = #line) {
        logger.warning("\(message())", metadata: metadata(), file: file, function: function, line: line)
    }

    public static func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Logger.Metadata? = nil,
                             file: String = #fileID, function: String = #function, line: UInt = #line) {
        logger.error("\(message())", metadata: metadata(), file: file, function: function, line: line)
    }

    /// Waits until every line logged so far is written (before the process exits).
    public static func flush() {
        OpsbotLogHandler.flush()
    }
}
