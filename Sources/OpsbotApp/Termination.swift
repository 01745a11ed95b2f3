import Foundation
#if canImport(Glibc)
import Glibc
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener
#endif

/// Waits for SIGTERM or SIGINT (systemd stop, Ctrl-C), so the caller can stop polling, let
/// running actions finish and flush the store before exiting 0.
public enum Termination {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    public static func wait() async -> Int32 {
        await withCheckedContinuation { (cont: CheckedContinuation<Int32, Never>) in
            let once = Locked(false)
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                src.setEventHandler {
                    let first = once.withLock { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    if first { cont.resume(returning: sig) } else { exit(130) }
                }
                src.resume()
                sources.append(src)
            }
        }
    }
}

/// Counts in-flight handlers so shutdown can wait for them (bounded).
public final class InFlight: Sendable {
    private let count = Locked(0)
    public init() {}
    public func run(_ body: @escaping @Sendable () async -> Void) {
        count.withLock { $0 += 1 }
        Task {
            await body()
            self.count.withLock { $0 -= 1 }
        }
    }
    public var current: Int { count.current }

    /// Waits until nothing is running or `timeout` passes; returns what is still running.
    public func drain(timeout: Double) async -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while current > 0 && Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
        return current
    }
}

/// SIGHUP (`systemctl reload opsbot`, `kill -HUP`): each one asks for a config reload.
public enum HangUp {
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    public static func signals() -> AsyncStream<Void> {
        let (stream, cont) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        signal(SIGHUP, SIG_IGN)
        let src = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        src.setEventHandler { cont.yield(()) }
        src.resume()
        source = src
        return stream
    }
}
