import Foundation
import Testing
import Alerting
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotApp
@testable import OpsbotServices

@Suite struct ServicesLogsDiskTests {
    @Test func parseWords() throws {
        #expect(try LogsModule.parse(["200", "error"]) == .init(lines: 200, level: .error))
        #expect(try LogsModule.parse(["critical", "1h"]) == .init(since: 3600, level: .critical))
        #expect(try LogsModule.parse(["50", "create_payment", "failed"]) == .init(lines: 50, text: "create_payment failed"))
        #expect(try LogsModule.parse(["/Conflict|429/"]) == .init(regex: "Conflict|429"))
        // Issue 19 item 16: a bare number after the count is text, never seconds.
        #expect(try LogsModule.parse(["200", "429"]) == .init(lines: 200, text: "429"))
        #expect(try LogsModule.parse(["200", "429", "30s"]) == .init(lines: 200, since: 30, text: "429"))
        #expect(throws: ArgumentError.self) { try LogsModule.parse(["/([/"]) }
        #expect(throws: ArgumentError.self) { try LogsModule.parse(["0"]) }
    }

    @Test func logsFilteredMaskedEscapedAndAttachedWhenLong() async throws {
        let dir = ServicesTest.dir()
        let secret = "s3cr3t-db-password-value"
        var lines = (1...300).map { "\(ServicesTest.stamp()) - INFO - <b>update</b> \($0) handled" }
        lines.append("\(ServicesTest.stamp()) - ERROR - db connect failed postgres://bot:\(secret)@db/app token 123456789:AAH\(String(repeating: "y", count: 32))")
        try ServicesTest.write("\(dir)/worker.log", lines.joined(separator: "\n") + "\n")
        let yaml = """
        services:
          worker:
            backend: process
            match: 'no-such-process-\(UUID().uuidString)'
            log_file: \(dir)/worker.log
          web:
            backend: process
            match: 'no-such-process-\(UUID().uuidString)'
            log_file: \(dir)/missing.log
        service_options:
          max_lines: 500
          mask_env: [DB_PASSWORD]
        """
        let app = try ServicesTest.app(yaml, environment: ["DB_PASSWORD": secret])
        let short = try #require(ServicesTest.reply(try await ServicesTest.run(app, "/logs worker 5")))
        #expect(short.attachment == nil)
        #expect(short.html.contains("&lt;b&gt;update&lt;/b&gt; 300 handled"))   // escaped, in <pre>
        #expect(short.html.contains("<pre>") && !short.html.contains(secret) && !short.html.contains("AAHyyyy"))
        let errs = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 200 error"))
        #expect(errs.contains("last 1 line (error)") && errs.contains("db connect failed"))
        let long = try #require(ServicesTest.reply(try await ServicesTest.run(app, "/logs worker 5000")))
        let file = String(decoding: try #require(long.attachment).data, as: UTF8.self)
        // Issue 18 item 7: 301 lines are all there is; the 500-line cap did not stop anything.
        #expect(HTML.toPlainText(long.html).contains("that is all there is: 301 lines (asked for 5000)"), "\(long.html)")
        #expect(!long.html.contains("capped"))
        #expect(file.split(separator: "\n").count == 301)
        #expect(!file.contains(secret))
        // Issue 8 item 12: the caption keeps the newest lines, monospace, under Telegram's limit.
        let lastLine = try #require(file.split(separator: "\n").last.map(String.init))
        #expect(long.html.contains(HTML.escape(lastLine)), "newest line in the caption: \(long.html)")
        #expect(long.html.components(separatedBy: "<pre>").count == 2 && long.html.components(separatedBy: "</pre>").count == 2)
        #expect(HTML.toPlainText(long.html).utf16.count <= 1024)
        let missing = ServicesTest.text(try await ServicesTest.run(app, "/logs web"))
        #expect(missing.contains("Cannot read the logs of web: log file \(dir)/missing.log does not exist"))
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind(["db"], to: app.catalog.entry("logs")!.command, services: app.config.serviceNames) }
    }

