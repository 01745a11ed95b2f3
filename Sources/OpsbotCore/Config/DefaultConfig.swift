import Foundation

/// The configuration `opsbot console` uses when no --config is given: one admin (the console
/// user) in one chat and the shipped catalog. With `--demo` (`make demo`), the repository's
/// `demo/config-*.yaml` are added: the sandbox `make demo` starts (sample app, database, alerts).
/// `opsbot run` never uses it: it needs a config file.
public enum DefaultConfig {
    /// The chat and user ids the console speaks as.
    public static let consoleChatID: Int64 = 1
    public static let consoleUserID: Int64 = 1

    public static let yaml = """
    admins:
      chats: [1]
      users: [{id: 1, name: admin}]
    state_dir: .state
    commands_dir: Commands
    """

    /// The embedded core plus the demo sections (`demo/config-*.yaml`, each documenting its
    /// keys), and the directory relative paths resolve against (the repository root).
    public static func assemble(from start: String = FileManager.default.currentDirectoryPath) -> (yaml: String, base: String) {
        guard let root = demoRoot(from: start) else { return (yaml, start) }
        let demo = root + "/demo"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: demo)) ?? [])
            .filter { $0.hasPrefix("config-") && $0.hasSuffix(".yaml") }.sorted()
        var text = yaml
        for f in files {
            if let part = try? String(contentsOfFile: demo + "/" + f, encoding: .utf8) { text += "\n" + part }
        }
        return (text, root)
    }

    /// The repository root holding `demo/`: the working directory, or above the executable
    /// (`.build/debug/opsbot`).
    static func demoRoot(from start: String) -> String? {
        var candidates = [start]
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates += ["../..", "../../.."].map { exe.appendingPathComponent($0).standardized.path }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/demo/config-services.yaml") }
    }
}
