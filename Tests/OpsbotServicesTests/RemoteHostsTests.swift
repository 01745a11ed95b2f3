import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices
@testable import OpsbotAlertmanager

/// Remote hosts against a real sshd whose authorized_keys forces `opsbot remote` (the built
/// binary) serving the process backend, a real log file and two command-backend services
/// that hang or run slowly.
@Suite(.serialized, .exclusive, .enabled(if: TestSSHD.enabled)) struct RemoteHostsTests {
    /// The remote host's own config: what its key may serve.
    static func remoteConfig(_ dir: String) -> String {
        """
        services:
          rworker:
            backend: process
            match: '\(dir)/rworker\\.sh'
            pidfile: \(dir)/rworker.pid
            log_file: \(dir)/rworker.log
            start: [/bin/sh, \(dir)/rworker.sh]
            stop_timeout: 2s
          hang:
            backend: command
            status_command: [/bin/sleep, "\(RemoteHostsTests.hang)"]
            command_timeout: 120s
          slow:
            backend: command
            status_command: [/bin/sh, -c, "/bin/sleep 4.0125; echo running"]
            running_pattern: running
            command_timeout: 60s
          rlogs:
            backend: process
            match: '\(dir)/rlogs-never-runs'
            log_file: \(dir)/rlogs.log
        """
    }

    /// The hung command's argument, unique to this test process: the check looks for it by
    /// name, and another test run on the machine (or a killed one) has its own.
    static let hang = "3001.\(getpid())"

    static func sshd() throws -> TestSSHD {
        let s = try TestSSHD.shared(opsbot: Repository.opsbotBinary) { dir in
            try? """
            echo "$(date '+%Y-%m-%d %H:%M:%S') - INFO - Bot is starting polling..." >> \(dir)/rworker.log
            while true; do sleep 1; done
            """.write(toFile: "\(dir)/rworker.sh", atomically: true, encoding: .utf8)
            try? "2026-01-01 10:00:00 - ERROR - old failure\n".write(toFile: "\(dir)/rworker.log", atomically: true, encoding: .utf8)
            return remoteConfig(dir)
        }
        return s
    }

    let sshd: TestSSHD
    let state: String

    init() throws {
        sshd = try RemoteHostsTests.sshd()
        state = ServicesTest.dir()
    }

    func yaml(extraHosts: String = "") -> String {
        """
        state_dir: \(state)
        hosts:
        \(sshd.hostYAML("box"))
        \(sshd.hostYAML("quick", extra: ["timeout: 3s"]))
        \(extraHosts)
        services:
          worker:
            host: box
            remote_service: rworker
            startup_marker: 'Bot is starting polling'
            restart_wait: 15s
            restart_settle: 1s
            bot: true
          hang:
            host: quick
          slow:
            host: box
          secret:
            host: box
          logs:
            host: box
            remote_service: rlogs
          locallogs:
            backend: process
            match: '\(sshd.directory)/rlogs-never-runs'
            log_file: \(sshd.directory)/rlogs.log
        """
    }

    func killWorkers() {
        for p in ProcInfo.find(matching: try! NSRegularExpression(pattern: "\(sshd.directory)/rworker\\.sh")) { kill(p.pid, SIGKILL) }
    }

    func processes(_ needle: String) -> [Int32] {
        ProcInfo.find(matching: try! NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: needle))).map(\.pid)
    }

    @Test func statusRestartLogsAndConflictsOverSSHReuseOneConnection() async throws {
        killWorkers()
        defer { killWorkers() }
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        let ssh = try #require(m.ssh)
        await ssh.closeMaster("box")

        // Generated files: pinned key only, strict checking, batch mode, a private control dir.
        let cfg = try String(contentsOfFile: ssh.configFile, encoding: .utf8)
        #expect(cfg.contains("StrictHostKeyChecking yes") && cfg.contains("BatchMode yes") && cfg.contains("ControlMaster auto"))
        #expect(try String(contentsOfFile: ssh.knownHostsFile, encoding: .utf8) == "opsbot-box \(sshd.hostKey.split(separator: " ").prefix(2).joined(separator: " "))\nopsbot-quick \(sshd.hostKey.split(separator: " ").prefix(2).joined(separator: " "))\n")
        var st = stat()
        #expect(lstat(ssh.controlDirectory, &st) == 0 && st.st_mode & 0o777 == 0o700)

        let before = sshd.log.components(separatedBy: "Accepted publickey").count
        let status = ServicesTest.text(try await ServicesTest.run(app, "/status"))
        #expect(status.contains("worker@box"), "\(status)")
        #expect(status.contains("stopped"), "\(status)")
        #expect(await ssh.masterRunning("box"))

        // Restart through the remote process backend, verified through remote status and logs.
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        #expect(HTML.toPlainText(plan.preview).contains("opsbot remote on box"))
        let result = HTML.toPlainText(await plan.run(RecordingProgress()).html)
        #expect(result.contains("✅ worker@box healthy"), "\(result)")
        #expect(await m.backend("worker")!.status().state == .running)

        let logs = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 20"))
        #expect(logs.contains("worker@box: last"), "\(logs)")
        #expect(logs.contains("Bot is starting polling"), "\(logs)")
        let errors = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 20 error"))
        #expect(errors.contains("old failure") && !errors.contains("Bot is starting"), "\(errors)")

        // A second copy started by hand: /conflicts lists it and stops only the extra, remotely.
        let extra = try ProcessRunner.spawnDetached(["/bin/sh", "\(sshd.directory)/rworker.sh"], logFile: "/dev/null")
        try await Task.sleep(nanoseconds: 300_000_000)
        let conflicts = try await ServicesTest.run(app, "/conflicts")
        let stop = try #require(ServicesTest.plan(conflicts), "\(ServicesTest.text(conflicts))")
        #expect(HTML.toPlainText(stop.preview).contains("Conflicts for worker@box"))
        let stopped = HTML.toPlainText(await stop.run(RecordingProgress()).html)
        #expect(stopped.contains("box: pid \(extra) stopped"), "\(stopped)")
        #expect(stopped.contains("1 instance(s)"), "\(stopped)")

        // Three services on box asked at once, then restart, logs, conflicts: all on one master
        // connection per host — two logins in total (box and quick).
        let after = sshd.log.components(separatedBy: "Accepted publickey").count
        #expect(after - before == 2, "logins: \(after - before)\n\(sshd.log.suffix(2000))")

        let disk = ServicesTest.text(try await ServicesTest.run(app, "/disk"))
        #expect(disk.contains("Disk on box") && disk.contains("Disk on quick") && disk.contains("mount"), "\(disk)")
    }

    /// One kind of `/logs` filter: what the remote reply must hold and must not.
    struct FilterCase: Sendable, CustomTestStringConvertible {
        var args: String
        var kept: [String]
        var left: [String]
        var testDescription: String { "/logs … \(args)" }
    }

    static let filterCases = [
        FilterCase(args: "/ERROR sample/", kept: ["ERROR sample payment failed", "ERROR sample from long ago"], left: ["all good", "disk slow", "database gone"]),
        FilterCase(args: "re:disk (slow|full)", kept: ["disk slow"], left: ["all good", "ERROR sample"]),
        FilterCase(args: "error", kept: ["ERROR sample payment failed", "database gone", "ERROR sample from long ago"], left: ["disk slow", "all good"]),
        FilterCase(args: "warning", kept: ["disk slow", "ERROR sample payment failed", "database gone", "ERROR sample from long ago"], left: ["all good", "request served"]),
        FilterCase(args: "critical", kept: ["database gone"], left: ["ERROR sample", "disk slow", "all good"]),
        FilterCase(args: "PAYMENT Failed", kept: ["ERROR sample payment failed"], left: ["all good", "database gone", "from long ago"]),
        FilterCase(args: "30m", kept: ["disk slow", "ERROR sample payment failed", "database gone", "too many requests", "all good"], left: ["from long ago", "request served"]),
        FilterCase(args: "error 30m /sample/", kept: ["ERROR sample payment failed"], left: ["from long ago", "database gone", "all good"]),
    ]

    /// Each filter kind local `/logs` has, through the SSH path: the remote reply holds exactly
    /// the lines the same command gives on the same file read locally.
    @Test(arguments: RemoteHostsTests.filterCases) func everyLogsFilterKindWorksOnARemoteHost(_ c: FilterCase) async throws {
        let now = Date()
        func at(_ minutesAgo: Double) -> String {
            let f = ISO8601DateFormatter()
            return f.string(from: now.addingTimeInterval(-minutesAgo * 60))
        }
        try """
        \(at(120)) - ERROR - ERROR sample from long ago
        \(at(119)) - INFO - request served
        \(at(20)) - WARNING - disk slow on /var
        \(at(15)) - ERROR - ERROR sample payment failed
        \(at(10)) - CRITICAL - database gone
        \(at(5)) - INFO - too many requests from 10.0.0.1
        \(at(1)) - INFO - all good

        """.write(toFile: "\(sshd.directory)/rlogs.log", atomically: true, encoding: .utf8)
        let app = try ServicesTest.app(yaml())
        let remote = ServicesTest.text(try await ServicesTest.run(app, "/logs logs 20 \(c.args)"))
        let local = ServicesTest.text(try await ServicesTest.run(app, "/logs locallogs 20 \(c.args)"))
        let header = try #require(remote.split(separator: "\n").first.map(String.init))
        #expect(header.hasPrefix("logs@box: last \(c.kept.count) line"), "\(remote)")
        for k in c.kept { #expect(remote.contains(k), "\(k) missing:\n\(remote)") }
        for l in c.left { #expect(!remote.contains(l), "\(l) should be filtered out:\n\(remote)") }
        #expect(remote.split(separator: "\n").dropFirst() == local.split(separator: "\n").dropFirst(), "remote:\n\(remote)\nlocal:\n\(local)")
        // The same filter named in both headers (a window's start differs by the seconds between the two commands).
        func shape(_ h: String) -> String { (h.components(separatedBy: ": last").last ?? "").filter { !$0.isNumber } }
        let localHeader = local.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("(") && shape(header) == shape(localHeader), "\(header) / \(localHeader)")
    }

    /// `/status` costs one SSH session per host, whatever the number of services on it.
    @Test func statusAsksEachHostOnce() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        func sessions() -> Int { sshd.log.components(separatedBy: "Starting session:").count - 1 }
        // Warm: the master connections are up, so only sessions remain to count.
        _ = await StatusCollector.collect(m, parts: .services)
        let before = sessions()
        let report = await StatusCollector.collect(m, parts: .services, deadline: Date().addingTimeInterval(30))
        #expect(sessions() - before == 2, "sessions: \(sessions() - before) for \(report.services.count) services on 2 hosts\n\(sshd.log.suffix(3000))")
        func state(_ n: String) -> ServiceStatus? { report.services.first { $0.config.name == n }?.status }
        #expect(state("slow")?.state == .running, "\(String(describing: state("slow")))")
        #expect(state("logs")?.state == .stopped, "\(String(describing: state("logs")))")
        #expect(state("secret")?.state == .unknown && state("secret")?.error?.contains("not in this host's config") == true, "\(String(describing: state("secret")))")
        #expect(state("hang")?.state == .unknown, "\(String(describing: state("hang")))")
    }

    /// The hosts answer within the command's deadline: a status slower than what is left of
    /// it (`slow` takes 4 s) is unknown, the rest of its host's answer still arrives.
    @Test func remoteStatusStaysWithinTheCommandsDeadline() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        _ = await m.backend("worker")!.status()  // the master connection up: the deadline is for the answer
        let t0 = Date()
        let report = await StatusCollector.collect(m, parts: .services, deadline: Date().addingTimeInterval(3))
        let elapsed = Date().timeIntervalSince(t0)
        #expect(elapsed < 6, "\(elapsed) s")  // 3 s, plus room for a loaded machine
        func state(_ n: String) -> ServiceStatus? { report.services.first { $0.config.name == n }?.status }
        #expect(state("slow")?.state == .unknown, "\(String(describing: state("slow")))")
        #expect(state("logs")?.state == .stopped, "\(String(describing: state("logs")))")
    }

    @Test func hostKeyMismatchIsUnknownNeverDown() async throws {
        // Pinned: a different (valid) key than the server's.
        let wrong = try String(contentsOfFile: sshd.clientKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var y = yaml(extraHosts: """
          impostor:
            address: 127.0.0.1
            port: \(sshd.port)
            user: \(sshd.user)
            identity_file: \(sshd.clientKey)
            host_key: "\(wrong)"
        """)
        y = y.replacingOccurrences(of: "    host: box\n    remote_service: rworker", with: "    host: impostor\n    remote_service: rworker")
        let app = try ServicesTest.app(y)
        let m = try app.servicesFeature.manager()
        let s = await m.backend("worker")!.status()
        #expect(s.state == .unknown)
        #expect(s.detail == "host unreachable")
        #expect(s.error?.contains("Host key verification failed") == true, "\(s.error ?? "")")
        let report = await StatusCollector.collect(m, parts: .services)
        let down = try #require(report.checks.first { $0.check == "service_down" && $0.target == "worker" })
        #expect(down.status == .unknown)
        #expect(down.summary.contains("worker@impostor"), "\(down.summary)")
        let restart = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart worker")))
        let out = HTML.toPlainText(await restart.run(RecordingProgress()).html)
        #expect(out.contains("restart failed") && out.contains("unreachable"), "\(out)")
        // Nothing was learned: known_hosts still holds exactly the pinned keys.
        #expect(try String(contentsOfFile: m.ssh!.knownHostsFile, encoding: .utf8) == m.ssh!.renderKnownHosts())
        #expect(m.ssh!.renderKnownHosts().contains("opsbot-impostor \(wrong.split(separator: " ").prefix(2).joined(separator: " "))"))
    }

    @Test func injectionStringsInEveryArgumentRunNothing() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        let ssh = try #require(m.ssh)
        let marker = "/tmp/opsbot-pwned-\(UUID().uuidString.prefix(8))"
        let evil = ["; touch \(marker)", "$(touch \(marker))", "`touch \(marker)`", "' \" \\ | touch \(marker) &", "-oProxyCommand=touch \(marker)",
                    "rworker\ntouch \(marker)", "../../etc/passwd"]
        // Through the chat: the text filter is only ever a fixed string on the remote side.
        for e in evil.prefix(3) {
            let out = ServicesTest.text(try await ServicesTest.run(app, "/logs worker 5 \(e)"))
            #expect(!out.contains("Traceback"), "\(out)")
        }
        // Each request field, validated by the sender…
        for e in evil {
            for req in [RemoteRequest(op: .status, service: e), RemoteRequest(op: .logs, service: "rworker", level: e),
                        RemoteRequest(op: .stop, service: "rworker", instance: e), RemoteRequest(op: .logs, service: "rworker", regex: e + "(")] {
                if case .success = await ssh.call("box", req) { Issue.record("accepted \(req)") }
            }
            // …and, sent raw, by the remote side again.
            let raw = #"{"op":"status","service":"# + jsonString(e) + #","deadline":5}"#
            let r = await ssh.send("box", command: raw, timeout: 10)
            guard case .failure(.remote(_, let msg)) = r else { Issue.record("raw \(e): \(r)"); continue }
            #expect(msg.en.contains("refused"), "\(msg)")
            let logs = await ssh.send("box", command: try RemoteRequest(op: .logs, service: "rworker", lines: 5, text: e).encoded(), timeout: 10)
            if case .failure(let f) = logs { Issue.record("text filter \(e): \(f)") }
        }
        for raw in ["touch \(marker)", "opsbot-remote-v1 $(touch \(marker))", "opsbot-remote-v1 a b", "{\"op\":\"shell\",\"deadline\":5}",
                    "{\"op\":\"status\",\"service\":\"rworker\",\"deadline\":1e9}", "opsbot-remote-v1 " + String(repeating: "A", count: 100)] {
            let r = await ssh.send("box", command: raw, timeout: 10)
            guard case .failure(.remote(_, let msg)) = r else { Issue.record("raw \(raw): \(r)"); continue }
            #expect(msg.en.contains("refused"), "\(raw): \(msg)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    func jsonString(_ s: String) -> String {
        String(data: try! JSONEncoder().encode(s), encoding: .utf8)!.dropFirst().dropLast().description
    }

    @Test func aServiceTheRemoteConfigDoesNotNameIsRefused() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        let s = await m.backend("secret")!.status()
        #expect(s.state == .unknown)
        #expect(s.error?.contains("\"secret\" is not in this host's config") == true, "\(s.error ?? "")")
        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/restart secret")))
        let out = HTML.toPlainText(await plan.run(RecordingProgress()).html)
        #expect(out.contains("restart failed") && out.contains("not in this host's config"), "\(out)")
        let logs = ServicesTest.text(try await ServicesTest.run(app, "/logs secret"))
        #expect(logs.contains("Cannot read the logs of secret") && logs.contains("refused"), "\(logs)")
    }

    @Test func aHungRemoteCommandIsKilledAtTheDeadlineAndTheMasterClosed() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        let ssh = try #require(m.ssh)
        // Through the backend: `quick` allows 3 s; the remote side stops the command before that.
        var t0 = Date()
        let s = await m.backend("hang")!.status()
        #expect(s.state == .unknown, "\(s)")
        #expect(Date().timeIntervalSince(t0) < 6)
        #expect(processes("sleep \(Self.hang)").isEmpty)

        // A remote that ignores the deadline (asked for 60 s): the client is killed at 3 s,
        // the master torn down, and the orphaned remote command killed with its session.
        t0 = Date()
        let r = await ssh.send("quick", command: try RemoteRequest(op: .status, service: "hang", deadline: 60).encoded(), timeout: 3)
        let elapsed = Date().timeIntervalSince(t0)
        guard case .failure(.timedOut) = r else { Issue.record("\(r)"); return }
        #expect(elapsed < 10, "\(elapsed)")
        #expect(await !ssh.masterRunning("quick"))
        var gone = false
        for _ in 0..<50 where !gone {
            gone = processes("sleep \(Self.hang)").isEmpty
            if !gone { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        #expect(gone, "the remote sleep survived the closed session")
        // The next request opens a fresh master and works.
        #expect(await m.backend("worker")!.status().state != .unknown)
    }

    @Test func aConnectionDroppedMidCommandIsUnknown() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        async let status = m.backend("slow")!.status()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        sshd.dropConnections()
        let s = await status
        #expect(s.state == .unknown, "\(s)")
        #expect(s.detail == "host unreachable", "\(s)")
        var gone = false
        for _ in 0..<50 where !gone {
            gone = processes("sleep 4.0125").isEmpty
            if !gone { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        #expect(gone)
        // Afterwards a new connection serves the next request.
        let again = await m.backend("worker")!.status()
        #expect(again.state != .unknown, "\(again)")
    }

    @Test func instancesTheRemoteCannotCountAreUnknownNeverZero() async throws {
        let app = try ServicesTest.app(yaml())
        let m = try app.servicesFeature.manager()
        do {
            let list = try await m.backend("slow")!.instances()
            Issue.record("expected unknown, got \(list)")
        } catch let e as InstancesUnknown {
            #expect(e.reason.contains("box") && e.reason.contains("instances_command"), "\(e)")
        }
    }

    @Test func proxyJumpGoesThroughAPinnedBastion() async throws {
        let bastion = try TestSSHD.start(opsbot: Repository.opsbotBinary, jumpTo: sshd.port) { _ in "services: {}\n" }
        defer { bastion.stop() }
        let app = try ServicesTest.app(yaml(extraHosts: bastion.hostYAML("bastion") + "\n" + sshd.hostYAML("inner", extra: ["proxy_jump: bastion"])))
        let ssh = try #require(try app.servicesFeature.manager().ssh)
        let r = await ssh.call("inner", RemoteRequest(op: .logs, service: "rworker", lines: 5))
        guard case .success(let resp) = r else { Issue.record("\(r)"); return }
        #expect(resp.lines?.isEmpty == false)
        #expect(try String(contentsOfFile: ssh.configFile, encoding: .utf8).contains("ProxyJump opsbot-bastion"))
        // The bastion saw opsbot's key, and only forwarded (its key cannot run anything).
        #expect(bastion.log.contains("Accepted publickey"), "\(bastion.log.suffix(1500))")
        await ssh.closeMaster("inner"); await ssh.closeMaster("bastion")
    }

    @Test func configErrorsNameTheKey() throws {
        func load(_ y: String) -> String {
            do { _ = try ServicesSettings.load(try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n" + y).0.config); return "ok" } catch { return "\(error)" }
        }
        let base = "hosts:\n  web1:\n    address: 10.0.0.5\n    user: opsbot\n    host_key: \"\(sshd.hostKey)\"\n"
        #expect(load(base + "services:\n  w:\n    host: web2\n").contains("services.w.host"))
        #expect(load(base + "services:\n  w:\n    host: web1\n    backend: systemd\n").contains("backend"))
        #expect(load("hosts:\n  web1:\n    address: \"10.0.0.5 -oProxyCommand=x\"\n    user: u\n    host_key: \"\(sshd.hostKey)\"\n").contains("hosts.web1.address"))
        #expect(load("hosts:\n  web1:\n    address: a\n    user: u\n    host_key: nonsense\n").contains("hosts.web1.host_key"))
        #expect(load("hosts:\n  web1:\n    address: a\n    user: u\n    identity_file: \"/k %h\"\n    host_key: \"\(sshd.hostKey)\"\n").contains("identity_file"))
        #expect(load("hosts:\n  Web!:\n    address: a\n    user: u\n    host_key: \"\(sshd.hostKey)\"\n").contains("hosts.Web!"))
        #expect(load(base + "services:\n  w:\n    host: web1\n") == "ok")
    }
}
