import Foundation

/// How loud an alert is: warnings go out silently, criticals with a notification sound.
public enum Severity: Int, Sendable, Hashable, Comparable, Codable, CaseIterable {
    case warning = 1, critical = 2
    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    public var label: String { self == .critical ? "critical" : "warning" }
    public var symbol: String { self == .critical ? "🔴" : "⚠️" }
    public init?(label: String) {
        switch label.lowercased() {
        case "warning", "warn": self = .warning
        case "critical", "crit": self = .critical
        default: return nil
        }
    }
}
