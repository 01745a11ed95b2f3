import OpsbotCore
import OpsbotSupport
import ServiceLifecycle
import SystemOps

/// When `opsbot run` hands the pages start-up touched back to the kernel: once start-up has
/// settled, then whenever the resident set has grown by `growthKB` since the last release (a
/// burst of commands touched code an idle bot does not run). Checked every `interval`.
public struct IdleTrimPolicy: Sendable {
    public var settle: Duration = .seconds(10)
    public var interval: Duration = .seconds(60)
    public var growthKB = 2048

    public init() {}

    /// `residentKB`: now; `afterLastReleaseKB`: right after the last release.
    public func shouldRelease(residentKB: Int, afterLastReleaseKB: Int) -> Bool {
        residentKB >= afterLastReleaseKB + growthKB
    }
}

/// The service that applies `IdleTrimPolicy` (`ResidentPages` by default; tests inject both ends).
package struct IdleTrim: Service {
    let policy: IdleTrimPolicy
    let clock: any OpsClock
    let residentKB: @Sendable () -> Int?
    let release: @Sendable () -> Int

    package init(policy: IdleTrimPolicy, clock: any OpsClock,
                 residentKB: @escaping @Sendable () -> Int? = { ResidentPages.residentKB() },
                 release: @escaping @Sendable () -> Int = { ResidentPages.releaseCleanFilePages() }) {
        self.policy = policy
        self.clock = clock
        self.residentKB = residentKB
        self.release = release
    }

    package func run() async {
        try? await cancelWhenGracefulShutdown { [self] in
            try await clock.sleep(for: policy.settle)
            var floor = releaseNow(first: true)
            while true {
                try await clock.sleep(for: policy.interval)
                if let now = residentKB(), policy.shouldRelease(residentKB: now, afterLastReleaseKB: floor) {
                    floor = releaseNow(first: false)
                }
            }
        }
    }

    private func releaseNow(first: Bool) -> Int {
        let before = residentKB() ?? 0
        let held = release()
        let after = residentKB() ?? 0
        let line = "idle memory: released the clean code pages start-up and past commands touched (\(held / 1024) MB mapped); resident \(before / 1024) → \(after / 1024) MB"
        if first { Log.info(line) } else { Log.debug(line) }
        return after
    }
}
