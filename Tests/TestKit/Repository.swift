import Foundation

/// Test kit: what tests of any layer share — loopback servers that speak the Bot API and other
/// HTTP peers, the throwaway engines (PostgreSQL, Alertmanager, sshd, dockerd, systemd) started
/// once per test process, recorded tool output. It depends on OpsbotSupport only, so a low
/// library's tests compile without the bot.
public enum Repository {
    /// The repository root (where Commands/ and Package.swift are), found from this file.
    public static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }

    /// The debug `opsbot` binary the tests drive (built by `swift build --build-tests`).
    public static var opsbotBinary: String {
        for p in [".build/debug/opsbot", ".build/x86_64-unknown-linux-gnu/debug/opsbot", ".build/aarch64-unknown-linux-gnu/debug/opsbot"]
        where FileManager.default.isExecutableFile(atPath: root + "/" + p) {
            return root + "/" + p
        }
        return root + "/.build/debug/opsbot"
    }
}

public struct TestAppError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
