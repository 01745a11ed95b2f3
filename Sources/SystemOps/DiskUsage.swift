import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One mounted filesystem's usage (statvfs).
public struct MountUsage: Sendable, Hashable {
    public var mountPoint: String
    public var device: String
    public var fsType: String
    public var totalBytes: Int
    public var freeBytes: Int
    public var totalInodes: Int
    public var freeInodes: Int

    public init(mountPoint: String, device: String, fsType: String, totalBytes: Int, freeBytes: Int, totalInodes: Int, freeInodes: Int) {
        self.mountPoint = mountPoint; self.device = device; self.fsType = fsType
        self.totalBytes = totalBytes; self.freeBytes = freeBytes; self.totalInodes = totalInodes; self.freeInodes = freeInodes
    }

    public var usedPercent: Double { totalBytes == 0 ? 0 : Double(totalBytes - freeBytes) / Double(totalBytes) * 100 }
    public var inodesUsedPercent: Double { totalInodes == 0 ? 0 : Double(totalInodes - freeInodes) / Double(totalInodes) * 100 }
}

/// Sizes of filesystems, directories and files for `/disk`.
public enum DiskUsage {
    /// Filesystems that are not disks (their "usage" means nothing for "No space left on device").
    public static let pseudoTypes: Set<String> = [
        "proc", "sysfs", "devpts", "devtmpfs", "tmpfs", "cgroup", "cgroup2", "pstore", "bpf", "tracefs", "debugfs",
        "securityfs", "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "binfmt_misc", "nsfs", "rpc_pipefs",
        "ramfs", "squashfs", "efivarfs", "selinuxfs", "fuse.lxcfs", "fuse.gvfsd-fuse", "overlay.tmp", "none", "shm",
    ]

