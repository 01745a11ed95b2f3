import Foundation
import Testing
@testable import SystemOps
import TestKit

/// Recorded `systemctl show` output of a crash-looping unit (systemd 252).
let recordedShow = RecordedOutput.systemctlShow(
    environment: #"PYTHONUNBUFFERED=1 "API_GATEWAY_URL=https://app.example.com" ENCRYPTION_SECRET=0123456789abcdef0123456789abcdef"#)

@Suite struct SystemdParserTests {
    @Test func show() {
        let u = SystemdParser.unitState(recordedShow)
        #expect(u.activeState == "activating" && u.subState == "auto-restart")
        #expect(u.restarts == 7 && u.mainPID == 0 && u.memoryBytes == nil)
        #expect(u.activeSince == Date(timeIntervalSince1970: 1795427881))
        #expect(u.environment["API_GATEWAY_URL"] == "https://app.example.com")
        #expect(u.environment["ENCRYPTION_SECRET"]?.utf8.count == 32)
        let running = SystemdParser.unitState("ActiveState=active\nSubState=running\nMainPID=4242\nMemoryCurrent=157286400\nNRestarts=0\n")
        #expect(running.isActive && running.mainPID == 4242 && running.memoryBytes == 157_286_400)
    }

    @Test func journal() {
        let line = #"{"__REALTIME_TIMESTAMP":"1795428000123456","PRIORITY":"3","_PID":"812","MESSAGE":"ERROR - Conflict: terminated by other getUpdates request","_SYSTEMD_UNIT":"bot.service"}"#
        let e = SystemdParser.journalEntry(line)
        #expect(e?.priority == 3 && e?.pid == "812")
        #expect(e?.time == Date(timeIntervalSince1970: 1795428000.123456))
        #expect(e?.line == "2026-11-23T10:00:00Z ERROR - Conflict: terminated by other getUpdates request")
        // journald stores non-UTF-8 messages as byte arrays
        let bin = #"{"__REALTIME_TIMESTAMP":"1795428000000000","PRIORITY":"6","MESSAGE":[104,105,255,0,10]}"#
        #expect(SystemdParser.journalEntry(bin)?.message.hasPrefix("hi\u{FFFD}") == true)
        #expect(SystemdParser.journalEntry("not json") == nil)
    }
}

@Suite struct DockerAPITests {
    @Test func decodeAndDemux() throws {
        let list = #"[{"Id":"aaa111","Names":["/app-worker-1"],"Image":"app-bot:latest","State":"running","Status":"Up 2 hours (healthy)","Labels":{"com.docker.compose.service":"worker","com.docker.compose.project":"app"},"Created":1795420000}]"#
        let c = try DockerAPI.containers(Data(list.utf8))
        #expect(c[0].name == "app-worker-1" && c[0].composeService == "worker")
        let detail = #"{"Id":"aaa111","Name":"/app-worker-1","RestartCount":3,"State":{"Status":"running","Running":true,"Pid":999,"StartedAt":"2026-11-23T08:00:00.123456789Z","Health":{"Status":"healthy"}},"Config":{"Image":"app-bot:latest","Env":["A=1","TELEGRAM_BOT_TOKEN=x"],"Tty":false}}"#
        let d = try DockerAPI.detail(Data(detail.utf8))
        #expect(d.restartCount == 3 && d.state.health?.status == "healthy")
        #expect(d.startedAt == Date(timeIntervalSince1970: 1795420800))
        #expect(d.environment["A"] == "1")
        var frames = Data()
        for (stream, text) in [(1, "out line\n"), (2, "err line\n")] {
            let p = Data(text.utf8)
            frames.append(contentsOf: [UInt8(stream), 0, 0, 0, 0, 0, 0, UInt8(p.count)])
            frames.append(p)
        }
        #expect(DockerAPI.demuxLogs(frames) == ["out line", "err line"])
        #expect(DockerAPI.demuxLogs(Data("tty a\ntty b\n".utf8), tty: true) == ["tty a", "tty b"])
    }
}

@Suite struct EnvRuleTests {
    @Test func formats() {
        #expect(EnvRule(name: "X").check(nil) == "missing")
        #expect(EnvRule(name: "X", required: false).check(nil) == nil)
        #expect(EnvRule(name: "U", format: .url).check("not a url") != nil)
        #expect(EnvRule(name: "U", format: .url).check("https://app.herokuapp.com") == nil)
        #expect(EnvRule(name: "N", format: .integer).check("12a") != nil)
        let secret = EnvRule(name: "ENCRYPTION_SECRET", format: .bytes, length: 32)
        #expect(secret.check(String(repeating: "k", count: 31)) == "is 31 bytes long, expected exactly 32")
        #expect(secret.check(String(repeating: "k", count: 32)) == nil)
        let tok = EnvRule(name: "T", format: .regex, pattern: #"\d{6,12}:[A-Za-z0-9_-]{30,}"#)
        #expect(tok.check("123456:abc") != nil)
        #expect(tok.check("123456789:" + String(repeating: "A", count: 35)) == nil)
        // the value never appears in a message
        #expect(secret.check("supersecretvalue")?.contains("supersecret") == false)
    }

    @Test func envFile() {
        let e = EnvFile.parse("# c\nexport A=1\nB=\"two words\"\n  C = 'x'\nbad line\n")
        #expect(e == ["A": "1", "B": "two words", "C": "x"])
    }
}

@Suite struct ProcAndDiskTests {
    @Test func statParsingSurvivesParensInName() {
        let s = ProcInfo.parseStat("123 (my (odd) proc) S 1 123 123 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 4567 1000000 250 18446744073709551615")
        #expect(s?.ppid == 1 && s?.state == "S" && s?.startTicks == 4567 && s?.rssPages == 250)
    }

    @Test func findsARealProcessByPattern() async throws {
        let marker = "opsbot-test-\(UUID().uuidString.prefix(8))"
        let pid = try ProcessRunner.spawnDetached(["/bin/sh", "-c", "sleep 30; true # \(marker)"], logFile: nil,
                                                  environment: ["PATH": "/usr/bin:/bin", "MARK_ENV": "present"])
        defer { kill(pid, SIGKILL); var st: Int32 = 0; waitpid(pid, &st, 0) }
        try await Task.sleep(nanoseconds: 200_000_000)
        let found = ProcInfo.find(matching: try NSRegularExpression(pattern: marker))
        #expect(found.map(\.pid) == [pid])
        let snap = ProcInfo.snapshot(pid)
        #expect(snap != nil && snap!.rssBytes > 0)
        #expect(abs(snap!.startTime!.timeIntervalSinceNow) < 10)
        #expect(ProcInfo.environment(pid)?["MARK_ENV"] == "present")
        #expect(ProcInfo.isAlive(pid))
    }

    @Test func mountsAndScan() throws {
        let m = DiskUsage.parseMounts("/dev/sda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\n")
        #expect(m.count == 3 && m[2].mountPoint == "/mnt/my disk")
        let mounts = DiskUsage.mounts()
        #expect(!mounts.isEmpty)
        #expect(!mounts.contains { DiskUsage.pseudoTypes.contains($0.fsType) })
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/big/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/small", withIntermediateDirectories: true)
        try Data(count: 300_000).write(to: URL(fileURLWithPath: dir + "/big/sub/app.log"))
        try Data(count: 10_000).write(to: URL(fileURLWithPath: dir + "/small/x.bin"))
        let s = DiskUsage.scan(roots: [dir], depth: 2, top: 5, deadline: Date().addingTimeInterval(5), fileFilter: DiskUsage.isLogFile)
        #expect(!s.partial)
        #expect(s.directories.first?.path == dir)
        #expect(s.directories.contains { $0.path == dir + "/big" && $0.bytes >= 300_000 })
        #expect(s.files.map(\.path) == [dir + "/big/sub/app.log"])
        let late = DiskUsage.scan(roots: ["/usr"], depth: 1, deadline: Date().addingTimeInterval(-1))
        #expect(late.partial)
    }
}
