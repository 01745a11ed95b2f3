import Foundation
import Logging

/// opsbot's swift-log backend: one line per event on stderr,
/// `2026-11-23T18:42:31Z warning message key=value`, with the message, every metadata value and
/// the error passed through the redactor first — the bot token never reaches a log, whichever
/// library logged it. The executable bootstraps it once (`LoggingSystem.bootstrap`).
public struct OpsbotLogHandler: LogHandler {
    /// Where redacted events go.
    public enum Output: Sendable {
        /// Formatted lines on stderr, written in order from a serial queue.
        case standardError
        /// Formatted lines to a closure (a test's recorder).
        case lines(@Sendable (String) -> Void)
        /// The redacted event, unformatted, to another handler (a test's `InMemoryLogHandler`).
        case handler(any LogHandler)
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: Output
    private let redactor: Redactor

    public init(label: String = "opsbot", logLevel: Logger.Level = .info, output: Output = .standardError, redactor: Redactor = .shared) {
        self.logLevel = logLevel
        self.output = output
        self.redactor = redactor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var clean = event
        clean.message = "\(redactor.redact(event.message.description))"
        clean.metadata = merged.isEmpty ? nil : merged.mapValues(redact)
        clean.error = event.error.map { RedactedError(description: redactor.redact("\($0)")) }
        switch output {
        case .standardError:
            let line = Self.format(clean) + "\n"
            // A slow reader of stderr (a full pipe) must never block the caller, often a thread
            // of Swift's cooperative pool: lines go out from a serial queue, in order.
            Self.writer.async { FileHandle.standardError.write(Data(line.utf8)) }
        case .lines(let write):
            write(Self.format(clean))
        case .handler(let next):
            next.log(event: clean)
        }
    }

    private func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let s): .string(redactor.redact(s))
        case .stringConvertible(let c): .string(redactor.redact(c.description))
        case .array(let a): .array(a.map(redact))
        case .dictionary(let d): .dictionary(d.mapValues(redact))
        }
    }

    /// `TIMESTAMP level message k=v k=v: error`, metadata keys sorted.
    static func format(_ event: LogEvent) -> String {
        var line = "\(timestamp()) \(event.level) \(event.message)"
        for (key, value) in (event.metadata ?? [:]).sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        if let error = event.error { line += ": \(error)" }
        return line
    }

    private static let writer = DispatchQueue(label: "opsbot.log")

    /// Waits until every line logged so far is on stderr (before the process exits).
    public static func flush() {
        writer.sync {}
    }

    private static func timestamp() -> String {
        var t = time(nil)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        // By hand: String(format:) goes through CoreFoundation's formatter for every line.
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tmv.tm_year + 1900)-\(two(tmv.tm_mon + 1))-\(two(tmv.tm_mday))T\(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec))Z"
    }
}

/// An error's text after redaction (the original may hold a URL with the token).
struct RedactedError: Error, CustomStringConvertible {
    var description: String
}
