/// Real output of tools that cannot run on the build machine (no systemd as PID 1), recorded
/// once and shared by the parser tests and the backend tests.
public enum RecordedOutput {
    /// `systemctl show marketingbot-bot.service --property=…` of a crash-looping unit, re-recorded
    /// from the live systemd 252 of the tests (LiveSystemdTests): systemd prints the properties in
    /// its own order, not the requested one, and `MemoryCurrent` is `[not set]` between two runs.
    /// The unit's `Environment=` line is given by the test; NRestarts set to 7 (recorded: 3).
    public static func systemctlShow(environment: String) -> String {
        """
        MainPID=0
        Result=exit-code
        NRestarts=7
        ExecMainStartTimestamp=Mon 2026-11-23 10:00:03 UTC
        MemoryCurrent=[not set]
        Environment=\(environment)
        Id=marketingbot-bot.service
        LoadState=loaded
        ActiveState=activating
        SubState=auto-restart
        ActiveEnterTimestamp=Mon 2026-11-23 09:58:01 UTC
        StateChangeTimestamp=Mon 2026-11-23 10:00:04 UTC
        """
    }

    /// `journalctl -u marketingbot-bot.service -o json` of that crash loop, recorded live (fields
    /// trimmed to those opsbot reads, timestamps moved to 2026-11-23 09:59:50 UTC): systemd's own
    /// lines about the unit come with `_PID` 1, `_SYSTEMD_UNIT=init.scope` and `UNIT=` the unit; the
    /// unit's stdout lines carry its own `_SYSTEMD_UNIT` and PRIORITY 6.
    public static let journalCrashLoop = [
        #"{"__REALTIME_TIMESTAMP":"1795427990000000","PRIORITY":"6","_PID":"1","_SYSTEMD_UNIT":"init.scope","UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"Started marketingbot-bot.service - Marketing bot."}"#,
        #"{"__REALTIME_TIMESTAMP":"1795427990010000","PRIORITY":"6","_PID":"811","_SYSTEMD_UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"sh","MESSAGE":"2026-11-23 09:59:50 - INFO - Bot is starting polling..."}"#,
        #"{"__REALTIME_TIMESTAMP":"1795427995000000","PRIORITY":"6","_PID":"811","_SYSTEMD_UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"sh","MESSAGE":"2026-11-23 09:59:55 - ERROR - Ошибка Telegram API: Conflict: terminated by other getUpdates request"}"#,
        #"{"__REALTIME_TIMESTAMP":"1795427998000000","PRIORITY":"2","_PID":"811","_SYSTEMD_UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"sh","MESSAGE":"CRITICAL - ⚠️ ОБНАРУЖЕН КОНФЛИКТ: Запущено несколько экземпляров бота!"}"#,
        #"{"__REALTIME_TIMESTAMP":"1795427998100000","PRIORITY":"5","_PID":"1","_SYSTEMD_UNIT":"init.scope","UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"marketingbot-bot.service: Main process exited, code=exited, status=1/FAILURE"}"#,
        #"{"__REALTIME_TIMESTAMP":"1795427998100100","PRIORITY":"4","_PID":"1","_SYSTEMD_UNIT":"init.scope","UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"marketingbot-bot.service: Failed with result 'exit-code'."}"#,
        #"{"__REALTIME_TIMESTAMP":"1795427999000000","PRIORITY":"6","_PID":"1","_SYSTEMD_UNIT":"init.scope","UNIT":"marketingbot-bot.service","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"marketingbot-bot.service: Scheduled restart job, restart counter is at 7."}"#,
    ].joined(separator: "\n")
}
