import Foundation
import LocalStore
import SystemOps
import OpsbotCore
import OpsbotSupport

/// One service at one moment, with what history adds (restarts in the last hour, memory trend).
public struct ServiceReport: Sendable {
    public var config: ServiceConfig
    public var status: ServiceStatus
    public var health: [HealthResult]
    public var restartsLastHour: Int?
    public var memoryTrend: Double?
    public var restarting: Bool
}

/// Everything `/status` shows, gathered concurrently, plus the CheckResults derived from it.
public struct StatusReport: Sendable {
    public var services: [ServiceReport] = []
    public var bot: TargetBotProbe.Report?
    public var disk: [MountUsage]?
    public var dependencies: [Probes.DependencyResult] = []
    public var checks: [CheckResult] = []
    public var elapsed: Double = 0
}

/// Gathers service state, health, disk, dependencies, the target bot and log patterns — all at
/// once, each bounded by its own timeout — and turns them into CheckResults (the names the
/// alert engine keys on: service_down, instances, restart_loop, memory_growth, health,
/// health_slow, disk, dependency, target_bot, webhook, log_pattern, heartbeat).
public enum StatusCollector {
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let services = Parts(rawValue: 1)
        public static let health = Parts(rawValue: 2)
        public static let disk = Parts(rawValue: 4)
        public static let dependencies = Parts(rawValue: 8)
        public static let targetBot = Parts(rawValue: 16)
        public static let logs = Parts(rawValue: 32)
        public static let all: Parts = [.services, .health, .disk, .dependencies, .targetBot, .logs]
    }

    enum Piece: Sendable {
        case service(Int, ServiceStatus)
        case services([Int: ServiceStatus])
        case health(Int, [HealthResult])
        case disk([MountUsage]?)
        case deps([Probes.DependencyResult])
        case bot(TargetBotProbe.Report)
        case logs([CheckResult])
    }

    /// `deadline`: the command's (remote hosts are asked within it). `history`: where the
    /// measured values are kept (disk, memory, latency, restarts) and what `disk_fill` projects
    /// from; nil measures without keeping (a one-off `opsbot check`).
    public static func collect(_ m: ServiceManager, parts: Parts = .all, clock: any OpsClock = SystemClock(),
                               deadline: Date? = nil, history: History? = nil) async -> StatusReport {
        let elapsed = clock.stopwatch()
        let services = m.settings.services
        var statuses = [ServiceStatus?](repeating: nil, count: services.count)
        var healths = [[HealthResult]](repeating: [], count: services.count)
        var report = StatusReport()
        let needStatus = parts.contains(.services) || parts.contains(.health)
        await withTaskGroup(of: Piece.self) { g in
            // Services on other hosts: one request per host, the hosts at once.
            let remote = needStatus ? services.indices.compactMap { i in (m.backend(services[i].name) as? RemoteBackend).map { (i, $0) } } : []
            if !remote.isEmpty { g.addTask { .services(await RemoteStatuses.collect(remote, deadline: deadline)) } }
            for (i, s) in services.enumerated() {
                if needStatus, let b = m.backend(s.name), !(b is RemoteBackend) {
                    let late = lateStatus(s)
                    g.addTask { .service(i, await withDeadline(.seconds(max(s.commandTimeout, 15) + 1), fallback: ServiceStatus(state: .unknown, detail: late, error: late)) { await b.status() }) }
                }
                if parts.contains(.health) && !s.health.isEmpty {
                    g.addTask {
                        await withTaskGroup(of: (Int, HealthResult).self) { hg in
                            for (j, e) in s.health.enumerated() { hg.addTask { (j, await Probes.health(e, clock: clock)) } }
                            var out = [(Int, HealthResult)]()
                            for await r in hg { out.append(r) }
                            return .health(i, out.sorted { $0.0 < $1.0 }.map(\.1))
                        }
                    }
                }
            }
            if parts.contains(.disk) {
                let d = m.settings.disk
                g.addTask { .disk(await withDeadline(.seconds(3), fallback: nil) { await runBlocking(name: "opsbot.statvfs") { Optional(DiskUsage.mounts(ignore: d.ignoreMounts)) } }) }
            }
            if parts.contains(.dependencies) && !m.settings.dependencies.isEmpty {
                g.addTask {
                    await withTaskGroup(of: Probes.DependencyResult.self) { dg in
                        for d in m.settings.dependencies { dg.addTask { await Probes.dependency(d, clock: clock) } }
                        var out: [Probes.DependencyResult] = []
                        for await r in dg { out.append(r) }
                        return .deps(out.sorted { $0.name < $1.name })
                    }
                }
            }
            if parts.contains(.targetBot), let tb = m.settings.targetBot {
                g.addTask { .bot(await TargetBotProbe(config: tb, environment: m.environment).check()) }
            }
            if parts.contains(.logs) {
                g.addTask { .logs(await logChecks(m, now: clock.now())) }
            }
            for await piece in g {
                switch piece {
                case .service(let i, let s): statuses[i] = s
                case .services(let all): for (i, s) in all { statuses[i] = s }
                case .health(let i, let h): healths[i] = h
                case .disk(let d): report.disk = d
                case .deps(let d): report.dependencies = d
                case .bot(let b): report.bot = b
                case .logs(let c): report.checks += c
                }
            }
        }
        let now = clock.now()
        var checks: [CheckResult] = []
        for (i, s) in services.enumerated() {
            guard let st = statuses[i] else { continue }
            if let history, let was = m.lastStartedAt(s.name), let started = st.startedAt, started > was.addingTimeInterval(1) {
                history.event("restart", target: s.name, label: "restart", at: started)
            }
            m.record(s.name, st, at: now)
            let rep = ServiceReport(config: s, status: st, health: healths[i], restartsLastHour: m.restartsLastHour(s.name, now: now),
                                    memoryTrend: m.memoryTrend(s.name, now: now).flatMap { $0.span >= 600 ? $0.mbPerHour : nil },
                                    restarting: m.isRestarting(s.name))
            report.services.append(rep)
            if parts.contains(.services) { checks += serviceChecks(rep, m: m, now: now) }
            if parts.contains(.health) { checks += healthChecks(rep, now: now) }
        }
        await attachLastErrors(&checks, m)
        if let d = report.disk {
            let disk = diskChecks(d, m.settings.disk, previous: m.diskLevels(d.map(\.mountPoint)))
            m.recordDiskLevels(Dictionary(disk.map { ($0.target, $0.status) }, uniquingKeysWith: { a, _ in a }))
            checks += disk + logGrowthChecks(m, mounts: d, now: now)
        }
        else if parts.contains(.disk) { checks.append(CheckResult(check: "disk", target: "/", status: .unknown, message: StatusText.diskNoAnswer)) }
        for d in report.dependencies {
            checks.append(CheckResult(check: "dependency", target: d.name, status: d.ok ? .ok : .critical,
                                      message: StatusText.dependency(name: d.name, detail: d.detailText), value: d.seconds))
        }
        if let b = report.bot, let tb = m.settings.targetBot { checks += botChecks(b, tb, now: now) }
        if let history {
            record(report, history: history, now: now)
            if let d = report.disk {
                let fill = diskFillChecks(d, m.settings.disk, history: history, now: now, previous: m.fillLevels(d.map(\.mountPoint)))
                m.recordFillLevels(Dictionary(fill.map { ($0.target, $0.status) }, uniquingKeysWith: { a, _ in a }))
                checks += fill
            }
        }
        report.checks = checks + report.checks
        report.elapsed = elapsed()
        return report
    }

    /// What a service's status says when it gave no answer within its limit (English, as the status keeps it).
    static func lateStatus(_ s: ServiceConfig) -> String {
        StatusText.statusLate(seconds: max(s.commandTimeout, 15) + 1).english
    }

    // MARK: - Checks

    /// "worker: …" without its "worker: ".
    static func afterName(_ s: String, _ name: String) -> String {
        s.hasPrefix(name + ": ") ? String(s.dropFirst(name.count + 2)) : s
    }

    static func serviceChecks(_ r: ServiceReport, m: ServiceManager, now: Date) -> [CheckResult] {
        // Targets (alert fingerprints) keep the name; summaries say which host.
        let n = r.config.displayName
        var out: [CheckResult] = []
        let st = r.status
        switch st.state {
        case .running:
            out.append(CheckResult(check: "service_down", target: r.config.name, status: .ok, message: StatusText.serviceRunning(service: n, detail: st.detailText), value: 1))
        case .starting:
            out.append(CheckResult(check: "service_down", target: r.config.name, status: .warning, message: StatusText.serviceStarting(service: n, detail: st.detailText), value: 0))
        case .stopped, .failed:
            out.append(CheckResult(check: "service_down", target: r.config.name, status: .critical, message: StatusText.serviceDown(service: n, state: st.state.rawValue, detail: st.detailText),
                                   value: 0, evidence: st.error.map { [$0] } ?? [], remediation: "/restart \(r.config.name)"))
        case .unknown:
            let why = st.error ?? st.detail
            // Its own timeout is said in the chat's language; a backend's reason as the backend says it.
            let reason = why == lateStatus(r.config) ? StatusText.statusLate(seconds: max(r.config.commandTimeout, 15) + 1).localized
                : (st.errorText ?? st.detailText)
            out.append(CheckResult(check: "service_down", target: r.config.name, status: .unknown, message: StatusText.serviceUnknown(service: n, why: reason), evidence: st.error.map { [$0] } ?? []))
        }
        if let why = st.instancesUnknownText {
            // Never 0 and never OK. It matters for the bot (a second poller is a 409); for other
            // services an uncountable copy count is left out rather than reported as fine.
            if (r.config.bot || st.matchWarning != nil) && st.state != .stopped {
                out.append(CheckResult(check: "instances", target: r.config.name, status: .unknown, message: StatusText.instancesUnknown(service: n, why: why), remediation: "/conflicts"))
            }
        } else if let q = st.configured, q > r.config.maxInstances {
            out.append(CheckResult(check: "instances", target: r.config.name, status: r.config.bot ? .critical : .warning,
                                   message: StatusText.platformCopies(service: n, configured: q, running: st.instances, expected: r.config.maxInstances, bot: r.config.bot),
                                   value: Double(max(q, st.instances)), remediation: "/scale \(r.config.name) \(r.config.maxInstances)"))
        } else if st.state == .running || st.instances > 0 {
            let limit = r.config.maxInstances
            if st.instances > limit {
                out.append(CheckResult(check: "instances", target: r.config.name, status: r.config.bot ? .critical : .warning,
                                       message: StatusText.instancesTooMany(service: n, running: st.instances, expected: limit, bot: r.config.bot), value: Double(st.instances),
                                       evidence: st.pids.map { "pid \($0)" } + (st.matchWarning.map { [$0] } ?? []), remediation: "/conflicts"))
            } else if let w = st.matchWarningText {
                // Strangers are not counted, but a regex that catches them is a problem to fix.
                out.append(CheckResult(check: "instances", target: r.config.name, status: .warning,
                                       message: StatusText.instancesMatchWarning(service: n, running: st.instances, warning: LocalizedText(en: Self.afterName(w.en, r.config.name), ru: Self.afterName(w.ru, r.config.name))), value: Double(st.instances), remediation: "/conflicts"))
            } else {
                out.append(CheckResult(check: "instances", target: r.config.name, status: .ok, message: StatusText.instancesOK(service: n, running: st.instances), value: Double(st.instances)))
            }
        }
        if let k = r.restartsLastHour {
            let bad = k >= r.config.restartLoop
            out.append(CheckResult(check: "restart_loop", target: r.config.name, status: bad ? .critical : .ok,
                                   message: StatusText.restartsLastHour(service: n, count: k), value: Double(k), remediation: bad ? "/logs \(r.config.name) 50 critical" : nil))
        } else if let c = st.restartCounter, c >= r.config.restartLoop,
                  st.state != .running || st.startedAt.map({ now.timeIntervalSince($0) < Self.justRestarted }) == true {
            // A crash loop is running for a second between two crashes: a fresh start with the
            // counter past the limit is the loop too (an engine's counter only counts automatic restarts).
            let up = st.state == .running ? Int(now.timeIntervalSince(st.startedAt ?? now)) : nil
            out.append(CheckResult(check: "restart_loop", target: r.config.name, status: .critical,
                                   message: StatusText.restartLoop(service: n, restarts: c, upSeconds: up, detail: st.detailText), value: Double(c), remediation: "/logs \(r.config.name) 50 critical"))
        }
        if let t = r.memoryTrend {
            var status: CheckResult.Status = t > r.config.memoryGrowthMBPerHour ? .warning : .ok
            var summary = StatusText.memoryGrowth(service: n, mbPerHour: t, machineBytes: nil, reachIn: nil)
            // A local service heads for the machine's RAM (then the OOM killer): how soon, at this rate.
            if let p = memoryProjection(r, mbPerHour: t) {
                summary = .memoryGrowth(service: n, mbPerHour: t, machineBytes: Int(p.limitMB * 1_048_576), reachIn: p.seconds)
                let d = m.settings.disk
                if p.seconds <= d.fillCritical { status = .critical } else if p.seconds <= d.fillWarn { status = max(status, .warning) }
            }
            out.append(CheckResult(check: "memory_growth", target: r.config.name, status: status,
                                   message: summary, value: t, remediation: status == .ok ? nil : "/restart \(r.config.name)"))
        }
        return out
    }

    /// How many error lines a crash-loop alert carries.
    static let crashLoopErrorLines = 3

    /// A crash loop's alert carries the service's last error lines (masked, a few), as the log
    /// alerts carry theirs: the chat sees why it crashes without pressing "Last errors".
    static func attachLastErrors(_ checks: inout [CheckResult], _ m: ServiceManager) async {
        let loops = checks.indices.filter { checks[$0].check == "restart_loop" && checks[$0].status == .critical }
        guard !loops.isEmpty else { return }
        let found = await withTaskGroup(of: (Int, [String]).self) { g in
            for i in loops {
                guard let b = m.backend(checks[i].target) else { continue }
                g.addTask {
                    let r = await withDeadline(.seconds(5), fallback: nil) {
                        try? await b.logs(lines: crashLoopErrorLines, filter: LineFilter(level: .error))
                    }
                    return (i, (r?.lines ?? []).map { String(m.mask($0.text).prefix(300)) })
                }
            }
            var out: [(Int, [String])] = []
            for await r in g { out.append(r) }
            return out
        }
        for (i, lines) in found where !lines.isEmpty { checks[i].evidence += lines }
    }

    /// How long the service has been up, while that is within its `startup_grace` — measured
    /// from the service's own start, so opsbot starting with it (a reboot) changes nothing. Nil
    /// after the grace, when the start time is unknown, and in a restart loop (which alerts at once).
    static func inStartupGrace(_ c: ServiceConfig, _ st: ServiceStatus, restartsLastHour: Int?, now: Date) -> Double? {
        guard st.state == .running || st.state == .starting, let since = st.startedAt else { return nil }
        let up = now.timeIntervalSince(since)
        guard up >= 0, up < c.startupGrace else { return nil }
        if (restartsLastHour ?? 0) >= c.restartLoop || (st.restartCounter ?? 0) >= c.restartLoop { return nil }
        return up
    }

    /// When a local service growing `mbPerHour` reaches the machine's RAM (nil: shrinking,
    /// remote, or its memory unknown).
    static func memoryProjection(_ r: ServiceReport, mbPerHour: Double) -> (seconds: Double, limitMB: Double)? {
        guard mbPerHour > 0, r.config.host == nil, r.config.heroku == nil, r.config.railway == nil,
              let mem = r.status.memoryBytes, let limit = Projection.machineMemoryMB() else { return nil }
        return (max(0, (limit - Double(mem) / 1_048_576) / mbPerHour * 3600), limit)
    }

    static func healthChecks(_ r: ServiceReport, now: Date) -> [CheckResult] {
        let starting = inStartupGrace(r.config, r.status, restartsLastHour: r.restartsLastHour, now: now)
        return r.health.map { h in
            let target = "\(r.config.name):\(h.endpoint.label)"
            if let up = starting, !h.ok || h.slow {
                // Not failing yet, not healthy either: it is still starting.
                return CheckResult(check: h.ok ? "health_slow" : "health", target: target, status: .unknown,
                                   message: StatusText.healthStarting(target: target, summary: h.summaryText, service: r.config.displayName, up: up, grace: r.config.startupGrace), value: h.status.map(Double.init))
            }
            if !h.ok {
                return CheckResult(check: "health", target: target, status: .critical, message: StatusText.healthFailing(target: target, summary: h.summaryText),
                                   value: h.status.map(Double.init), evidence: [h.endpoint.url], remediation: "/restart \(r.config.name)")
            }
            if h.slow {
                return CheckResult(check: "health_slow", target: target, status: .warning,
                                   message: StatusText.healthSlow(target: target, summary: h.summaryText, slowAbove: h.endpoint.slow), value: h.seconds)
            }
            return CheckResult(check: "health", target: target, status: .ok, message: StatusText.healthOK(target: target, summary: h.summaryText), value: h.seconds)
        }
    }

    /// `previous`: each mount's level last time; a level holds until usage drops
    /// `disk.clear_margin` points below its threshold (hysteresis: 85 % fires, under 80 % clears).
    static func diskChecks(_ mounts: [MountUsage], _ cfg: DiskConfig, previous: [String: CheckResult.Status] = [:]) -> [CheckResult] {
        mounts.map { u in
            let p = max(u.usedPercent, u.inodesUsedPercent)
            var status: CheckResult.Status = p >= cfg.criticalPercent ? .critical : (p >= cfg.warnPercent ? .warning : .ok)
            switch previous[u.mountPoint] {
            case .critical? where status != .critical && p >= cfg.criticalPercent - cfg.clearMargin: status = .critical
            case .warning? where status == .ok && p >= cfg.warnPercent - cfg.clearMargin: status = .warning
            default: break
            }
            let inodes = u.inodesUsedPercent >= cfg.warnPercent ? u.inodesUsedPercent : nil
            return CheckResult(check: "disk", target: u.mountPoint, status: status,
                               message: StatusText.disk(mount: u.mountPoint, usedPercent: u.usedPercent, freeBytes: u.freeBytes, inodesPercent: inodes),
                               value: p, remediation: status == .ok ? nil : "/disk")
        }
    }

    /// `log_growth` per watched log file: MB/h since the previous run; critical when the
    /// file's mount would fill within the hour at that rate.
    static func logGrowthChecks(_ m: ServiceManager, mounts: [MountUsage], now: Date) -> [CheckResult] {
        let cfg = m.settings.disk.logGrowth
        guard cfg.maxMBPerHour > 0 else { return [] }
        let files = Array(Set(m.settings.services.compactMap(\.logFile) + cfg.files)).sorted()
        return files.compactMap { path -> CheckResult? in
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else { return nil }
            guard let rate = m.logGrowth(path, bytes: size.int64Value, at: now) else {
                // No rate yet (first sample, or the file was truncated): unknown, never ok — a
                // firing alert neither resolves nor re-fires on it.
                return CheckResult(check: "log_growth", target: path, status: .unknown,
                                   message: StatusText.logGrowthUnknown(path: path, bytes: size.intValue))
            }
            let mbh = rate / 1_000_000
            let mount = mounts.filter { path.hasPrefix($0.mountPoint) }.max { $0.mountPoint.count < $1.mountPoint.count }
            let fillsInHour = mount.map { Double($0.freeBytes) <= rate } ?? false
            let status: CheckResult.Status = mbh <= cfg.maxMBPerHour ? .ok : (fillsInHour ? .critical : .warning)
            let shown = status != .ok ? mount : nil
            let summary = StatusText.logGrowth(path: path, mbPerHour: mbh, limit: cfg.maxMBPerHour, bytes: size.intValue,
                                               freeBytes: shown.map { Int($0.freeBytes) }, mount: shown?.mountPoint)
            return CheckResult(check: "log_growth", target: path, status: status, message: summary, value: mbh,
                               remediation: status == .ok ? nil : "/disk")
        }
    }

    static func botChecks(_ b: TargetBotProbe.Report, _ cfg: TargetBotConfig, now: Date) -> [CheckResult] {
        var out: [CheckResult] = []
        if !b.tokenOK {
            out.append(CheckResult(check: "target_bot", target: "getMe", status: .critical,
                                   message: StatusText.botProblem(error: b.errorText ?? LocalizedText(verbatim: "getMe failed"))))
            return out
        }
        out.append(CheckResult(check: "target_bot", target: "getMe", status: .ok, message: StatusText.botTokenOK(username: b.username ?? "?")))
        if let url = b.webhookURL, cfg.mode == "polling" {
            out.append(CheckResult(check: "webhook", target: "target_bot", status: .critical,
                                   message: StatusText.webhookWhilePolling(url: url), evidence: [url], remediation: "/conflicts"))
        } else if b.webhookURL == nil && cfg.mode == "webhook" {
            out.append(CheckResult(check: "webhook", target: "target_bot", status: .critical, message: StatusText.webhookMissing))
        } else if let msg = b.lastErrorMessage, let d = b.lastErrorDate, now.timeIntervalSince(d) < 3600 {
            out.append(CheckResult(check: "webhook", target: "target_bot", status: .warning,
                                   message: StatusText.webhookError(ago: now.timeIntervalSince(d), message: msg), value: Double(b.pendingUpdates ?? 0), evidence: [msg]))
        } else if let p = b.pendingUpdates, p >= cfg.pendingWarn {
            out.append(CheckResult(check: "webhook", target: "target_bot", status: .warning, message: StatusText.pendingUpdates(count: p), value: Double(p)))
        } else {
            out.append(CheckResult(check: "webhook", target: "target_bot", status: .ok, message: StatusText.webhookOK(set: b.webhookURL != nil, pending: b.pendingUpdates ?? 0), value: Double(b.pendingUpdates ?? 0)))
        }
        return out
    }

    /// A service started this recently with its automatic-restart counter past `restart_loop` is taken for a crash loop.
    static let justRestarted: TimeInterval = 60
    /// The pattern every polling bot's log is checked for, and its name (a `/conflicts` fix
    /// starts this pattern's window afresh, no other).
    static let conflictPattern = try! ConfigRegex("Conflict: terminated by other getUpdates request")
    static let conflictPatternName = "conflict"

    /// Log patterns per window and heartbeat markers, per service.
    static func logChecks(_ m: ServiceManager, now: Date) async -> [CheckResult] {
        await withTaskGroup(of: [CheckResult].self) { g in
            for s in m.settings.services {
                var patterns = s.logPatterns
                if s.name == m.settings.botService?.name, !patterns.contains(where: { $0.name == conflictPatternName }) {
                    patterns.append(LogPattern(name: conflictPatternName, regex: conflictPattern, window: m.settings.targetBot?.conflictWindow ?? 900, warn: 1, critical: 1))
                }
                guard !patterns.isEmpty || s.heartbeatMarker != nil, let b = m.backend(s.name) else { continue }
                g.addTask {
                    let window = max(patterns.map(\.window).max() ?? 0, s.heartbeatMarker != nil ? s.heartbeatMaxAge : 0)
                    let fresh = Dictionary(patterns.compactMap { p in m.logWindowStart(s.name, pattern: p.name).map { (p.name, $0) } },
                                           uniquingKeysWith: { a, _ in a })
                    let fetched = await withDeadline(.seconds(10), fallback: nil) { try? await b.logs(lines: 20_000, filter: LineFilter(since: now.addingTimeInterval(-window))) }
                    guard let logs = fetched else {
                        return [CheckResult(check: "log_pattern", target: s.name, status: .unknown, message: StatusText.logsUnreadable(service: s.name))]
                    }
                    // A service that just (re)started has had no time to log its heartbeat yet
                    // (unless it is in a restart loop).
                    var started: Date?
                    if s.heartbeatMarker != nil, let st = await withDeadline(.seconds(5), fallback: nil, { Optional(await b.status()) }) {
                        let loop = (m.restartsLastHour(s.name, now: now) ?? 0) >= s.restartLoop || (st.restartCounter ?? 0) >= s.restartLoop
                        started = loop ? nil : st.startedAt
                    }
                    return evaluate(s, patterns: patterns, lines: logs.lines, now: now, startedAt: started, freshSince: fresh).map { c in
                        var c = c
                        c.evidence = c.evidence.map { String(m.mask($0).prefix(300)) }
                        return c
                    }
                }
            }
            var out: [CheckResult] = []
            for await r in g { out += r }
            return out
        }
    }

    /// `freshSince`: per pattern name, a fix started a new window then; earlier lines no longer count.
    static func evaluate(_ s: ServiceConfig, patterns: [LogPattern], lines: [LogLine], now: Date, startedAt: Date? = nil,
                         freshSince: [String: Date] = [:]) -> [CheckResult] {
        var out: [CheckResult] = []
        for p in patterns {
            let fresh = freshSince[p.name]
            let hits = lines.filter { l in
                (l.time.map { t in now.timeIntervalSince(t) <= p.window && (fresh.map { t >= $0 } ?? true) } ?? true) && p.regex.matches(l.text)
            }
            let status: CheckResult.Status = p.critical.map { hits.count >= $0 } == true ? .critical : (hits.count >= p.warn ? .warning : .ok)
            out.append(CheckResult(check: "log_pattern", target: "\(s.name):\(p.name)", status: status,
                                   message: StatusText.logPattern(service: s.name, hits: hits.count, pattern: p.name, window: p.window),
                                   value: Double(hits.count), evidence: hits.suffix(3).map(\.text),
                                   remediation: p.name == "conflict" ? "/conflicts" : (status == .ok ? nil : "/logs \(s.name) 100 error")))
        }
        if let hb = s.heartbeatMarker {
            let last = lines.last { hb.matches($0.text) }
            let age = last.map { $0.time.map { now.timeIntervalSince($0) } ?? 0 }
            let fresh = age.map { $0 <= s.heartbeatMaxAge } ?? false
            if !fresh, let startedAt, now.timeIntervalSince(startedAt) < max(s.heartbeatMaxAge, s.startupGrace) {
                out.append(CheckResult(check: "heartbeat", target: s.name, status: .ok,
                                       message: StatusText.heartbeatWaiting(service: s.name, startedAgo: now.timeIntervalSince(startedAt))))
                return out
            }
            out.append(CheckResult(check: "heartbeat", target: s.name, status: fresh ? .ok : .critical,
                                   message: fresh ? StatusText.heartbeatFresh(service: s.name, age: age ?? 0)
                                                  : .heartbeatMissing(service: s.name, pattern: hb.pattern, maxAge: s.heartbeatMaxAge),
                                   value: age, remediation: fresh ? nil : "/restart \(s.name)"))
        }
        return out
    }
}
