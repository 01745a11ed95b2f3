import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// A service managed through operator commands (Heroku and Railway CLIs, supervisorctl…).
/// `status_command` exit 0 = running (or `running_pattern` matched in its output);
/// `logs_command` may hold `{lines}`; nothing from the chat except a validated number reaches it.
/// `instances_command` (one line per running copy) and `env_command` (NAME=value lines) let
/// operators of other platforms (Fly.io, Render, a PaaS CLI) supply what /conflicts and /env
/// need; without `instances_command` the copies are "unknown", never 0.
public struct CommandBackend: ServiceBackend {
    public let config: ServiceConfig
    public init(config: ServiceConfig) { self.config = config }

    public func status() async -> ServiceStatus {
        guard let argv = config.statusCommand else { return ServiceStatus(state: .unknown, BackendText.noStatusCommand.localized) }
        do {
            let r = try await BackendRun.run(argv, timeout: config.commandTimeout, maxOutput: 64 * 1024, environment: try config.childEnvironment())
            if r.timedOut { return ServiceStatus(state: .unknown, BackendText.statusCommandTimedOut.localized, error: BackendText.outcome(r).localized) }
            let out = Redactor.shared.redact(r.stdout + r.stderr)
            let first = out.split(separator: "\n").first.map(String.init) ?? r.summary
            let running: Bool
            if let p = config.runningPattern { running = p.matches(out) } else { running = r.succeeded }
            var st = ServiceStatus(state: running ? .running : .stopped, detail: String(first.prefix(120)), instances: running ? 1 : 0)
            if config.instancesCommand != nil {
                do { st.instances = try await instances().count } catch { st.instancesUnknownText = BackendText.words(error) }
            } else {
                st.instancesUnknownText = BackendText.commandNoInstancesCommand.localized
            }
            return st
        } catch {
            return ServiceStatus(state: .unknown, BackendText.statusCommandFailed.localized, error: BackendText.words(error))
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
        config.restartCommand.map { $0.map(ShellModule.quote).joined(separator: " ") } ?? ShellModule.quote(BackendText.noRestartCommandShown.text())
    }

    public func restart() async throws {
        guard let argv = config.restartCommand else { throw BackendError(.noRestartCommand(service: config.name)) }
        _ = try await BackendRun.checked(argv, timeout: config.commandTimeout, environment: try config.childEnvironment())
    }

    /// One copy per non-empty output line of `instances_command` (its text is the description).
    public func instances() async throws -> [ServiceInstance] {
        guard let argv = config.instancesCommand else { throw InstancesUnknown(.commandNoInstancesCommand) }
        let out: String
        do { out = try await BackendRun.checked(argv, timeout: config.commandTimeout, maxOutput: 256 * 1024, environment: try config.childEnvironment()) } catch {
            throw InstancesUnknown(BackendText.words(error))
        }
        let lines = out.split(separator: "\n").map { SecretPatterns.mask(String($0).trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
        // Every copy belongs to the platform: opsbot does not choose one to stop.
        return lines.enumerated().map { i, l in ServiceInstance(kind: .process, id: String(i + 1), description: String(l.prefix(150)), supervised: true) }
    }

    /// `env_command`'s NAME=value lines (dotenv syntax); without it, the backend cannot read the environment.
    public func environment() async throws -> [String: String] {
        guard let argv = config.envCommand else { throw BackendError(.commandNoEnvironment) }
        let out = try await BackendRun.checked(argv, timeout: config.commandTimeout, maxOutput: 1 << 20, environment: try config.childEnvironment())
        return EnvFile.parse(out)
    }
}
