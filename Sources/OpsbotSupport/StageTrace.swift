#if canImport(Glibc)
import Glibc
#endif

/// Where one update's time goes on its way to a reply (poll received, decoded, offset stored,
/// parsed, ACL, arguments bound, rendered, encoded, on the wire, audited): `opsbench core`
/// prints the breakdown from these lines.
///
/// Off unless `OPSBOT_STAGE_TRACE` is set in the environment. Then every mark costs one
/// `clock_gettime(CLOCK_MONOTONIC)` (vDSO, tens of nanoseconds) and a short locked append; off,
/// it costs a nil check. The trace rides along as a task-local value, so the marks need no
/// plumbing through the layers between the poller and the HTTP client.
public final class StageTrace: Sendable {
    @TaskLocal public static var current: StageTrace?
    public static let enabled = getenv("OPSBOT_STAGE_TRACE") != nil

    private let marks: Locked<[(name: String, ns: UInt64)]>

    public init() { marks = Locked([]) }
    private init(_ marks: [(name: String, ns: UInt64)]) { self.marks = Locked(marks) }

    /// A new trace when tracing is on.
    public static func begin() -> StageTrace? { enabled ? StageTrace() : nil }

    /// Monotonic nanoseconds (the same clock in every process on the machine).
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public func mark(_ name: String, at ns: UInt64 = StageTrace.now()) {
        marks.withLock { $0.append((name, ns)) }
    }

    /// Marks the current task's trace, if there is one.
    public static func mark(_ name: @autoclosure () -> String) {
        if let t = current { t.mark(name()) }
    }

    /// A trace that starts with this one's marks (one per update of a poll).
    public func fork() -> StageTrace { StageTrace(marks.current) }

    /// `stage-trace name:ns name:ns …`, nanoseconds since the first mark, in the order marked
    /// (short numbers and no `=`: the line passes the redactor without waking its regexes).
    public var line: String {
        let all = marks.current
        let origin = all.first?.ns ?? 0
        return "stage-trace " + all.map { "\($0.name):\($0.ns - origin)" }.joined(separator: " ")
    }
}
