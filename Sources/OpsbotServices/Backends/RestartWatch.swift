import Foundation
import OpsbotCore
import OpsbotSupport

/// What a platform backend remembers between a restart request and the end of its verification:
/// the state the platform reported before, so that "restarted" means "the platform reports
/// something else now" (immune to clock skew between opsbot and the platform).
///
/// The watch ends with the verification (`end()`, success or failure), or as soon as the
/// platform shows the restart. Should no verification follow (a caller that restarts without
/// verifying), it lapses after `restart_wait`: `/status` never keeps reporting a restart that
/// is long over.
final class RestartWatch<Snapshot: Sendable>: Sendable {
    private struct Watch: Sendable {
        var before: Snapshot
        var elapsed: @Sendable () -> Double
    }
    private let state = Locked<Watch?>(nil)
    private let clock: any OpsClock
    /// Seconds after which an unended watch lapses.
    private let limit: Double

    init(clock: any OpsClock, limit: Double) {
        self.clock = clock
        self.limit = limit
    }

    func begin(_ before: Snapshot) { state.withLock { $0 = Watch(before: before, elapsed: clock.stopwatch()) } }

    /// The platform showed the restart, or the verification is over: report the platform as it is.
    func end() { state.withLock { $0 = nil } }

    /// The state before the restart while the watch is on; nil once it ended or lapsed.
    var before: Snapshot? {
        state.withLock { w -> Snapshot? in
            guard let current = w else { return nil }
            if current.elapsed() > limit { w = nil; return nil }
            return current.before
        }
    }
}

/// A restart opsbot asked for that the platform does not show yet. `ServiceStatus.state` stays
/// what the platform reports; this says what still reads as before.
public struct UnconfirmedRestart: Sendable, Hashable {
    /// "Heroku still reports worker.1 unchanged", in every language (`unchanged` is the English).
    public var unchangedText: LocalizedText
    public var unchanged: String { unchangedText.en }
    /// True where the platform always shows a restart it performed (Heroku's dyno timestamps):
    /// no sign of it by the deadline means it did not happen. False where a restart may leave no
    /// trace in what the API exposes (Railway): the deadline then means "not verifiable", never "failing".
    public var alwaysVisible: Bool

    public init(unchanged: String, alwaysVisible: Bool) {
        self.init(unchanged: LocalizedText(verbatim: unchanged), alwaysVisible: alwaysVisible)
    }

    public init(unchanged: LocalizedText, alwaysVisible: Bool) {
        self.unchangedText = unchanged
        self.alwaysVisible = alwaysVisible
    }
}
