import Foundation
import OpsbotSupport
#if canImport(Glibc)
import Glibc
#endif

extension TestSystemd {
    /// Runs `body` on a thread that joined the namespace's network namespace, so a socket it
    /// creates (a FakeBotAPI's listener) is on the namespace's loopback, where a service inside
    /// reaches it as 127.0.0.1. The socket stays there; the thread ends with the call.
    public func inNetworkNamespace<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else { throw TestAppError(message: "setns not found") }
        let setns = unsafeBitCast(sym, to: SetNS.self)
        let path = "/proc/\(leaderPID)/ns/net"
        let result = Locked<Result<T, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { result.withLock { $0 = .failure(TestAppError(message: "open \(path): \(String(cString: strerror(errno)))")) }; return }
            defer { close(fd) }
            guard setns(fd, 0x4000_0000 /* CLONE_NEWNET */) == 0 else {
                result.withLock { $0 = .failure(TestAppError(message: "setns \(path): \(String(cString: strerror(errno)))")) }; return
            }
            let r = Result { try body() }
            result.withLock { $0 = r }
        }
        thread.start()
        done.wait()
        return try result.current!.get()
    }
}