    /// Parses /proc/mounts: (device, mount point, type); octal escapes (`\040`) decoded.
    public static func parseMounts(_ text: String) -> [(device: String, mountPoint: String, fsType: String)] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count >= 3 else { return nil }
            return (unescape(String(f[0])), unescape(String(f[1])), String(f[2]))
        }
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = [UInt8]()
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 3 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(v); i += 4
            } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A container engine's root filesystem (docker overlay2 `…/<id>/merged`, containerd
    /// `…/rootfs`): one per running container, all of them the disk underneath, listed once.
    public static func isContainerRootfs(_ fsType: String, _ mountPoint: String) -> Bool {
        fsType == "overlay" && (mountPoint.hasSuffix("/merged") || mountPoint.hasSuffix("/rootfs"))
    }

    public static func usage(of path: String) -> MountUsage? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        let frsize = Int(s.f_frsize == 0 ? s.f_bsize : s.f_frsize)
        return MountUsage(mountPoint: path, device: "", fsType: "", totalBytes: Int(s.f_blocks) * frsize,
                          freeBytes: Int(s.f_bavail) * frsize, totalInodes: Int(s.f_files), freeInodes: Int(s.f_favail))
    }

    /// Every real mount, one entry per device (bind mounts collapse), skipping pseudo filesystems
    /// and the `ignore` mount points (prefix match).
    public static func mounts(procMounts: String = "/proc/mounts", ignore: [String] = []) -> [MountUsage] {
        guard let text = ProcInfo.readText(procMounts) else { return [] }
        var seen = Set<UInt64>()
        var out: [MountUsage] = []
        for m in parseMounts(text) {
            if pseudoTypes.contains(m.fsType) { continue }
            if isContainerRootfs(m.fsType, m.mountPoint) { continue }
            if ignore.contains(where: { m.mountPoint == $0 || m.mountPoint.hasPrefix($0 + "/") }) { continue }
            if m.mountPoint.hasPrefix("/proc") || m.mountPoint.hasPrefix("/sys") || m.mountPoint.hasPrefix("/dev/") { continue }
            var st = stat()
            guard stat(m.mountPoint, &st) == 0 else { continue }
            guard seen.insert(UInt64(st.st_dev)).inserted else { continue }
            guard var u = usage(of: m.mountPoint), u.totalBytes > 0 else { continue }
            u.device = m.device
            u.fsType = m.fsType
            out.append(u)
        }
        return out.sorted { $0.mountPoint < $1.mountPoint }
    }

    public struct Entry: Sendable, Hashable {
        public var path: String
        public var bytes: Int
    }

    public struct Scan: Sendable {
        /// Directories (up to `depth` below a root) by size on disk, largest first.
        public var directories: [Entry]
        /// Files by size on disk, largest first (log files when a filter is given).
        public var files: [Entry]
        /// Time or entry budget ran out: sizes are lower bounds.
        public var partial: Bool
        public var unreadable: Int
    }

    /// Walks `roots` (no symlinks, no crossing into other filesystems) within `deadline` and
    /// `maxEntries`, summing allocated size (st_blocks × 512: holes count as free).
    public static func scan(roots: [String], depth: Int = 2, top: Int = 10, deadline: Date, maxEntries: Int = 2_000_000,
                            fileFilter: (String) -> Bool = { _ in true }) -> Scan {
        var dirSizes: [String: Int] = [:]
        var files: [Entry] = []
        var entries = 0
        var partial = false
        var unreadable = 0

        func walk(_ path: String, level: Int, dev: UInt64, ancestors: [String]) -> Int {
            if partial { return 0 }
            guard let dir = opendir(path) else { unreadable += 1; return 0 }
            defer { closedir(dir) }
            var total = 0
            while let ent = readdir(dir) {
                let name = withUnsafePointer(to: ent.pointee.d_name) { p in
                    p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                entries += 1
                if entries % 1024 == 0 && (Date() >= deadline || entries >= maxEntries) { partial = true; break }
                let child = path == "/" ? "/" + name : path + "/" + name
                var st = stat()
                guard lstat(child, &st) == 0 else { unreadable += 1; continue }
                let kind = st.st_mode & S_IFMT
                let size = Int(st.st_blocks) * 512
                if kind == S_IFDIR {
                    if UInt64(st.st_dev) != dev { continue }
                    let sub = walk(child, level: level + 1, dev: dev, ancestors: ancestors)
                    if level + 1 <= depth { dirSizes[child, default: 0] += sub }
                    total += sub
                } else {
                    total += size
                    if kind == S_IFREG && fileFilter(child) { files.append(Entry(path: child, bytes: max(size, 0))) }
                    if files.count > top * 20 { files.sort { $0.bytes > $1.bytes }; files.removeLast(files.count - top) }
                }
            }
            return total
        }
        for root in roots {
            var st = stat()
            guard stat(root, &st) == 0 else { unreadable += 1; continue }
            let total = walk(root, level: 0, dev: UInt64(st.st_dev), ancestors: [])
            dirSizes[root, default: 0] += total
        }
        let dirs = dirSizes.map { Entry(path: $0.key, bytes: $0.value) }.sorted { $0.bytes > $1.bytes }
        files.sort { $0.bytes > $1.bytes }
        return Scan(directories: Array(dirs.prefix(top)), files: Array(files.prefix(top)), partial: partial, unreadable: unreadable)
    }

    /// Log-looking file names: `*.log`, `*.log.1`, `*.log.2.gz`, `*.out`, `*.err`.
    public static func isLogFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".log") || name.contains(".log.") || name.hasSuffix(".out") || name.hasSuffix(".err")
            || name.hasSuffix(".journal")
    }

    /// Allocated size of one file or directory tree (bounded).
    public static func size(of path: String, deadline: Date) -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) != S_IFDIR { return Int(st.st_blocks) * 512 }
        let s = scan(roots: [path], depth: 0, top: 1, deadline: deadline)
        return s.directories.first { $0.path == path }?.bytes
    }

    /// `1.2 GB`, `340 MB`, `12 KB`.
    public static func format(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e12 { return String(format: "%.1f TB", b / 1e12) }
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
        if b >= 1e3 { return String(format: "%.0f KB", b / 1e3) }
        return "\(bytes) B"
    }
}
