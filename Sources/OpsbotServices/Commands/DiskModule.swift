import Foundation
import LocalStore
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/disk`: every real mount (percent, free, inodes), the largest directories under the
/// configured roots and the largest log files — the walk bounded in time, partial results said so.
struct DiskModule: CommandModule {
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(Reply(html: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text())) }
        let cfg = m.settings.disk
        await ctx.progress.update(ServicesText.diskMeasuring(scanTime: cfg.scanTime).text())
        // This machine and every host that runs a service (not bare jump hosts), all at once;
        // a host that does not answer says so.
        let hosts = Set(m.settings.services.compactMap(\.host)).sorted()
        let parts = await withTaskGroup(of: (Int, String).self) { g in
            // This machine's mounts, then the `docker system df` figures of the engine on docker_socket.
            let engine = DockerEngine(socket: m.settings.options.dockerSocket)
            g.addTask {
                async let docker: String? = DiskModule.dockerSection(engine, timeout: max(5, cfg.scanTime))
                let history = ctx.app.store.history, now = ctx.app.clock.now()
                // The walk runs on a thread of its own: the asker's language goes with it.
                let language = Language.current
                let local = await runBlocking(name: "opsbot.disk") {
                    Language.$current.withValue(language) { DiskModule.report(cfg, history: history, now: now) }
                }
                return (0, local + ((await docker).map { "\n" + $0 } ?? ""))
            }
            for (i, h) in hosts.enumerated() {
                g.addTask {
                    guard let ssh = m.ssh else { return (i + 1, "") }
                    switch await ssh.call(h, RemoteRequest(op: .disk)) {
                    case .success(let r):
                        return (i + 1, r.disk?.render(title: ServicesText.diskOnHost(host: h).text()) ?? ServicesText.diskHostNoAnswer(host: h).text())
                    case .failure(let f):
                        return (i + 1, ServicesText.diskHostFailed(host: h, error: ChatError.text(f)).text())
                    }
                }
            }
            var out: [(Int, String)] = []
            for await p in g { out.append(p) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return .reply(Reply(html: parts.filter { !$0.isEmpty }.joined(separator: "\n\n")))
    }

    /// Columns padded to the longest mount name (`%-19@` does not pad `%@`); the marker goes
    /// last, where an emoji's width cannot shift the columns.
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    static func mountTable(_ mounts: [(mount: String, used: Double, free: String, inodes: Double, mark: String)]) -> [String] {
        // At least as wide as the first column's title ("mount", "раздел").
        let title = Language.current == .ru ? 6 : 5
        let width = min(40, max(title, mounts.map { $0.mount.count }.max() ?? title))
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var rows = [ServicesText.mountTableHeader(width: width).text()]
        for m in mounts {
            let name = m.mount.count > width ? String(m.mount.prefix(width - 1)) + "…" : m.mount
            let row = pad(name, width) + "  " + lpad(String(format: "%.0f%%", m.used), 4) + "  " + pad(m.free, 8) + "  " + lpad(String(format: "%.0f%%", m.inodes), 6)
            rows.append(m.mark.isEmpty ? row : row + " " + m.mark)
        }
        return rows
    }

    static func report(_ cfg: DiskConfig, history: History? = nil, now: Date = Date()) -> String {
        var snap = DiskSnapshot.measure(cfg)
        if let history { snap.fill = fillLines(snap.mounts.map(\.mountPoint), cfg, history: history, now: now) }
        return snap.render()
    }

    /// "full in ~3 h 20 min at the last hour's rate (+2.1 %/h)", "not filling", or "measuring…" per mount.
    static func fillLines(_ mounts: [String], _ cfg: DiskConfig, history: History, now: Date) -> [String: String] {
        var out: [String: String] = [:]
        for m in mounts {
            guard let p = Projection.project(history, series: "disk:\(m)", limit: 100, now: now, window: cfg.fillWindow) else {
                out[m] = ServicesText.fillUnknown(needs: Projection.minimumSpan(cfg.fillWindow)).text()
                continue
            }
            let rate = p.trend.slope * 3600
            if let s = p.secondsToLimit {
                out[m] = (s == 0 ? ServicesText.fullNow : .fullIn(seconds: s, window: cfg.fillWindow, rate: rate)).text()
            } else {
                out[m] = ServicesText.notFilling(rate: rate, window: cfg.fillWindow).text()
            }
        }
        return out
    }

    /// `docker system df` figures from the engine on `docker_socket`, when that socket exists.
    static func dockerSection(_ engine: DockerEngine, timeout: Double) async -> String? {
        guard engine.present else { return nil }
        do {
            let df = try await engine.diskUsage(timeout: timeout)
            let reclaim = df.rows.filter { $0.kind != "Local Volumes" }.reduce(0) { $0 + $1.reclaimable }
            return ServicesText.dockerDiskTitle(socket: engine.socket).text() + "\n<pre>\(HTML.escape(dockerRows(df)))</pre>"
                + (reclaim > 0 ? "\n" + ServicesText.dockerReclaimable(bytes: reclaim).text() : "")
        } catch {
            return ServicesText.dockerDiskFailed(error: ChatError.text(error)).text()
        }
    }

    static func dockerRows(_ df: DockerAPI.DiskUsage) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var rows = ["TYPE           TOTAL ACTIVE  SIZE      RECLAIMABLE"]
        for r in df.rows {
            rows.append(pad(r.kind, 14) + " " + left(String(r.total), 5) + " " + left(String(r.active), 6) + "  "
                        + pad(DiskUsage.format(r.bytes), 9) + " " + DiskUsage.format(r.reclaimable))
        }
        return rows.joined(separator: "\n")
    }
}

/// A cleanup declared in the catalog (`module: disk_cleanup`): truncate named log files, or
/// run an argv (`docker system prune -f`, `journalctl --vacuum-size=200M`). The preview says
/// how much it should free; the result says what it actually freed (free space before/after).
struct CleanupModule: CommandModule {
    struct Settings: Decodable {
        /// Truncate: name → path of each log file it may empty.
        var files: [String: String]?
        var argv: [String]?
        /// Directories whose size estimates the gain of an argv action (e.g. /var/log/journal).
        var measure: [String]?
        /// What the argv keeps (journal vacuum size): the estimate is size(measure) − keep.
        var keep: String?
        var timeout: ConfigDuration?
    }

    let files: [(name: String, path: String)]
    let argv: [String]?
    let measure: [String]
    let keep: Int
    let timeout: Double
    let commandName: String

    init(settings raw: ModuleSettings, command: CatalogCommand, config: Config?) throws {
        let s = try raw.decode(Settings.self)
        guard (s.files == nil) != (s.argv == nil) else {
            throw ConfigError(file: raw.source, key: "settings", message: "give either files (name: path to truncate) or argv (a command to run)")
        }
        files = (s.files ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        argv = s.argv
        if let a = argv, a.isEmpty { throw ConfigError(file: raw.source, key: "settings.argv", message: "needs at least the program") }
        measure = s.measure ?? []
        keep = try s.keep.map { k in
            guard let v = CleanupModule.parseSize(k) else { throw ConfigError(file: raw.source, key: "settings.keep", message: "expected a size such as 200M or 1G") }
            return v
        } ?? 0
        timeout = try raw.positive(s.timeout, key: "timeout") ?? 120
        commandName = command.name
    }

    /// Not configured here when its program is not installed, or none of the paths it
    /// works on exist (no nginx logs to truncate, no persistent journal to vacuum).
    var notConfigured: String? {
        if let program = argv?.first, ProcessRunner.findExecutable(program) == nil {
            return ServicesText.cleanupNotInstalled(program: program).text()
        }
        let paths = files.map(\.path) + measure
        if !paths.isEmpty && !paths.contains(where: { FileManager.default.fileExists(atPath: $0) }) {
            return ServicesText.cleanupNoPaths(paths: paths).text()
        }
        return nil
    }

    func missingPaths(_ config: Config) -> [String] {
        guard notConfigured == nil else { return [] }
        return files.map(\.path).filter { !FileManager.default.fileExists(atPath: $0) }.map { "\($0) does not exist" }
    }

    static func parseSize(_ s: String) -> Int? {
        let t = s.uppercased().replacingOccurrences(of: "B", with: "")
        let mult: Double = t.hasSuffix("K") ? 1e3 : t.hasSuffix("M") ? 1e6 : t.hasSuffix("G") ? 1e9 : t.hasSuffix("T") ? 1e12 : 1
        let num = Double(mult == 1 ? t : String(t.dropLast()))
        return num.map { Int($0 * mult) }
    }

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        var chosen = files
        if let which = ctx.request.string("file") {
            chosen = files.filter { $0.name == which }
            guard !chosen.isEmpty else {
                return .reply(Reply(html: ServicesText.cleanupUnknownLog(name: which, known: files.map(\.name)).text()))
            }
        }
        let targets = chosen
        let (estimate, what) = await runBlocking(name: "opsbot.disk") { [self] () -> (Int?, String) in
            if argv == nil {
                let sizes = targets.map { (DiskUsage.size(of: $0.path, deadline: Date().addingTimeInterval(1)) ?? 0) }
                let lines = zip(targets, sizes).map { "truncate -s 0 \($0.0.path)   (\(DiskUsage.format($0.1)))" }
                return (sizes.reduce(0, +), lines.joined(separator: "\n"))
            }
            let sizes = measure.compactMap { DiskUsage.size(of: $0, deadline: Date().addingTimeInterval(3)) }
            let shown = argv!.map(ShellModule.quote).joined(separator: " ")
            return (sizes.isEmpty ? nil : max(0, sizes.reduce(0, +) - keep), shown)
        }
        let preview = ServicesText.cleanupPreview(what: what, estimate: estimate).text()
        let probe = targets.first?.path ?? measure.first ?? "/"
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: ServicesText.cleanupConfirm.text(), auditAction: "/\(commandName): \(what)") { [self] progress in
            let before = DiskUsage.usage(of: CleanupModule.existingParent(probe))?.freeBytes
            var out: [String] = []
            if argv == nil {
                for t in targets {
                    if truncate(t.path, 0) == 0 { out.append(ServicesText.cleanupEmptied(path: t.path).text()) } else { out.append("\(t.path): \(String(cString: strerror(errno)))") }
                }
            } else {
                await progress.update(ServicesText.cleanupRunning(what: what).text())
                do {
                    let r = try await ProcessRunner.run(argv!, timeout: timeout, maxOutput: 64 * 1024)
                    out.append(ServicesText.cleanupRan(what: what, exitCode: r.exitCode, seconds: r.duration, timedOut: r.timedOut, signal: r.signal).text())
                    let tail = (r.stdout + r.stderr).split(separator: "\n").suffix(5).joined(separator: "\n")
                    if !tail.isEmpty { out.append(SecretPatterns.mask(String(tail))) }
                } catch { out.append(ServicesText.cleanupCouldNotRun(what: what, error: ChatError.text(error)).text()) }
            }
            let after = DiskUsage.usage(of: CleanupModule.existingParent(probe))?.freeBytes
            var html = "<pre>\(HTML.escape(out.joined(separator: "\n")))</pre>"
            if let before, let after {
                html += ServicesText.cleanupFreed(before: before, after: after).text()
            }
            return Reply(html: html)
        })
    }

    static func existingParent(_ p: String) -> String {
        var path = p
        while !FileManager.default.fileExists(atPath: path) && path != "/" { path = (path as NSString).deletingLastPathComponent }
        return path.isEmpty ? "/" : path
    }
}
