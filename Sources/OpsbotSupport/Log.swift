import Foundation

/// Process log on stderr: one line per event, secrets redacted, level filtered.
///
/// Small on purpose: a chat-ops daemon logs a few lines a minute, and every line must pass
/// the redactor, which is easy to guarantee with one entry point.
public enum Log {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var label: String { ["debug", "info", "warning", "error"][rawValue] }
    }

    nonisolated(unsafe) public static var minimumLevel: Level = .info
    /// Tests capture log lines here to check that no secret leaks.
    nonisolated(unsafe) public static var sink: (@Sendable (String) -> Void)? = nil

    /// Receives the lines written by this task and the tasks it starts: lets a test capture
    /// its own log lines while other tests run in parallel.
    @TaskLocal public static var taskObserver: (@Sendable (String) -> Void)? = nil

    private static let observers = Locked<[UUID: @Sendable (String) -> Void]>([:])

    /// Receives every line written from now on, in addition to the normal output (tests use
    /// this to prove that no secret is logged, without taking the output away from others).
    public static func observe(_ observer: @escaping @Sendable (String) -> Void) -> UUID {
        let id = UUID()
        observers.withLock { $0[id] = observer }
        return id
    }

    public static func stopObserving(_ id: UUID) {
        observers.withLock { _ = $0.removeValue(forKey: id) }
    }

    public static func debug(_ message: @autoclosure () -> String) { write(.debug, message()) }
    public static func info(_ message: @autoclosure () -> String) { write(.info, message()) }
    public static func warning(_ message: @autoclosure () -> String) { write(.warning, message()) }
    public static func error(_ message: @autoclosure () -> String) { write(.error, message()) }

    public static func write(_ level: Level, _ message: String) {
        guard level >= minimumLevel else { return }
        let line = "\(timestamp()) \(level.label) \(Redactor.shared.redact(message))"
        taskObserver?(line)
        for o in observers.current.values { o(line) }
        if let sink { sink(line); return }
        // A slow reader of stderr (a full pipe) must never block the caller, which is often
        // a thread of Swift's cooperative pool: lines go out from a serial queue, in order.
        writer.async { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    private static let writer = DispatchQueue(label: "opsbot.log")

    /// Waits until every line logged so far is written (before the process exits).
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