    /// Disk levels come from disk.warn_percent / critical_percent, with hysteresis.
    @Test func diskLevelsFollowTheConfigWithHysteresis() {
        var cfg = DiskConfig()
        cfg.warnPercent = 70
        cfg.criticalPercent = 80
        func mount(_ pct: Double) -> MountUsage {
            MountUsage(mountPoint: "/var", device: "d", fsType: "ext4", totalBytes: 1000, freeBytes: Int(1000 - pct * 10), totalInodes: 0, freeInodes: 0)
        }
        #expect(StatusCollector.diskChecks([mount(72)], cfg).first?.status == .warning, "70 % from the config, not a fixed 90 %")
        #expect(StatusCollector.diskChecks([mount(81)], cfg).first?.status == .critical)
        #expect(StatusCollector.diskChecks([mount(77)], cfg, previous: ["/var": .critical]).first?.status == .critical, "holds within the margin")
        #expect(StatusCollector.diskChecks([mount(74)], cfg, previous: ["/var": .critical]).first?.status == .warning)
        #expect(StatusCollector.diskChecks([mount(66)], cfg, previous: ["/var": .warning]).first?.status == .warning)
        #expect(StatusCollector.diskChecks([mount(64)], cfg, previous: ["/var": .warning]).first?.status == .ok)
    }

    @Test func diskColumnsLineUpWhateverTheMountNameLengths() {
        let rows = DiskModule.mountTable([("/", 41, "12.3 GB", 3, ""), ("/var/lib/docker/overlay2", 93.4, "1.1 GB", 12, "🔴"),
                                          ("/boot/efi", 7, "500.0 MB", 0.5, "⚠️")])
        #expect(rows.count == 4)
        let col = rows[0].range(of: "used")!.lowerBound.utf16Offset(in: rows[0])
        for r in rows.dropFirst() {
            let pct = r.range(of: "%")!.lowerBound.utf16Offset(in: r)
            #expect(pct == col + 3, "the percent column lines up: \(rows.joined(separator: "\n"))")
        }
    }

    /// Issue 8 item 10: seed 003's log that fills the disk alerts before the disk is full.
    @Test func logGrowingFasterThanTheConfiguredRateAlerts() async throws {
        let dir = ServicesTest.dir()
        let log = "\(dir)/worker.log"
        try Data(repeating: 65, count: 1_000).write(to: URL(fileURLWithPath: log))
        let clock = ManualClock()
        let app = try ServicesTest.app("""
            services:
              worker:
                backend: process
                match: 'no-such-process-\(UUID().uuidString)'
                log_file: \(log)
            disk:
              log_growth:
                max_mb_per_hour: 100
            """, clock: clock)
        func growth() async -> CheckResult? { await app.checks.named("disk")!.run(app).first { $0.check == "log_growth" } }
        let first = try #require(await growth())
        #expect(first.status == .unknown && first.summary.contains("measuring"), "no rate yet: unknown, never ok (issue 19 item 18)")
        clock.advance(by: 60)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        h.seekToEndOfFile(); h.write(Data(repeating: 66, count: 3_000_000)); try h.close()   // 3 MB/min = 180 MB/h
        let fast = try #require(await growth())
        #expect(fast.status == .warning && fast.target == log && fast.summary.contains("grows 180 MB/h (limit 100 MB/h)"), "\(fast)")
        #expect(fast.remediation == "/disk")
        clock.advance(by: 60)
        #expect(await growth()?.status == .ok, "no growth in the next minute")
    }

