import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices
@testable import OpsbotAlertmanager

/// systemd and docker backends against recorded real output: fake `systemctl`/`journalctl`
/// that print recorded text, and a Docker Engine API served on a unix socket.
@Suite struct ServicesSystemdDockerTests {
    static let show = RecordedOutput.systemctlShow(
        environment: "PYTHONUNBUFFERED=1 API_GATEWAY_URL=not-a-url ENCRYPTION_SECRET=0123456789abcdef0123456789abcdef")

    static let journal = RecordedOutput.journalCrashLoop

    @Test func systemdCrashLoopLogsEnvAndRestart() async throws {
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/show.txt", Self.show)
        try ServicesTest.write("\(dir)/journal.json", Self.journal + "\n")
        try ServicesTest.write("\(dir)/systemctl", """
        #!/bin/sh
        echo "$@" >> \(dir)/calls
        case "$1" in show) cat \(dir)/show.txt ;; restart) exit 0 ;; *) exit 1 ;; esac
        """, executable: true)
        try ServicesTest.write("\(dir)/journalctl", "#!/bin/sh\necho \"$@\" >> \(dir)/calls\ncat \(dir)/journal.json\n", executable: true)
        let yaml = """
        services:
          bot:
            backend: systemd
            unit: marketingbot-bot.service
            restart_wait: 1s
            env:
              rules:
                - {name: API_GATEWAY_URL, format: url}
                - {name: ENCRYPTION_SECRET, format: bytes, length: 32}
                - TELEGRAM_BOT_TOKEN
        service_options:
          systemctl: [\(dir)/systemctl]
          journalctl: [\(dir)/journalctl]
        """
        // "now" is just after the recorded journal, so `1h` includes it
        let clock = ManualClock(Date(timeIntervalSince1970: 1795428030))
        let app = try ServicesTest.app(yaml, clock: clock)
        let checks = await app.checks.named("services")!.run(app)
        #expect(checks.first { $0.check == "service_down" }?.status == .warning)   // activating (auto-restart)
        let loop = try #require(checks.first { $0.check == "restart_loop" })
        #expect(loop.status == .critical && loop.value == 7 && loop.remediation == "/logs bot 50 critical")

        let logs = ServicesTest.text(try await ServicesTest.run(app, "/logs bot 50 critical"))
        #expect(logs.contains("ОБНАРУЖЕН КОНФЛИКТ") && !logs.contains("Bot is starting"))
        // systemd's own lines about the unit (_PID 1) are marked, the unit's own are not.
        let all = ServicesTest.text(try await ServicesTest.run(app, "/logs bot 50"))
        #expect(all.contains("Z [systemd] marketingbot-bot.service: Scheduled restart job") && all.contains("Z 2026-11-23 09:59:50 - INFO - Bot is starting"), "\(all)")
        #expect(!all.contains("[systemd] 2026-11-23"))
        let errs = ServicesTest.text(try await ServicesTest.run(app, "/logs bot 50 error 1h"))
        #expect(errs.contains("Conflict: terminated") && errs.contains("ОБНАРУЖЕН"))
        let calls = try String(contentsOfFile: "\(dir)/calls", encoding: .utf8)
        #expect(calls.contains("-u marketingbot-bot.service -n 1000 --no-pager -o json --since @"))

        let env = ServicesTest.text(try await ServicesTest.run(app, "/env bot"))
        #expect(env.contains("API_GATEWAY_URL is not a URL"))
        #expect(env.contains("✅ ENCRYPTION_SECRET"))
        #expect(env.contains("TELEGRAM_BOT_TOKEN missing"))
        #expect(!env.contains("0123456789abcdef") && !env.contains("not-a-url"))

        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart bot")))
        #expect(plan.preview.contains("\(dir)/systemctl restart marketingbot-bot.service"))
        let r = HTML.toPlainText(await clock.drive(by: .milliseconds(500)) { await plan.run(NoProgress()) }.html)
        #expect(r.contains("bot still failing after 1 s (starting: activating (auto-restart) since 2026-11-23T10:00:04Z)"), "\(r)")
        #expect(try String(contentsOfFile: "\(dir)/calls", encoding: .utf8).contains("restart marketingbot-bot.service"))
    }

