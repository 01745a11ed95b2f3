import CShims
import Foundation
import OpsbotSupport

/// The process's own resident memory. Most of an idle opsbot's RSS is code and constants that
/// start-up read once from the binary and libcurl's TLS libraries (config decoding, catalog
/// loading, each feature's start) — clean pages the kernel keeps mapped until memory runs short.
/// `releaseCleanFilePages` hands them back at once; what runs later faults back in only the
/// pages it touches, from the page cache (a minor fault each, no disk read while cached).
public enum ResidentPages {
    /// One release at a time: the C side keeps its list of mappings in static storage.
    private static let serial = Locked(())

    /// Resident set in kB (`VmRSS` of /proc/self/status); nil without /proc.
    public static func residentKB() -> Int? {
        guard let raw = ProcInfo.readFile("/proc/self/status", max: 8192) else { return nil }
        for line in String(decoding: raw, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        return nil
    }

    /// Drops the clean pages of private read-only file mappings from this process's page tables
    /// (never a page it wrote: relocated or writable data stays). Returns the kB they held.
    @discardableResult
    public static func releaseCleanFilePages() -> Int {
        serial.withLock { _ in max(0, opsbot_release_clean_file_pages()) }
    }
}
