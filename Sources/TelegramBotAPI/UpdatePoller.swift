import Foundation
import OpsbotSupport

/// The poller cannot go on: the token is wrong (401). Restarting will not help.
public struct PollerFatalError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = Redactor.shared.redact(description) }
}

/// Exponential backoff with jitter for transient failures (5xx, network, 409).
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double

    public init(initial: Double = 1, maximum: Double = 60) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Delay before retry number `attempt` (0-based): half fixed, half random ("equal jitter"),
    /// so that restarted instances do not retry in lockstep.
    public func delay(attempt: Int) -> Double {
        let ceiling = min(maximum, initial * pow(2, Double(min(attempt, 30))))
        return ceiling / 2 + Double.random(in: 0...(ceiling / 2))
    }
}

/// Long-polls getUpdates and hands each update over, in order, exactly once across restarts.
///
/// For every update the new offset (update_id + 1) is persisted *before* the update is
/// handled: a crash in the middle of a confirmed `/restart` loses that one update rather than
/// running it twice. `handle` is awaited before the next update is handed over, so the caller
/// must keep it short — dispatch real work into its own Task (the router does); otherwise one
/// slow command delays every other command.
public final class UpdatePoller: Sendable {
    public static let allowedUpdates = ["message", "callback_query"]

    private let api: BotAPI
    private let pollTimeout: Int
    private let initialOffset: Int64?
    private let backoff: Backoff
    private let clock: any OpsClock
    /// A network or server failure is retried at least this often (the backoff still spaces
    /// out 409 conflicts): Telegram back is noticed within seconds, not after a minute's backoff.
    private let recoveryProbe: Double

    /// `clock` is what the poller waits on between failed polls (tests pass a manual clock).
    public init(api: BotAPI, pollTimeout: Int = 30, initialOffset: Int64?, backoff: Backoff = Backoff(),
                recoveryProbe: Double = 5, clock: any OpsClock = SystemClock()) {
        self.api = api
        self.pollTimeout = pollTimeout
        self.initialOffset = initialOffset
        self.backoff = backoff
        self.recoveryProbe = recoveryProbe
        self.clock = clock
    }

    /// Polls until the task is cancelled (returns) or the token is rejected (throws
    /// `PollerFatalError`). A failing `persistOffset` is rethrown: handling an update whose
    /// confirmation was not stored could run it twice.
    /// `polled` hears of every successful getUpdates (the health endpoint's "last poll").
    public func run(persistOffset: @Sendable (Int64) throws -> Void, polled: @Sendable () -> Void = {},
                    handle: @Sendable (TGUpdate) async -> Void) async throws {
        var offset = initialOffset
        var failures = 0
        var lastProblem: String? = nil
        while !Task.isCancelled {
            let updates: [TGUpdate]
            let trace = StageTrace.begin()
            do {
                // After a failure the first poll is a short one: it answers at once, so `polled`
                // (what /healthz reads) hears of the recovery now, not when a long poll ends.
                let timeout = lastProblem == nil ? pollTimeout : 0
                updates = try await StageTrace.$current.withValue(trace) {
                    try await api.getUpdates(offset: offset, timeout: timeout, allowedUpdates: Self.allowedUpdates)
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                let kind = (error as? BotAPIError)?.kind ?? .invalidResponse
                let wait: Double
                let problem: String
                switch kind {
                case .unauthorized:
                    throw PollerFatalError("Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN "
                                           + "(from @BotFather; revoked tokens stop working at once). Polling stopped.")
                case .rateLimited(let retryAfter):
                    wait = Double(retryAfter)
                    problem = "getUpdates rate-limited (429): waiting \(retryAfter) s as Telegram asks"
                case .conflictOtherPoller:
                    wait = backoff.delay(attempt: failures)
                    failures += 1
                    problem = "getUpdates conflict (409): another instance is polling with the same bot token. "
                        + "Stop the other opsbot (or whatever else uses this token); retrying with backoff"
                case .conflictWebhook:
                    wait = backoff.delay(attempt: failures)
                    failures += 1
                    problem = "getUpdates conflict (409): a webhook is set for this bot, so long polling is refused. "
                        + "Delete it (deleteWebhook) or stop the service that set it; retrying with backoff"
                default:
                    wait = min(backoff.delay(attempt: failures), recoveryProbe)
                    failures += 1
                    problem = "getUpdates failed: \(error); retrying at least every \(Int(recoveryProbe.rounded(.up))) s"
                }
                // One line per kind of problem and then one per escalation, not one per retry.
                if problem != lastProblem || failures.isPowerOfTwo {
                    Log.warning(problem + String(format: " (next try in %.1f s)", wait))
                }
                lastProblem = problem
                do { try await clock.sleep(seconds: wait) } catch { return }
                continue
            }
            polled()
            if lastProblem != nil {
                Log.info("getUpdates works again")
                lastProblem = nil
            }
            failures = 0
            for update in updates.sorted(by: { $0.updateID < $1.updateID }) {
                if let offset, update.updateID < offset { continue }  // already confirmed
                let next = update.updateID + 1
                let updateTrace = trace?.fork()
                try persistOffset(next)
                updateTrace?.mark("offset stored")
                offset = next
                await StageTrace.$current.withValue(updateTrace) { await handle(update) }
            }
        }
    }
}

private extension Int {
    var isPowerOfTwo: Bool { self > 0 && (self & (self - 1)) == 0 }
}
