/// Real output of tools that cannot run on the build machine (no systemd as PID 1), recorded
/// once and shared by the parser tests and the backend tests.
public enum RecordedOutput {
    /// `systemctl show marketingbot-bot.service` of a crash-looping unit (systemd 252), with
    /// the unit's `Environment=` line given by the test.
    public static func systemctlShow(environment: String) -> String {
        """
        Id=marketingbot-bot.service
        LoadState=loaded
        ActiveState=activating
        SubState=auto-restart
        MainPID=0
        MemoryCurrent=[not set]
        NRestarts=7
        ActiveEnterTimestamp=Mon 2026-11-23 09:58:01 UTC
        ExecMainStartTimestamp=Mon 2026-11-23 10:00:03 UTC
        Result=exit-code
        Environment=\(environment)
        """
    }
}
