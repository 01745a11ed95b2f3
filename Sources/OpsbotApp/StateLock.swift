import Foundation

/// One opsbot per state directory: `run` holds `opsbot.lock` there (flock, released when the
/// process ends, however it ends), so a second `run` refuses and a `console` on the same
/// directory leaves the alert scheduler, pollers and listener to the running one — two
/// schedulers on one state would send every alert twice.
public final class StateLock: Sendable {
    public enum Outcome: Sendable {
        case acquired(StateLock)
        /// Another process holds it; its pid when the file says.
        case held(pid: Int32?)
    }

    public let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Tries to take the lock of `stateDir` (created when missing). nil: it cannot be opened
    /// (the store's own open then says why).
    public static func acquire(stateDir: String) -> Outcome? {
        try? FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let path = (stateDir as NSString).appendingPathComponent("opsbot.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buf = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buf, buf.count, 0)
            close(fd)
            let text = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : ""
            return .held(pid: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return .acquired(StateLock(path: path, fd: fd))
    }
}
