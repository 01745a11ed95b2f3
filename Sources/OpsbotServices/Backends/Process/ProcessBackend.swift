import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// A service that is just processes: found by command-line pattern and/or pidfile, logs in a
/// file, restarted by the operator's `start` argv (detached) after SIGTERM/SIGKILL. Under
/// systemd the new process runs in a transient unit of its own (TransientUnit), elsewhere in a
/// session of its own: either way it outlives opsbot.
public struct ProcessBackend: ServiceBackend {
    public let config: ServiceConfig
    public let options: ServiceOptions
    /// Whether opsbot runs as a systemd unit (decided once, at construction).
    let underSystemd: Bool

    public init(config: ServiceConfig, options: ServiceOptions = ServiceOptions(), underSystemd: Bool = TransientUnit.underSystemd()) {
        self.config = config
        self.options = options
        self.underSystemd = underSystemd
    }

    /// The systemd-run argv prefix when the app goes into a unit of its own, nil otherwise.
    var systemdRun: [String]? { underSystemd && !options.systemdRun.isEmpty ? options.systemdRun : nil }

    /// Matching processes that are the service's own (`MatchOwnership`: its user, directory,
    /// unit, container), without children of other matches (a `sh -c` wrapper counts once).
    func processes() -> [ProcessSnapshot] { owned().ours }

    /// Every match split into the service's copies and strangers.
    func owned() -> MatchOwnership {
        var found: [ProcessSnapshot] = []
        if let re = config.match?.regex { found = ProcInfo.find(matching: re) }
        let sup = supervisedPID()
        if let pid = sup, !found.contains(where: { $0.pid == pid }), let s = ProcInfo.snapshot(pid), s.state != "Z" {
            found.append(s)
        }
        var split = MatchOwnership.partition(found, user: config.user, reference: sup, workingDirectory: config.workingDirectory, unit: nil)
        let pids = Set(found.map(\.pid))
        split.ours = split.ours.filter { !pids.contains($0.ppid) }.sorted { $0.pid < $1.pid }
        split.strangers = split.strangers.filter { s in !(found.first { $0.pid == s.pid }.map { pids.contains($0.ppid) } ?? false) }
        return split
    }

    func supervisedPID() -> Int32? {
        guard let f = config.pidfile, let pid = ProcInfo.readPidfile(f), ProcInfo.isAlive(pid) else { return nil }
        return pid
    }

    public func status() async -> ServiceStatus {
        await runBlocking(name: "opsbot.proc") { [self] in
            let split = owned()
            let procs = split.ours
            let warning = split.warning(service: config.name, pattern: config.match?.pattern)
            if procs.isEmpty {
                let why: BackendText? = config.pidfile.map { ProcInfo.readPidfile($0) == nil ? .noPidfile : .pidfileNotRunning }
                var st = ServiceStatus(state: .stopped, (why ?? .noMatchingProcess).localized, instances: 0)
                st.matchWarningText = warning
                return st
            }
            let main = supervisedPID().flatMap { pid in procs.first { $0.pid == pid } } ?? procs.min { ($0.startTime ?? .distantFuture) < ($1.startTime ?? .distantFuture) }!
            let rss = procs.reduce(0) { $0 + $1.rssBytes }
            var st = ServiceStatus(state: .running, procs.count == 1 ? LocalizedText(verbatim: "pid \(main.pid)") : BackendText.processCount(procs.count).localized,
                                   pids: procs.map(\.pid), memoryBytes: rss, startedAt: main.startTime, instances: procs.count)
            st.matchWarningText = warning
            st.instancesUnknownText = split.ambiguous
            return st
        }
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        try await fileLogs(lines: lines, filter: filter)
    }

    public var restartDescription: String {
        BackendText.processRestartDescription(stopSeconds: Int(config.stopTimeout), pidfile: config.pidfile, pattern: config.match?.pattern ?? "",
                                              start: config.start.map { $0.map(ShellModule.quote).joined(separator: " ") },
                                              unit: systemdRun != nil ? TransientUnit.name(for: config.name) : nil).text()
    }