    /// Issue 19 item 18: the rate survives an opsbot restart (the samples are in the state), so
    /// a firing log_growth alert neither resolves nor turns unknown when opsbot starts again.
    @Test func logGrowthRateSurvivesARestartAndItsAlertStaysFiring() async throws {
        let dir = ServicesTest.dir()
        let log = "\(dir)/worker.log"
        let state = "\(dir)/state"
        try Data(repeating: 65, count: 1_000).write(to: URL(fileURLWithPath: log))
        let yaml = """
            services:
              worker:
                backend: process
                match: 'no-such-process-\(UUID().uuidString)'
                log_file: \(log)
            disk:
              log_growth:
                max_mb_per_hour: 100
            alerts:
              rules:
                - name: log_growth
                  for: 1
            """
        func grow() throws {
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            h.seekToEndOfFile(); h.write(Data(repeating: 66, count: 3_000_000)); try h.close()   // 3 MB/min = 180 MB/h
        }
        func round(_ app: AppContext) async throws -> AlertState? {
            let svc = try app.alertsFeature.service()
            svc.submit("disk", await app.checks.named("disk")!.run(app))
            svc.evaluateRound()
            return svc.engine.alert(fingerprint: "log_growth:\(log)")
        }
        let clock = ManualClock()
        let first = try ServicesTest.app(yaml, clock: clock, stateDirectory: state)
        _ = try await round(first)
        clock.advance(by: 60)
        try grow()
        #expect(try await round(first)?.isFiring == true)

        // opsbot restarts (a new process on the same state); the log keeps growing.
        clock.advance(by: 60)
        try grow()
        let second = try ServicesTest.app(yaml, clock: clock, stateDirectory: state)
        let r = await second.checks.named("disk")!.run(second).first { $0.check == "log_growth" }
        #expect(r?.status == .warning && r?.summary.contains("grows 180 MB/h") == true, "the rate from the saved sample: \(String(describing: r))")
        let a = try await round(second)
        #expect(a?.isFiring == true && a?.isUnknown == false, "still firing, not resolved: \(String(describing: a))")
    }

    @Test func diskReportAndTruncateCleanup() async throws {
        let dir = ServicesTest.dir()
        try FileManager.default.createDirectory(atPath: "\(dir)/nginx", withIntermediateDirectories: true)
        try Data(repeating: 65, count: 3_000_000).write(to: URL(fileURLWithPath: "\(dir)/nginx/access.log"))
        let yaml = """
        disk:
          roots: [\(dir)]
          log_dirs: [\(dir)]
          scan_time: 2s
        """
        let app = try ServicesTest.app(yaml)
        let disk = ServicesTest.text(try await ServicesTest.run(app, "/disk"))
        #expect(disk.contains("Largest directories") && disk.contains("\(dir)/nginx"))
        #expect(disk.contains("Largest log files") && disk.contains("\(dir)/nginx/access.log"))
        #expect(disk.split(separator: "\n").contains { $0.hasPrefix("/ ") }, "the root mount has its row: \(disk)")

        let cmd = """
        name: truncate_test
        description: test
        module: disk_cleanup
        confirm: true
        arguments: [{name: file, type: string, required: false}]
        settings:
          files: {access: \(dir)/nginx/access.log}
        """
        let loaded = CatalogLoader.load(sources: [("Commands/truncate_test.yaml", cmd)], registry: app.wiring.modules, config: app.config)
        #expect(loaded.errors.isEmpty)
        let entry = try #require(loaded.catalog.entry("truncate_test"))
        let req = CommandRequest(command: entry.command, arguments: ["file": .string("access")], chatID: 1, userID: 1)
        let plan = try #require(ServicesTest.plan(await entry.module.handle(ModuleContext(app: app, request: req, progress: NoProgress()))))
        #expect(HTML.toPlainText(plan.preview).contains("should free about 3 MB"))
        let done = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(done.contains("emptied \(dir)/nginx/access.log") && done.contains("free space:"))
        #expect(try FileManager.default.attributesOfItem(atPath: "\(dir)/nginx/access.log")[.size] as? Int == 0)
        let bad = CommandRequest(command: entry.command, arguments: ["file": .string("passwd")], chatID: 1, userID: 1)
        #expect(ServicesTest.text(await entry.module.handle(ModuleContext(app: app, request: bad, progress: NoProgress()))).contains("unknown log \"passwd\""))
    }

