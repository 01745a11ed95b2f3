import Foundation

/// What every section that starts `opsbot run` shares: a token the fake Bot API accepts, a
/// scratch directory of its own, and the config lines that point opsbot at both.
enum BenchScratch {
    static let token = "123456789:" + "AABenchTokenNotRealxxxxxxxxxxxxxxxx"

    /// A new directory under the temporary directory, named after the section.
    static func directory(_ section: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbench-\(section)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The fake Telegram at `api`, one admin, state under `dir`, the catalog of `root`.
    static func baseConfig(api: String, dir: String, root: String) -> String {
        """
        telegram:
          api_url: \(api)
          poll_timeout: 25
        admins:
          chats: [-100]
          users: [7]
        state_dir: \(dir)/state
        commands_dir: \(root)/Commands
        """
    }
}
