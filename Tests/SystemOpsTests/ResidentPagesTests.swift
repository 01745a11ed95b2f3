import Foundation
import SystemOps
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Releasing clean file pages drops what this process only read from files and never a page it
/// wrote — checked on real mappings of this test process, like the binary's code and its
/// relocated read-only data (RELRO).
struct ResidentPagesTests {
    /// The file's 64 pages, each filled with its index.
    static func makeFile() throws -> (fd: Int32, length: Int) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-pages-\(UUID().uuidString)").path
        let page = Int(sysconf(Int32(_SC_PAGESIZE))), count = 64
        var bytes = [UInt8]()
        for i in 0..<count { bytes += [UInt8](repeating: UInt8(i), count: page) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        unlink(path)
        return (fd, page * count)
    }

    /// Resident kB of the mapping that starts at `address` (/proc/self/smaps).
    static func residentKB(at address: UnsafeMutableRawPointer) -> Int? {
        let start = String(UInt(bitPattern: address), radix: 16)
        guard let data = FileHandle(forReadingAtPath: "/proc/self/smaps")?.readDataToEndOfFile() else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var inside = false
        for line in text.split(separator: "\n") {
            if line.first?.isHexDigit == true, line.contains("-") {
                inside = line.hasPrefix(start + "-")
            } else if inside, line.hasPrefix("Rss:") {
                return line.dropFirst(4).split(separator: " ").first.flatMap { Int($0) }
            }
        }
        return nil
    }

    @Test func residentSetIsReadable() {
        let kb = ResidentPages.residentKB()
        #expect(kb != nil && kb! > 1000, "\(String(describing: kb))")
    }

    @Test func readPagesAreDroppedAndReadBackTheSame() throws {
        let (fd, length) = try Self.makeFile()
        defer { close(fd) }
        let map = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)!
        #expect(map != MAP_FAILED)
        defer { munmap(map, length) }
        let page = length / 64
        var sum = 0
        for i in 0..<64 { sum += Int(map.load(fromByteOffset: i * page, as: UInt8.self)) }
        #expect(sum == (0..<64).reduce(0, +))
        #expect((Self.residentKB(at: map) ?? 0) >= length / 1024, "read: all resident")

        #expect(ResidentPages.releaseCleanFilePages() > 0)
        #expect(Self.residentKB(at: map) == 0, "released")
        for i in 0..<64 { #expect(map.load(fromByteOffset: i * page + 7, as: UInt8.self) == UInt8(i)) }
    }

    @Test func writtenPagesOfAReadOnlyMappingAreKept() throws {
        let (fd, length) = try Self.makeFile()
        defer { close(fd) }
        // Like relocated data: a private file mapping written to, then made read-only.
        let map = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)!
        #expect(map != MAP_FAILED)
        defer { munmap(map, length) }
        let page = length / 64
        for i in 0..<64 where i % 2 == 0 { map.storeBytes(of: 0xAB, toByteOffset: i * page, as: UInt8.self) }
        #expect(mprotect(map, length, PROT_READ) == 0)

        ResidentPages.releaseCleanFilePages()
        for i in 0..<64 {
            let expected: UInt8 = i % 2 == 0 ? 0xAB : UInt8(i)
            #expect(map.load(fromByteOffset: i * page, as: UInt8.self) == expected, "page \(i)")
        }
        #expect((Self.residentKB(at: map) ?? 0) > 0, "a mapping with written pages is not touched")
    }
}
