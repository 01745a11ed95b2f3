import OpsbotSupport

/// What the composition itself says in the admin chat: reload results and broken command files.
enum AppText: MessageCatalog {
    /// `problems`: the first config errors (English, as logged); `count`: all of them.
    case reloadRefused(count: Int, problems: [String])
    case reloaded(source: String, commands: Int)
    /// `summary`: the catalog's English one-line summary; `files`: each invalid file's error.
    case catalogInvalid(summary: String, files: [String])

    static var samples: [AppText] {
        [
            .reloadRefused(count: 3, problems: ["/etc/opsbot/opsbot.yaml: disk.warn_percent: 95 is not below critical_percent (90)"]),
            .reloaded(source: "/etc/opsbot/opsbot.yaml", commands: 22),
            .catalogInvalid(summary: "catalog: 1 file invalid (Commands/x.yaml: unknown key \"descripton\")",
                            files: ["Commands/x.yaml: unknown key \"descripton\""]),
        ]
    }
}
