import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// What `/disk` shows for one machine: mounts, the largest directories and log files. A value
/// (not HTML) so that a remote host's `opsbot remote` can send it and this side renders and
/// escapes it like the local one.
public struct DiskSnapshot: Codable, Sendable {
    public struct Mount: Codable, Sendable { var mountPoint: String; var usedPercent: Double; var freeBytes: Int; var inodesUsedPercent: Double }
    public struct Entry: Codable, Sendable { var path: String; var bytes: Int }
    var mounts: [Mount] = []
    var directories: [Entry]?
    var directoriesPartial = false
    var unreadable = 0
    var logFiles: [Entry]?
    var logFilesPartial = false
    var scanTime: Double = 5
    var warnPercent: Double = 85
    var criticalPercent: Double = 95
    /// Per mount, where it is heading ("full in ~3 h 20 min at the last hour's rate"), from this
    /// machine's history; nil from a host without one.
    var fill: [String: String]?

    /// Measures this machine; blocking (statvfs and a directory walk bounded by `scan_time`).
    static func measure(_ cfg: DiskConfig) -> DiskSnapshot {
        var s = DiskSnapshot(scanTime: cfg.scanTime, warnPercent: cfg.warnPercent, criticalPercent: cfg.criticalPercent)
        s.mounts = DiskUsage.mounts(ignore: cfg.ignoreMounts).map {
            Mount(mountPoint: $0.mountPoint, usedPercent: $0.usedPercent, freeBytes: $0.freeBytes, inodesUsedPercent: $0.inodesUsedPercent)
        }
        let roots = cfg.roots.filter { FileManager.default.fileExists(atPath: $0) }
        if !roots.isEmpty {
            let scan = DiskUsage.scan(roots: roots, depth: cfg.depth, top: cfg.top, deadline: Date().addingTimeInterval(cfg.scanTime))
            s.directories = scan.directories.map { Entry(path: $0.path, bytes: $0.bytes) }
            s.directoriesPartial = scan.partial
            s.unreadable = scan.unreadable
        }
        let logRoots = cfg.logDirs.filter { FileManager.default.fileExists(atPath: $0) }
        if !logRoots.isEmpty {
            let scan = DiskUsage.scan(roots: logRoots, depth: 0, top: cfg.top, deadline: Date().addingTimeInterval(max(1, cfg.scanTime / 2)),
                                      fileFilter: DiskUsage.isLogFile)
            s.logFiles = scan.files.map { Entry(path: $0.path, bytes: $0.bytes) }
            s.logFilesPartial = scan.partial
        }
        return s
    }

    func render(title: String? = nil) -> String {
        let title = title ?? ServicesText.diskTitle.text()
        let rows = DiskModule.mountTable(mounts.map { u in
            let p = max(u.usedPercent, u.inodesUsedPercent)
            return (u.mountPoint, u.usedPercent, DiskUsage.format(u.freeBytes), u.inodesUsedPercent,
                    p >= criticalPercent ? "🔴" : (p >= warnPercent ? "⚠️" : ""))
        })
        var html = "<b>\(HTML.escape(title))</b>\n<pre>\(HTML.escape(rows.joined(separator: "\n")))</pre>\n"
        if let fill, !fill.isEmpty {
            html += mounts.compactMap { m in fill[m.mountPoint].map { "\(HTML.escape(m.mountPoint)): \(HTML.escape($0))" } }.joined(separator: "\n") + "\n"
        }
        func list(_ e: [Entry]) -> String {
            e.map { "\(DiskUsage.format($0.bytes).padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.path)" }.joined(separator: "\n")
        }
        if let dirs = directories {
            html += ServicesText.largestDirectories(partial: directoriesPartial, scanTime: scanTime, unreadable: unreadable).text()
            html += "\n<pre>\(HTML.escape(list(dirs)))</pre>\n"
        }
        if let logs = logFiles, !logs.isEmpty {
            html += ServicesText.largestLogFiles(partial: logFilesPartial).text() + "\n<pre>\(HTML.escape(list(logs)))</pre>\n"
        }
        return html.trimmingCharacters(in: .newlines)
    }
}