    public func restart() async throws {
        guard let start = config.start, !start.isEmpty else { throw BackendError(.noStartCommand(service: config.name)) }
        let split = await runBlocking { [self] in owned() }
        if config.pidfile == nil, let why = split.ambiguous {
            throw BackendError(.ambiguousNoneStopped(service: config.name, why: why))
        }
        let victims = await runBlocking { [self] in config.pidfile != nil ? (supervisedPID().map { [$0] } ?? []) : split.ours.map(\.pid) }
        for pid in victims { _ = await ProcessStopper.stop(pid, timeout: config.stopTimeout) }
        let pid: Int32
        if let prefix = systemdRun {
            pid = try await startInUnit(prefix, start)
        } else {
            do {
                pid = try ProcessRunner.spawnDetached(start, logFile: config.logFile, environment: try config.childEnvironment(), workingDirectory: config.workingDirectory)
            } catch {
                throw BackendError(.cannotStart(service: config.name, error: BackendText.words(error)))
            }
            Reaper.reap(pid)
        }
        if let f = config.pidfile {
            do { try "\(pid)\n".write(toFile: f, atomically: true, encoding: .utf8) } catch {
                throw BackendError(.cannotWritePidfile(pid: pid, file: f, why: plainWordsText(error)))
            }
        }
    }

    /// `systemd-run` into `opsbot-app-<service>.service` (a leftover of the same name, stopped
    /// or failed, is cleared first); returns the unit's main pid.
    func startInUnit(_ prefix: [String], _ start: [String]) async throws -> Int32 {
        let unit = TransientUnit.name(for: config.name)
        _ = try? await BackendRun.run(options.systemctl + ["stop", unit], timeout: config.stopTimeout + 10)
        _ = try? await BackendRun.run(options.systemctl + ["reset-failed", unit], timeout: 10)
        let env = try config.childEnvironment()
        let argv = TransientUnit.argv(prefix: prefix, unit: unit, start: start, environment: env,
                                      workingDirectory: config.workingDirectory, logFile: config.logFile)
        let r = try await BackendRun.run(argv, timeout: 30, environment: env)
        guard r.succeeded else {
            let err = (r.stderr.isEmpty ? r.stdout : r.stderr).split(separator: "\n").prefix(2).joined(separator: " ")
            throw BackendError(.cannotStartInUnit(service: config.name, unit: unit, command: prefix.joined(separator: " "), outcome: BackendText.outcome(r), stderr: err))
        }
        let shown = try await BackendRun.checked(options.systemctl + ["show", unit, "--property=MainPID", "--value"], timeout: 10)
        guard let pid = Int32(shown.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            throw BackendError(.unitHasNoMainPID(unit: unit))
        }
        return pid
    }

    public func instances() async throws -> [ServiceInstance] {
        try await runBlocking { [self] in
            let sup = supervisedPID()
            let split = owned()
            if let why = split.ambiguous { throw InstancesUnknown(why) }
            return split.ours.map {
                ServiceInstance(kind: .process, id: String($0.pid), description: "pid \($0.pid): \(String($0.commandLine.prefix(120)))",
                                startedAt: $0.startTime, supervised: $0.pid == sup)
            }
        }
    }

    public func stop(_ instance: ServiceInstance) async throws -> String {
        guard let pid = Int32(instance.id), !instance.supervised else { throw BackendError(.refuseStopSupervisedInstance) }
        // Re-check that the pid still is one of ours (it may have exited and been reused).
        let still = await runBlocking { [self] in owned().ambiguous == nil && processes().contains { $0.pid == pid } }
        guard still else { return BackendText.pidNotService(pid: pid, service: config.name).text() }
        return await ProcessStopper.stop(pid, timeout: config.stopTimeout)
    }

    public func environment() async throws -> [String: String] {
        guard let pid = await runBlocking({ [self] in supervisedPID() ?? processes().first?.pid }) else {
            throw BackendError(.notRunningNoEnvironment(service: config.name))
        }
        guard let env = ProcInfo.environment(pid) else { throw BackendError(.cannotReadEnviron(pid: pid)) }
        return env
    }
}

/// Waits for detached children opsbot started, so they never linger as zombies.
enum Reaper {
    static func reap(_ pid: Int32) {
        let t = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        t.name = "opsbot.reaper"
        t.stackSize = 64 * 1024
        t.start()
    }
}
