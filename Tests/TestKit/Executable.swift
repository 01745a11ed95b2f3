import Foundation

/// Test scripts that the code under test will execute.
public enum Executable {
    /// Writes `text` as an executable at `path` without this process ever holding a write
    /// descriptor on it: the parallel suite forks children all the time, and a child forked
    /// while the descriptor is open keeps it until its exec, so executing the script at that
    /// moment fails with ETXTBSY ("Text file busy"). The content goes to a side file and
    /// `install` (another process) makes the executable.
    public static func write(_ path: String, _ text: String) throws {
        let side = path + ".src-\(UUID().uuidString.prefix(8))"
        try text.write(toFile: side, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: side) }
        let r = try TestPostgres.run("/usr/bin/install", ["-m", "755", side, path])
        guard r.status == 0 else { throw TestAppError(message: "install \(path): \(r.stderr)") }
    }
}
