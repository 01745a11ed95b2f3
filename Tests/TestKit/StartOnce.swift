import Foundation
import OpsbotSupport

/// An engine shared by every test of a process: started on first use, and its result — the
/// engine or the reason it could not start — kept for every later caller, so a broken engine
/// fails each test with the same error instead of being started again and again.
public final class StartOnce<T: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is only touched under `lock`.
    private let lock = NSLock()
    private var result: Result<T, Error>?

    public init() {}

    public func get(_ start: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let result { return try result.get() }
        let r = Result { try start() }
        result = r
        return try r.get()
    }
}

/// The loud banner of a suite that skips because its engine is missing, once per engine and process.
public enum SkipBanner {
    private static let shown = Locked<Set<String>>([])

    /// True when the engine is there or CI demands the tests run (and fail without it); else the banner, once.
    public static func available(_ found: Bool, engine: String, _ lines: String...) -> Bool {
        if found || ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        show(engine, lines)
        return false
    }

    public static func show(_ engine: String, _ lines: [String]) {
        guard shown.withLock({ $0.insert(engine).inserted }) else { return }
        let bar = String(repeating: "!", count: 78)
        FileHandle.standardError.write(Data((([bar] + lines.map { "!! " + $0 } + [bar]).joined(separator: "\n") + "\n\n").utf8))
    }
}