    @Test func dockerOverUnixSocket() async throws {
        let dir = ServicesTest.dir()
        let server = try RoutedHTTPServer(unixSocket: "\(dir)/docker.sock")
        defer { server.stop() }
        // web, worker and scheduler run from one image (as compose projects commonly do); debug-copy is a
        // `docker run` of the worker's poller outside compose, found only through `match:`.
        server.route("/containers/json", .json("""
        [{"Id":"aaa111","Names":["/app-worker-1"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 2 hours (healthy)","Labels":{"com.docker.compose.service":"worker","com.docker.compose.project":"app"},"Created":1795420000},
         {"Id":"ddd444","Names":["/app-web-1"],"Image":"app-bot:latest","Command":"gunicorn app:web","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"web","com.docker.compose.project":"app"},"Created":1795420000},
         {"Id":"eee555","Names":["/app-scheduler-1"],"Image":"app-bot:latest","Command":"python -m bot.scheduler","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"scheduler","com.docker.compose.project":"app"},"Created":1795420000},
         {"Id":"bbb222","Names":["/debug-copy"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 5 minutes","Labels":{},"Created":1795427700},
         {"Id":"ccc333","Names":["/app-db-1"],"Image":"postgres:16","Command":"docker-entrypoint.sh postgres","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"db"},"Created":1795420000}]
        """))
        server.route("/containers/aaa111/json", .json("""
        {"Id":"aaa111","Name":"/app-worker-1","RestartCount":2,"State":{"Status":"running","Running":true,"Pid":999,"StartedAt":"2026-11-23T08:00:00.123456789Z","Health":{"Status":"healthy"}},"Config":{"Image":"app-bot:latest","Env":["TELEGRAM_BOT_TOKEN=123456789:\("AA")Hxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","PORT=8080"],"Tty":false}}
        """))
        server.route("/containers/aaa111/stats", .json(#"{"memory_stats":{"usage":160000000,"stats":{"inactive_file":10000000}}}"#))
        var frames = Data()
        for (s, t) in [(1, "2026-11-23T09:59:00.000000000Z INFO - update handled\n"), (2, "2026-11-23T09:59:01.000000000Z ERROR - Conflict: terminated by other getUpdates request\n")] {
            frames.append(contentsOf: [UInt8(s), 0, 0, 0, 0, 0, 0, UInt8(t.utf8.count)])
            frames.append(Data(t.utf8))
        }
        server.route("/containers/aaa111/logs", .bytes(frames))
        server.route("/containers/bbb222/stop", .status(204))
        let yaml = """
        services:
          worker:
            backend: docker
            compose_service: worker
            match: 'bot\\.worker$'
            bot: true
            env:
              rules: [{name: TELEGRAM_BOT_TOKEN, format: regex, pattern: '\\d{6,12}:[A-Za-z0-9_-]{30,}'}, PORT]
        service_options:
          docker_socket: \(dir)/docker.sock
        """
        let app = try ServicesTest.app(yaml)
        let m = try app.servicesFeature.manager()
        let st = await m.backend("worker")!.status()
        #expect(st.state == .running && st.restartCounter == 2 && st.memoryBytes == 150_000_000 && st.health == "healthy")
        #expect(st.instances == 2 && st.startedAt == Date(timeIntervalSince1970: 1795420800))

        let logs = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 10 error"))
        #expect(logs.contains("2026-11-23T09:59:01Z ERROR - Conflict") && !logs.contains("update handled"))
        #expect(server.seen.contains { $0.hasPrefix("GET /containers/aaa111/logs?stdout=1&stderr=1&timestamps=1&tail=200") })

        let env = ServicesTest.text(try await ServicesTest.run(app, "/env"))
        #expect(env.contains("2/2 ok") && !env.contains("AAHxxx"))

        let conflicts = try await ServicesTest.run(app, "/conflicts")
        let plan = try #require(ServicesTest.plan(conflicts))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("keep: container app-worker-1") && preview.contains("extra: container debug-copy"))
        #expect(!preview.contains("app-web-1") && !preview.contains("app-scheduler-1") && preview.contains("2 instances running"))
        _ = await plan.run(NoProgress())
        #expect(server.seen.contains("POST /containers/bbb222/stop?t=10"))
        #expect(server.seen.filter { $0.contains("/stop") } == ["POST /containers/bbb222/stop?t=10"])
    }

    /// The destructive bug of issue 13: web, worker and scheduler from one image were counted as
    /// three worker instances, and confirming /conflicts stopped web and scheduler.
    @Test func dockerSameImageIsNotSameService() async throws {
        let dir = ServicesTest.dir()
        let server = try RoutedHTTPServer(unixSocket: "\(dir)/docker.sock")
        defer { server.stop() }
        server.route("/containers/json", .json("""
        [{"Id":"aaa111","Names":["/app-worker-1"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"worker","com.docker.compose.project":"app"},"Created":1795420000},
         {"Id":"ddd444","Names":["/app-web-1"],"Image":"app-bot:latest","Command":"gunicorn app:web","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"web","com.docker.compose.project":"app"},"Created":1795420000},
         {"Id":"eee555","Names":["/app-scheduler-1"],"Image":"app-bot:latest","Command":"python -m bot.scheduler","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"scheduler","com.docker.compose.project":"app"},"Created":1795420000}]
        """))
        server.route("/containers/aaa111/json", .json("""
        {"Id":"aaa111","Name":"/app-worker-1","RestartCount":0,"State":{"Status":"running","Running":true,"Pid":999,"StartedAt":"2026-11-23T08:00:00Z"},"Config":{"Image":"app-bot:latest","Tty":false}}
        """))
        server.route("/containers/ddd444/stop", .status(204))
        server.route("/containers/eee555/stop", .status(204))
        let app = try ServicesTest.app("""
        services:
          worker: {backend: docker, compose_service: worker, bot: true}
          web: {backend: docker, container: app-web-1}
        service_options:
          docker_socket: \(dir)/docker.sock
        """)
        let m = try app.servicesFeature.manager()
        #expect(await m.backend("worker")!.status().instances == 1)
        #expect(try await m.backend("worker")!.instances().map(\.id) == ["aaa111"])
        let status = ServicesTest.text(try await ServicesTest.run(app, "/status"))
        #expect(!status.contains("3 instances") && !status.contains("instances running"), "\(status)")
        let conflicts = try await ServicesTest.run(app, "/conflicts")
        #expect(ServicesTest.plan(conflicts) == nil, "nothing to stop: \(ServicesTest.text(conflicts))")
        #expect(ServicesTest.text(conflicts).contains("1 instance running"))
        #expect(!server.seen.contains { $0.contains("/stop") })
    }

    /// Engine answers recorded live: the restart whose PID 1 had to be SIGKILLed, `docker system df`
    /// and the prune calls, through the configured socket.
    @Test func dockerRecordedRestartKillDiskAndPrune() async throws {
        let clock = ManualClock()   // restart verification waits in simulated time
        let dir = ServicesTest.dir()
        let server = try RoutedHTTPServer(unixSocket: "\(dir)/docker.sock")
        defer { server.stop() }
        let worker = "c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1"
        server.route("/containers/json", .json(RecordedDocker.containers))
        server.route("/containers/\(worker)/json", .json(RecordedDocker.workerDetail))
        server.route("/containers/\(worker)/restart", .status(204))
        server.route("/events", .json(RecordedDocker.restartEventsKilled))
        server.route("/system/df", .json(RecordedDocker.systemDF))
        server.route("/containers/prune", .json(RecordedDocker.pruneContainers))
        server.route("/networks/prune", .json(RecordedDocker.pruneNetworks))
        server.route("/images/prune", .json(RecordedDocker.pruneImages))
        server.route("/build/prune", .json(RecordedDocker.pruneBuild))
        let app = try ServicesTest.app("""
        services:
          worker: {backend: docker, compose_service: worker, match: 'python -m bot\\.worker', stop_timeout: 1s, restart_wait: 3s, restart_settle: 0s}
        service_options:
          docker_socket: \(dir)/docker.sock
        disk:
          roots: [\(dir)]
          log_dirs: [\(dir)]
        """, clock: clock)
        let m = try app.servicesFeature.manager()
        let st = await m.backend("worker")!.status()
        #expect(st.instances == 2 && st.health == "healthy" && st.state == .running, "worker and debug-copy, not web: \(st)")

        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let r = HTML.toPlainText(await clock.drive(by: .milliseconds(500)) { await plan.run(NoProgress()) }.html)
        #expect(r.contains("✅ worker healthy") && r.contains("did not stop on SIGTERM within 1 s") && r.contains("SIGKILL, exit code 137"), "\(r)")
        #expect(server.seen.contains("POST /containers/\(worker)/restart?t=1"))

        let disk = ServicesTest.text(try await ServicesTest.run(app, "/disk"))
        #expect(disk.contains("docker system df on \(dir)/docker.sock") && disk.contains("Containers") && disk.contains("reclaimable → /docker_prune"), "\(disk)")
        let prune = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/docker_prune")))
        #expect(server.seen.filter { $0.hasPrefix("POST") && $0.contains("prune") }.isEmpty, "nothing pruned before Confirm")
        let pr = HTML.toPlainText(await prune.run(NoProgress()).html)
        #expect(pr.contains("containers: 1 removed, \(DiskUsage.format(524288)) freed") && pr.contains("images: 0 removed"), "\(pr)")
        #expect(server.seen.filter { $0.hasPrefix("POST") && $0.contains("prune") }.count == 4)
    }

    /// A copy listed in the preview that is gone (or became the service's own) by Confirm is left alone.
    @Test func dockerConflictsStaleCopyLeftAlone() async throws {
        let dir = ServicesTest.dir()
        let server = try RoutedHTTPServer(unixSocket: "\(dir)/docker.sock")
        defer { server.stop() }
        let worker = #"{"Id":"aaa111","Names":["/app-worker-1"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 2 hours","Labels":{"com.docker.compose.service":"worker"},"Created":1795420000}"#
        let copy = #"{"Id":"bbb222","Names":["/debug-copy"],"Image":"app-bot:latest","Command":"python -m bot.worker","State":"running","Status":"Up 5 minutes","Labels":{},"Created":1795427700}"#
        server.route("/containers/json", .json("[\(worker),\(copy)]"))
        server.route("/containers/bbb222/stop", .status(204))
        let app = try ServicesTest.app("""
        services:
          worker: {backend: docker, compose_service: worker, match: 'bot[.]worker', bot: true}
        service_options:
          docker_socket: \(dir)/docker.sock
        """)
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        server.route("/containers/json", .json("[\(worker)]"))   // stopped by someone else meanwhile
        let r = HTML.toPlainText(await plan.run(NoProgress()).html)
        #expect(r.contains("bbb222 is gone or is now the service's own; left alone"), "\(r)")
        #expect(!server.seen.contains { $0.contains("/stop") })
    }
}
