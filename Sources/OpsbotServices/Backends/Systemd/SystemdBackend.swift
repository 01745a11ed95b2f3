import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// A systemd unit: state from `systemctl show`, logs from `journalctl -o json`, restart with
/// `systemctl restart`. With `match`, processes outside the unit that look like it (a copy
/// started by hand: the classic 409) are found too.
public struct SystemdBackend: ServiceBackend {
    public let config: ServiceConfig
    let options: ServiceOptions
    var unit: String { config.unit ?? config.name }

    public init(config: ServiceConfig, options: ServiceOptions) {
        self.config = config
        self.options = options
    }

    func show() async throws -> SystemdUnitState {
        let out = try await BackendRun.checked(options.systemctl + ["show", unit, "--property=" + SystemdParser.properties.joined(separator: ",")],
                                               timeout: min(config.commandTimeout, 15), maxOutput: 256 * 1024)
        return SystemdParser.unitState(out)
    }

    public func status() async -> ServiceStatus {
        let u: SystemdUnitState
        do { u = try await show() } catch {
            return ServiceStatus(state: .unknown, BackendText.systemctlFailed.localized, error: BackendText.words(error))
        }
        if u.loadState == "not-found" {
            let t = BackendText.unitNotFound(unit: unit).localized
            return ServiceStatus(state: .unknown, t, error: t)
        }
        let state: ServiceStatus.State = switch u.activeState {
        case "active", "reloading": .running
        case "activating": .starting
        case "failed": .failed
        case "inactive", "deactivating": .stopped
        default: .unknown
        }
        var instances = u.isActive ? 1 : 0
        var pids = u.mainPID > 0 ? [u.mainPID] : []
        var warning: LocalizedText?
        var unknown: LocalizedText?
        if config.match != nil {
            let (all, split) = await matched(u)
            instances = all.count
            pids = all.compactMap { Int32($0.id) }
            warning = split.warning(service: config.name, pattern: config.match?.pattern)
            unknown = split.ambiguous
        }
        let detail = BackendText.unitState(active: u.activeState, sub: u.subState, since: u.isActive ? nil : u.stateSince).localized
        var st = ServiceStatus(state: state, detail, pids: pids, memoryBytes: u.memoryBytes,
                               startedAt: u.isActive ? u.activeSince : nil, restartCounter: u.restarts, instances: instances)
        st.matchWarningText = warning
        st.instancesUnknownText = unknown
        return st
    }

