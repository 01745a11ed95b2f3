import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// `disk:` — thresholds and where to look for big directories and logs.
public struct DiskConfig: Decodable, Sendable {
    public var warnPercent: Double = 85
    public var criticalPercent: Double = 95
    public var roots: [String] = ["/var/log", "/var/lib/docker", "/tmp"]
    public var logDirs: [String] = ["/var/log"]
    public var depth: Int = 2
    public var scanTime: Double = 5
    public var top: Int = 8
    public var ignoreMounts: [String] = []
    /// Hysteresis: a disk alert clears only this many points below its threshold.
    public var clearMargin: Double = 5
    public var logGrowth = LogGrowth()
    /// `disk_fill`: warning when a mount will be full within `fill_warn`, critical within
    /// `fill_critical`, at the rate of the last `fill_window` (least squares).
    public var fillWarn: Double = 4 * 3600
    public var fillCritical: Double = 3600
    public var fillWindow: Double = 3600

    /// Seed 003's incident: a log that fills the disk. Each run of the disk check measures the
    /// files and alerts (`log_growth`) when one grows faster than `max_mb_per_hour`.
    public struct LogGrowth: Decodable, Sendable {
        /// Growth above this (MB per hour) alerts; 0 turns the check off.
        public var maxMBPerHour: Double = 200
        /// Files watched besides every service's `log_file`.
        public var files: [String] = []
        enum CodingKeys: String, CodingKey { case maxMBPerHour = "max_mb_per_hour", files }
        public init() {}
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            maxMBPerHour = try c.decodeIfPresent(Double.self, forKey: .maxMBPerHour) ?? maxMBPerHour
            files = try c.decodeIfPresent([String].self, forKey: .files) ?? []
        }
    }

    enum CodingKeys: String, CodingKey {
        case warnPercent = "warn_percent", criticalPercent = "critical_percent", roots, logDirs = "log_dirs", depth
        case scanTime = "scan_time", top, ignoreMounts = "ignore_mounts", logGrowth = "log_growth", clearMargin = "clear_margin"
        case fillWarn = "fill_warn", fillCritical = "fill_critical", fillWindow = "fill_window"
    }
    public init() {}
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        warnPercent = try c.decodeIfPresent(Double.self, forKey: .warnPercent) ?? 85
        criticalPercent = try c.decodeIfPresent(Double.self, forKey: .criticalPercent) ?? 95
        roots = try c.decodeIfPresent([String].self, forKey: .roots) ?? roots
        logDirs = try c.decodeIfPresent([String].self, forKey: .logDirs) ?? logDirs
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? 2
        scanTime = try c.decodeIfPresent(ConfigDuration.self, forKey: .scanTime)?.seconds ?? 5
        top = try c.decodeIfPresent(Int.self, forKey: .top) ?? 8
        ignoreMounts = try c.decodeIfPresent([String].self, forKey: .ignoreMounts) ?? []
        logGrowth = try c.decodeIfPresent(LogGrowth.self, forKey: .logGrowth) ?? LogGrowth()
        clearMargin = try c.decodeIfPresent(Double.self, forKey: .clearMargin) ?? clearMargin
        fillWarn = try c.decodeIfPresent(ConfigDuration.self, forKey: .fillWarn)?.seconds ?? fillWarn
        fillCritical = try c.decodeIfPresent(ConfigDuration.self, forKey: .fillCritical)?.seconds ?? fillCritical
        fillWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .fillWindow)?.seconds ?? fillWindow
        if fillCritical > fillWarn {
            throw DecodingError.dataCorruptedError(forKey: .fillCritical, in: c, debugDescription: "fill_critical must not be longer than fill_warn")
        }
        if fillWindow < 300 {
            throw DecodingError.dataCorruptedError(forKey: .fillWindow, in: c, debugDescription: "fill_window must be at least 5m")
        }
    }
}