    @Test func envFromFileNeverShowsValues() async throws {
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/.env", "TELEGRAM_BOT_TOKEN=123:short\nENCRYPTION_SECRET=tooshort-secret-value\nAPI_GATEWAY_URL=https://app.example.com\n")
        let yaml = """
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            env:
              file: \(dir)/.env
              rules:
                - {name: TELEGRAM_BOT_TOKEN, format: regex, pattern: '\\d{6,12}:[A-Za-z0-9_-]{30,}', hint: token from @BotFather}
                - {name: ENCRYPTION_SECRET, format: bytes, length: 32}
                - {name: API_GATEWAY_URL, format: url}
                - OPENAI_API_KEY
        """
        let app = try ServicesTest.app(yaml)
        let text = ServicesTest.text(try await ServicesTest.run(app, "/env worker"))
        #expect(text.contains("1/4 ok"))
        #expect(text.contains("TELEGRAM_BOT_TOKEN does not have the expected shape — token from @BotFather"))
        #expect(text.contains("ENCRYPTION_SECRET is 21 bytes long, expected exactly 32"))
        #expect(text.contains("OPENAI_API_KEY missing"))
        #expect(!text.contains("123:short") && !text.contains("tooshort") && !text.contains("app.example.com"))
    }

    @Test func configErrorsNameTheKey() throws {
        let bad = try OpsbotConfig.parse("services:\n  worker:\n    backend: systemd\n", source: "c.yaml", baseDirectory: "/")
        let errs = ServicesFeature.validate(bad)
        #expect(errs.first?.description.contains("services.worker.unit") == true, "\(errs)")
        let order = try OpsbotConfig.parse("services:\n  web: {backend: command, status_command: [x]}\nservice_options:\n  restart_order: [wbe]\n", source: "c.yaml", baseDirectory: "/")
        #expect(ServicesFeature.validate(order).first?.key == "service_options.restart_order")
        let typo = try OpsbotConfig.parse("services:\n  web: {backend: command, status_command: [x], log_fle: /x}\n", source: "c.yaml", baseDirectory: "/")
        #expect(ServicesFeature.validate(typo).first?.key == "services.web.log_fle")
        let backend = try OpsbotConfig.parse("services:\n  web: {backend: sytemd, unit: web.service}\n", source: "c.yaml", baseDirectory: "/")
        let e = ServicesFeature.validate(backend).first
        #expect(e?.key == "services.web.backend")
        #expect(e?.message == "unknown backend \"sytemd\" (one of systemd, docker, process, command, heroku, railway)", "\(String(describing: e))")
    }
}

/// A hostile regex typed in the chat: the reply comes within the deadline + 1 s and the CPU
/// goes back to idle (nothing keeps spinning after the reply).
@Suite(.serialized, .exclusive) struct LogsDeadlineTests {
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    @Test func catastrophicRegexRepliesWithinTheDeadlineAndCPUReturnsToIdle() async throws {
        let dir = ServicesTest.dir()
        let line = String(repeating: "a", count: 3000) + "!"
        try ServicesTest.write("\(dir)/worker.log", Array(repeating: line, count: 4000).joined(separator: "\n") + "\n")
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: process
            match: 'no-such-process-\(UUID().uuidString)'
            log_file: \(dir)/worker.log
        service_options:
          max_lines: 2000
        """)
        let (transport, router) = (app.transport as! RecordingTransport, Router(app: app, progressDelay: 0.5))
        let limit = app.catalog.entry("logs")!.command.timeout
        #expect(limit == 15)
        let started = Date()
        await router.handle(.message(IncomingMessage(chatID: 1, userID: 1, username: "a", messageID: 1, text: "/logs worker 50 /(a+)+$/")))
        let took = Date().timeIntervalSince(started)
        #expect(took < limit + 1, "replied after \(took) s")
        let text = transport.texts.joined(separator: "\n")
        #expect(text.contains("nothing matched") || text.contains("timeout"), "\(text.prefix(300))")
        // Idle afterwards: under 0.3 s of CPU in the next 2 s (a spinning core would use 2 s).
        let before = LogsDeadlineTests.cpuSeconds()
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let used = LogsDeadlineTests.cpuSeconds() - before
        #expect(used < 0.3, "CPU used while idle: \(used) s")
    }

    @Test func chatRegexSyntaxErrorsAreExplained() async throws {
        let app = try ServicesTest.app("services:\n  worker: {backend: process, match: 'x-\(UUID().uuidString)', log_file: /dev/null}\n")
        let t = ServicesTest.text(try await ServicesTest.run(app, "/logs worker /(a)\\1/"))
        #expect(t.contains("backreferences"))
    }
}