    public func logs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        if config.logFile != nil { return try await fileLogs(lines: lines, filter: filter) }
        let fetch = !filter.filtersContent ? lines : min(lines * 20, 20_000)
        var argv = options.journalctl + ["-u", unit, "-n", String(fetch), "--no-pager", "-o", "json"]
        if let since = filter.since { argv += ["--since", "@\(Int(since.timeIntervalSince1970))"] }
        let out = try await BackendRun.checked(argv, timeout: min(config.commandTimeout, 30), maxOutput: 32 << 20)
        return SystemdBackend.filterJournal(out, lines: lines, filter: filter)
    }

    /// Keeps entries matching the filter (a level word also matches the journal PRIORITY).
    static func filterJournal(_ out: String, lines: Int, filter: LineFilter) -> LogsResult {
        var kept: [LogLine] = []
        for raw in out.split(separator: "\n").reversed() {
            guard let e = SystemdParser.journalEntry(String(raw)) else { continue }
            if let since = filter.since, let t = e.time, t < since { break }
            if filter.expired { break }
            var ok = true
            if let level = filter.level {
                ok = LineFilter.matches(level: level, e.message) || (e.priority.map { LineFilter.matches(level: level, priority: $0) } ?? false)
            }
            if ok, filter.text != nil || filter.regex != nil || filter.chatRegex != nil {
                var f = filter; f.level = nil; f.since = nil
                ok = f.matchesContent(e.message)
            }
            // systemd's own lines about the unit (`_PID` 1: Started…, Deactivated successfully.) are marked.
            if ok { kept.append(LogLine(e.fromSystemd ? e.line.replacingOccurrences(of: " ", with: " [systemd] ", options: [], range: e.line.range(of: " ")) : e.line, time: e.time)) }
            if kept.count >= lines { break }
        }
        return LogsResult(lines: kept.reversed())
    }

    public var restartDescription: String { (options.systemctl + ["restart", unit]).joined(separator: " ") }

    public func restart() async throws {
        _ = try await BackendRun.checked(options.systemctl + ["restart", unit], timeout: max(config.restartWait, 30))
    }

    /// Restarts and compares the main PID before and after: the same PID means nothing restarted
    /// (the reply shows old → new PIDs either way).
    public func restartReporting() async throws -> [String] {
        let before = (try? await show())?.mainPID ?? 0
        try await restart()
        guard let after = try? await show() else { return [] }
        if after.mainPID > 0 && before > 0 && after.mainPID == before {
            return [BackendText.mainPIDUnchanged(pid: before).text()]
        }
        return []
    }

    public func instances() async throws -> [ServiceInstance] {
        let u = try await show()
        let (list, split) = await matched(u)
        if let why = split.ambiguous { throw InstancesUnknown(why) }
        return list
    }

    /// The unit's copies: its main PID and, with `match`, the service's own matching processes
    /// (`MatchOwnership`: the unit's user, not another unit's), marked supervised when they
    /// sit in the unit's cgroup or below its main PID.
    func matched(_ u: SystemdUnitState) async -> ([ServiceInstance], MatchOwnership) {
        let language = Language.current   // the closure below runs on a thread of its own
        guard let re = config.match?.regex else {
            return (u.mainPID > 0 ? [ServiceInstance(kind: .process, id: String(u.mainPID), description: BackendText.mainPIDOf(pid: u.mainPID, unit: unit).text(language), startedAt: u.activeSince, supervised: true)] : [], MatchOwnership())
        }
        return await runBlocking { [config, unit] in
            let cg = unit.contains(".") ? unit : unit + ".service"   // systemd's cgroup is named after the full unit name
            let found = ProcInfo.find(matching: re)
            func inUnit(_ pid: Int32) -> Bool { ProcInfo.cgroups(pid).contains { $0.hasSuffix("/" + cg) || $0.contains("/" + cg + "/") } }
            // The unit's own copy tells its user; a match in its cgroup, else the main PID.
            let reference = found.first { inUnit($0.pid) }?.pid ?? (u.mainPID > 0 ? u.mainPID : nil)
            let split = MatchOwnership.partition(found, user: config.user, reference: reference,
                                                 workingDirectory: config.workingDirectory, unit: cg)
            let procs = split.ours
            let byPID = Dictionary(found.map { ($0.pid, $0) }, uniquingKeysWith: { a, _ in a })
            // In the unit's cgroup (…/system.slice/UNIT), or below its main PID.
            func underMain(_ p: ProcessSnapshot) -> Bool {
                if inUnit(p.pid) { return true }
                var cur: Int32 = p.pid
                var hops = 0
                while cur > 1 && hops < 64 {
                    if cur == u.mainPID { return true }
                    cur = byPID[cur]?.ppid ?? ProcInfo.snapshot(cur, boot: nil)?.ppid ?? 0
                    hops += 1
                }
                return false
            }
            let pids = Set(found.map(\.pid))
            var out: [ServiceInstance] = []
            for p in procs where !pids.contains(p.ppid) {
                let sup = underMain(p)
                out.append(ServiceInstance(kind: .process, id: String(p.pid),
                                           description: BackendText.unitProcess(pid: p.pid, unit: unit, supervised: sup, command: String(p.commandLine.prefix(100))).text(language),
                                           startedAt: p.startTime, supervised: sup))
            }
            if u.mainPID > 0 && !out.contains(where: { $0.supervised }) {
                out.append(ServiceInstance(kind: .process, id: String(u.mainPID), description: BackendText.mainPIDOf(pid: u.mainPID, unit: unit).text(language), startedAt: u.activeSince, supervised: true))
            }
            return (out, split)
        }
    }

    public func stop(_ instance: ServiceInstance) async throws -> String {
        guard let pid = Int32(instance.id), !instance.supervised else { throw BackendError(.refuseStopUnitProcess) }
        let still = try await instances().contains { $0.id == instance.id && !$0.supervised }
        guard still else { return BackendText.pidGoneOrUnit(pid: pid, unit: unit).text() }
        return await ProcessStopper.stop(pid, timeout: config.stopTimeout)
    }

    public func environment() async throws -> [String: String] {
        try await show().environment
    }
}
