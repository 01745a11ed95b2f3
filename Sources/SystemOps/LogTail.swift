import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The last lines of a log file, read from the end backwards in blocks, so that the cost
/// grows with the number of lines wanted and not with the size of the file (a 2 GB log
/// answers `/logs worker 50` as fast as `tail -n 50`).
public enum LogTail {
    public struct Result: Sendable, Equatable {
        /// Oldest first.
        public var lines: [String]
        /// Bytes of the file looked at before stopping.
        public var scannedBytes: Int
        /// The file size when reading started.
        public var fileSize: Int
        /// The scan stopped at `maxScanBytes` before `count` matching lines were found.
        public var hitScanLimit: Bool
        /// The file was truncated or replaced while being read (noted in the reply).
        public var note: String?
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case missing(String), unreadable(String, String), notAFile(String)
        public var description: String {
            switch self {
            case .missing(let p): "log file \(p) does not exist"
            case .unreadable(let p, let why): "cannot read \(p): \(why)"
            case .notAFile(let p): "\(p) is not a regular file"
            }
        }
    }

    /// Reads up to `count` lines (after `accept`) from the end of `path`.
    /// - `stopBefore`: when a line is judged older than the window (`.stop`), reading ends.
    /// - Lines longer than `maxLineBytes` keep their end, marked with `…`.
    /// - `afterBlock` is called after each block (tests use it to rotate the file mid-read).
    public static func read(path: String, count: Int, blockSize: Int = 64 * 1024,
                            maxScanBytes: Int = 256 * 1024 * 1024, maxLineBytes: Int = 8192,
                            filter: LineFilter? = nil, afterBlock: (@Sendable (Int) -> Void)? = nil) throws -> Result {
        var attempt = 0
        var note: String? = nil
        while true {
            attempt += 1
            switch try readOnce(path: path, count: count, blockSize: blockSize, maxScanBytes: maxScanBytes,
                                maxLineBytes: maxLineBytes, filter: filter, afterBlock: attempt == 1 ? afterBlock : nil) {
            case .done(var r):
                if r.note == nil { r.note = note }
                return r
            case .changed(let why):
                note = why
                if attempt >= 3 {
                    return Result(lines: [], scannedBytes: 0, fileSize: 0, hitScanLimit: false,
                                  note: "\(why); gave up after 3 attempts")
                }
            }
        }
    }

    enum Outcome { case done(Result), changed(String) }

    static func readOnce(path: String, count: Int, blockSize: Int, maxScanBytes: Int, maxLineBytes: Int,
                         filter: LineFilter?, afterBlock: (@Sendable (Int) -> Void)?) throws -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { throw Failure.missing(path) }
            throw Failure.unreadable(path, String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Failure.unreadable(path, String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw Failure.notAFile(path) }
        let size = Int(st.st_size)
        var lines: [String] = []          // newest first while collecting
        var pos = size
        var carry: [UInt8] = []           // the start of a line whose end was already read (bytes after it)
        var first = true                  // the very last line of the file: a trailing "\n" is not an empty line
        var block = [UInt8](repeating: 0, count: blockSize)
        var scanned = 0
        var stopped = false
        while pos > 0 && lines.count < count && !stopped {
            if scanned >= maxScanBytes {
                return .done(Result(lines: lines.reversed(), scannedBytes: scanned, fileSize: size, hitScanLimit: true, note: nil))
            }
            let n = min(blockSize, pos)
            let start = pos - n
            let got = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, n, off_t(start)) }
            if got < 0 { throw Failure.unreadable(path, String(cString: strerror(errno))) }
            if got < n { return .changed("the file was truncated while reading (rotated?); read again from its new end") }
            scanned += n
            pos = start
            afterBlock?(scanned)
            // Walk the block backwards, emitting a line at every "\n".
            var end = n  // exclusive end of the current segment inside block
            var i = n - 1
            while i >= 0 {
                if block[i] == 0x0A {
                    let segment = Array(block[(i + 1)..<end]) + carry
                    carry = []
                    if first && segment.isEmpty && i == n - 1 && start + n == size {
                        // trailing newline at EOF
                    } else if let verdict = emit(segment, maxLineBytes: maxLineBytes, filter: filter, into: &lines) , verdict {
                        stopped = true
                        break
                    }
                    first = false
                    end = i
                    if lines.count >= count { break }
                }
                i -= 1
            }
            if stopped || lines.count >= count { break }
            carry = Array(block[0..<end]) + carry
            if carry.count > maxLineBytes * 2 { carry = Array(carry.suffix(maxLineBytes)) }
        }
        if pos == 0 && !carry.isEmpty && lines.count < count && !stopped {
            _ = emit(carry, maxLineBytes: maxLineBytes, filter: filter, into: &lines)
        }
        // Truncated or replaced while we read? Compare with what is there now.
        var now = stat()
        if fstat(fd, &now) == 0, Int(now.st_size) < size {
            return .changed("the file was truncated while reading; read again from its new end")
        }
        return .done(Result(lines: Array(lines.prefix(count).reversed()), scannedBytes: scanned, fileSize: size,
                            hitScanLimit: false, note: nil))
    }

    /// Decodes one line and applies the filter. Returns true when the filter says stop.
    private static func emit(_ raw: [UInt8], maxLineBytes: Int, filter: LineFilter?, into lines: inout [String]) -> Bool? {
        var bytes = raw
        var clipped = false
        if bytes.count > maxLineBytes { bytes = Array(bytes.suffix(maxLineBytes)); clipped = true }
        if bytes.last == 0x0D { bytes.removeLast() }
        var text = Sanitize.line(bytes)
        if clipped { text = "…" + text }
        switch filter?.judge(text) ?? .keep {
        case .keep: lines.append(text); return false
        case .skip: return false
        case .stop: return true
        }
    }
}

/// Turns raw log bytes into displayable text: invalid UTF-8 becomes U+FFFD, control characters
/// (binary junk, NULs from a sparse region, ANSI escapes) become `·`, tabs stay.
public enum Sanitize {
    public static func line(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        var out = String.UnicodeScalarView()
        var zeros = 0
        for u in s.unicodeScalars {
            if u.value == 0 { zeros += 1; continue }
            if u.value == 9 || u.value >= 0x20 && u.value != 0x7F && !(0x80..<0xA0).contains(u.value) {
                out.append(u)
            } else {
                out.append("·")
            }
        }
        var r = String(out)
        if zeros > 0 && r.isEmpty { r = "<\(zeros) NUL bytes>" }
        return r
    }
}
