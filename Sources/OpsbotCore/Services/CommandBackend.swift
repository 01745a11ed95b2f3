import Foundation
import SystemOps

/// A service managed through operator commands (Heroku and Railway CLIs, supervisorctl…).
/// `status_command` exit 0 = running (or `running_pattern` matched in its output);
/// `logs_command` may hold `{lines}`; nothing from the chat except a validated number reaches it.
public struct CommandBackend: ServiceBackend {
    public let config: ServiceConfig
    public init(config: ServiceConfig) { self.config = config }

    public func status() async -> ServiceStatus {
        guard let argv = config.statusCommand else { return ServiceStatus(state: .unknown, detail: "no status_command") }
        do {
            let r = try await BackendRun.run(argv, timeout: config.commandTimeout, maxOutput: 64 * 1024, environment: try config.childEnvironment())
            if r.timedOut { return ServiceStatus(state: .unknown, detail: "status command timed out", error: r.summary) }
            let out = Redactor.shared.redact(r.stdout + r.stderr)
            let first = out.split(separator: "\n").first.map(String.init) ?? r.summary
            let running: Bool
            if let p = config.runningPattern { running = p.matches(out) } else { running = r.succeeded }
            return ServiceStatus(state: running ? .running : .stopped, detail: String(first.prefix(120)), instances: running ? 1 : 0)
        } catch {
            return ServiceStatus(state: .unknown, detail: "status command failed", error: "\(error)")
        }
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        guard let argv = config.logsCommand else { return try await fileLogs(lines: lines, filter: filter) }
        let fetch = filter.isEmpty ? lines : min(lines * 20, 20_000)
        let filled = argv.map { $0.replacingOccurrences(of: "{lines}", with: String(fetch)) }
        let out = try await BackendRun.checked(filled, timeout: config.commandTimeout, environment: try config.childEnvironment())
        var all = out.split(separator: "\n", omittingEmptySubsequences: false).map { LogLine(Sanitize.line(Array($0.utf8))) }
        if all.last?.text == "" { all.removeLast() }
        var kept: [LogLine] = []
        for l in all.reversed() {
            if let since = filter.since, let t = l.time, t < since { break }
            if filter.expired { break }
            if filter.matchesContent(l.text) { kept.append(l) }
            if kept.count >= lines { break }
        }
        return LogsResult(lines: kept.reversed())
    }

    public var restartDescription: String {
        (config.restartCommand ?? ["(no restart_command)"]).map(ShellModule.quote).joined(separator: " ")
    }

    public func restart() async throws {
        guard let argv = config.restartCommand else { throw BackendError("\(config.name) has no restart_command") }
        _ = try await BackendRun.checked(argv, timeout: config.commandTimeout, environment: try config.childEnvironment())
    }
}
