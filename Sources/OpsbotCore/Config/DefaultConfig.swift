/// The configuration `opsbot console` uses when no --config is given: one admin (the console
/// user) in one chat, the shipped catalog, and the demo sandbox when `make demo` started it.
public enum DefaultConfig {
    /// The chat and user ids the console speaks as.
    public static let consoleChatID: Int64 = 1
    public static let consoleUserID: Int64 = 1

    public static let yaml = """
    admins:
      chats: [1]
      users: [1]
    state_dir: .state
    commands_dir: Commands
    """
}
