import Foundation
import OpsbotSupport

/// Where the engine keeps its state between runs. The SQLite implementation is
/// `SQLiteAlertStore`; tests may use `MemoryAlertPersistence`.
public protocol AlertPersistence: Sendable {
    func loadAlerts() throws -> [AlertState]
    func saveAlerts(_ alerts: [AlertState]) throws
    func deleteAlerts(_ fingerprints: [String]) throws
    func loadMutes() throws -> [Mute]
    func saveMute(_ mute: Mute) throws
    func deleteMute(_ key: String) throws
    /// Next value of the id sequence (never reused, so an old button cannot hit a new alert).
    func nextAlertSequence() throws -> Int64
}

public final class MemoryAlertPersistence: AlertPersistence, Sendable {
    private let s = Locked<(alerts: [String: AlertState], mutes: [String: Mute], seq: Int64)>(([:], [:], 0))
    public init() {}
    public func loadAlerts() throws -> [AlertState] { Array(s.current.alerts.values) }
    public func saveAlerts(_ alerts: [AlertState]) throws { s.withLock { for a in alerts { $0.alerts[a.fingerprint] = a } } }
    public func deleteAlerts(_ fps: [String]) throws { s.withLock { for f in fps { $0.alerts[f] = nil } } }
    public func loadMutes() throws -> [Mute] { Array(s.current.mutes.values) }
    public func saveMute(_ m: Mute) throws { s.withLock { $0.mutes[m.key] = m } }
    public func deleteMute(_ key: String) throws { s.withLock { $0.mutes[key] = nil } }
    public func nextAlertSequence() throws -> Int64 { s.withLock { $0.seq += 1; return $0.seq } }
}
