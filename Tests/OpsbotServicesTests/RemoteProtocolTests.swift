import Foundation
import Testing
@testable import OpsbotCore
import TestHarness
@testable import OpsbotServices
import SystemOps

/// The SSH request format and the generated client files, without a server.
@Suite(.ownThreads) struct RemoteProtocolTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyFakeKeyFakeKeyFakeKeyFakeKey0000"

    @Test func requestsRoundTripAndCarryNoShellMetacharacters() throws {
        let r = RemoteRequest(op: .logs, service: "worker", lines: 50, level: "error", text: "$(rm -rf /); `id` | x",
                              regex: #"a\d+"#, since: 1_700_000_000, deadline: 19)
        let wire = try r.encoded()
        #expect(wire.hasPrefix("opsbot-remote-v1 "))
        #expect(wire.dropFirst("opsbot-remote-v1 ".count).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try RemoteRequest.decode(wire) == r)
        // A bare JSON object is accepted too (by hand, for debugging).
        #expect(try RemoteRequest.decode(#"{"op":"status","service":"web","deadline":5}"#).service == "web")
    }

    /// Remote `/logs` carries the filter as local `/logs` parsed it: every field of
    /// `LineFilter` travels (a new field fails here until the request carries it).
    @Test func everyLineFilterFieldTravelsToTheRemoteSide() throws {
        let labels = Set(Mirror(reflecting: LineFilter()).children.compactMap(\.label))
        // `deadline` stays behind on purpose: the remote side stops at the request's own deadline.
        #expect(labels == Set(RemoteRequest.filterFields + ["deadline"]), "\(labels)")
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        let sent = LineFilter(level: .warning, text: "payment", regex: try NSRegularExpression(pattern: #"a\d+"#),
                              chatRegex: try LinearRegex("ERROR (sample|x)"), since: since)
        let wire = try RemoteRequest(logs: "worker", lines: 20, filter: sent).encoded()
        let got = try RemoteRequest.decode(wire).filter
        #expect(got.level == .warning && got.text == "payment" && got.regex?.pattern == #"a\d+"# && got.chatRegex?.pattern == "ERROR (sample|x)")
        #expect(got.since == since)
        #expect(got.summary == sent.summary)
        // A chat pattern is matched in linear time on the remote side too, and checked there again.
        #expect(throws: RemoteRefusal.self) { try RemoteRequest.decode(#"{"op":"logs","service":"w","chatRegex":"(a","deadline":5}"#) }
    }

    @Test func theRemoteSideRefusesMalformedRequests() {
        let bad = ["", "rm -rf /", "opsbot-remote-v1", "opsbot-remote-v1 $(id)", "opsbot-remote-v1 !!!!", #"{"op":"exec","deadline":5}"#,
                   #"{"op":"status","deadline":5}"#, #"{"op":"status","service":"a b","deadline":5}"#,
                   #"{"op":"status","service":"-x","deadline":5}"#, #"{"op":"logs","service":"w","regex":"(","deadline":5}"#,
                   #"{"op":"stop","service":"w","deadline":5}"#, #"{"op":"stop","service":"w","instance":"1;2","deadline":5}"#,
                   #"{"op":"status","service":"w","deadline":-1}"#, #"{"op":"logs","service":"w","lines":0,"deadline":5}"#,
                   #"{"op":"statuses","deadline":5}"#, #"{"op":"statuses","services":[],"deadline":5}"#,
                   #"{"op":"statuses","services":["web","a;b"],"deadline":5}"#,
                   String(repeating: "{", count: 70_000)]
        for b in bad { #expect(throws: RemoteRefusal.self, "\(b.prefix(60))") { try RemoteRequest.decode(b) } }
    }

    @Test func servingRefusesUnknownServicesAndNeverExits255() async throws {
        let yaml = "services:\n  web:\n    backend: command\n    status_command: [/bin/echo, running]\n    running_pattern: running\n"
        let (ok, c0, _) = try await ForcedCommand.serve(try RemoteRequest(op: .status, service: "web", deadline: 5).encoded(), servicesYAML: yaml)
        #expect(c0 == 0 && ok.status?.state == "running", "\(ok)")
        let (no, c1, _) = try await ForcedCommand.serve(try RemoteRequest(op: .restart, service: "db", deadline: 5).encoded(), servicesYAML: yaml)
        #expect(c1 == 1 && no.ok == false && no.error?.contains("not in this host's config") == true)
        let (none, c2, _) = try await ForcedCommand.serve(nil, servicesYAML: yaml)
        #expect(c2 == 1 && none.error?.contains("forced command") == true)
    }

    /// Through the real forced command, in its own process (`ForcedCommand`).
    @Test func oneStatusesRequestAnswersEachServiceOnItsOwn() async throws {
        let (r, code, seconds) = try await ForcedCommand.serve(try RemoteRequest(op: .statuses, services: ["web", "db", "hung"], deadline: 3).encoded(), servicesYAML: """
            services:
              web:
                backend: command
                status_command: [/bin/echo, running]
                running_pattern: running
              hung:
                backend: command
                status_command: [/bin/sleep, '30']
                command_timeout: 60s
            """)
        #expect(seconds < 25, "the hung status command (30 s) did not hold the answer")
        #expect(code == 0 && r.ok, "\(r)")
        let answers = r.statuses ?? []
        #expect(answers.map(\.service) == ["web", "db", "hung"])
        #expect(answers.first?.status?.state == "running")
        #expect(answers.count == 3 && answers[1].status == nil && answers[1].error?.contains("not in this host's config") == true, "\(answers)")
        // A hung status command makes its own service unknown, not the whole answer.
        // Either cut reads as unknown: the remote's own deadline, or the command's timeout capped to it.
        let hung = answers.count == 3 ? answers[2].status : nil
        #expect(hung?.state == "unknown" && (hung?.detail.contains("did not finish") == true || hung?.error?.contains("timeout") == true), "\(answers)")
    }

    /// An `ssh` stand-in for a host whose `opsbot remote` predates `statuses` and `chatRegex`:
    /// it refuses the one as invalid, ignores the other, and logs every request it gets.
    static func olderRemote(_ dir: String) throws -> String {
        let path = dir + "/older-ssh"
        try ServicesTest.write(path, """
        #!/bin/sh
        for last; do :; done
        b=$(printf '%s' "$last" | cut -d' ' -f2 | tr '_-' '/+')
        case $(( ${#b} % 4 )) in 2) b="$b==";; 3) b="$b=";; esac
        json=$(printf '%s' "$b" | base64 -d 2>/dev/null)
        printf '%s\n' "$json" >> \(dir)/requests
        case "$json" in
          *'"op":"statuses"'*) echo '{"ok":false,"error":"request is not valid JSON for opsbot remote"}'; exit 1;;
          *'"op":"status"'*) echo '{"ok":true,"status":{"state":"running","detail":"1 process","pids":[7],"instances":1}}';;
          *'"op":"logs"'*) echo '{"ok":true,"lines":[{"text":"INFO all good"},{"text":"ERROR sample one"},{"text":"INFO also fine"}]}';;
        esac

        """, executable: true)
        return path
    }

    @Test func anOlderRemoteIsAskedPerServiceAndItsIgnoredFilterAppliedHere() async throws {
        let dir = ServicesTest.dir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fake = try RemoteProtocolTests.olderRemote(dir)
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\nhosts:\n  old:\n    address: 127.0.0.1\n    user: opsbot\n    host_key: \"\(Self.key)\"\nservices:\n  a:\n    host: old\n  b:\n    host: old\n  c:\n    host: old\n")
        let settings = try ServicesSettings.load(app.config)
        let client = SSHClient(hosts: settings.hosts, stateDirectory: dir, program: fake)
        let backends = ["a", "b", "c"].enumerated().map { ($0.offset, RemoteBackend(config: settings.service($0.element)!, host: "old", client: client)) }
        func requests() -> [String] { ((try? String(contentsOfFile: dir + "/requests", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }

        let first = await RemoteStatuses.collect(backends)
        #expect(first.count == 3 && first.values.allSatisfy { $0.state == .running }, "\(first)")
        #expect(requests().count == 4 && requests().first?.contains("statuses") == true, "\(requests())")
        // Remembered: the next /status goes per service straight away.
        _ = await RemoteStatuses.collect(backends)
        #expect(requests().count == 7 && !requests().dropFirst().contains { $0.contains("statuses") }, "\(requests())")

        // It ignores the chat regex and sends every line: the filter is applied here instead.
        let logs = try await backends[0].1.logs(lines: 20, filter: LineFilter(chatRegex: try LinearRegex("ERROR sample")))
        #expect(logs.lines.map(\.text) == ["ERROR sample one"], "\(logs.lines)")
        #expect(logs.notes.contains { $0.contains("older") && $0.contains("/ERROR sample/") }, "\(logs.notes)")
    }

    @Test func generatedSSHConfigPinsTheKeyAndKeepsSocketPathsShort() throws {
        var h = HostConfig(name: "web1", address: "10.0.0.5", user: "opsbot", port: 2222, identityFile: "/etc/opsbot/id", hostKey: Self.key)
        h.proxyJump = nil
        let c = SSHClient(hosts: ["web1": h], stateDirectory: "/var/lib/opsbot")
        let cfg = c.renderConfig()
        for line in ["Host opsbot-web1", "HostName 10.0.0.5", "Port 2222", "User opsbot", "HostKeyAlias opsbot-web1", "StrictHostKeyChecking yes",
                     "BatchMode yes", "GlobalKnownHostsFile /dev/null", "UserKnownHostsFile /var/lib/opsbot/ssh/known_hosts", "IdentityAgent none",
                     "IdentitiesOnly yes", "IdentityFile /etc/opsbot/id", "ControlMaster auto", "ControlPath /var/lib/opsbot/ssh/ctl/web1",
                     "ControlPersist 60", "ConnectTimeout 5", "ServerAliveInterval 5", "UpdateHostKeys no"] {
            #expect(cfg.contains("  " + line + "\n") || cfg.contains(line + "\n"), "\(line)")
        }
        #expect(c.renderKnownHosts() == "opsbot-web1 \(Self.key)\n")
        let long = "/tmp/" + String(repeating: "d", count: 120)
        let dir = SSHClient.controlDirectory(for: long + "/ssh")
        #expect(dir.hasPrefix("/tmp/opsbot-ctl-\(geteuid())-") && dir.utf8.count + 1 + 32 < 100)
        #expect(SSHClient.controlDirectory(for: long + "/ssh") == dir)
    }

    @Test func pathsThatCouldAddSSHOptionsAreQuotedOrRefused() async {
        let h = HostConfig(name: "web1", address: "10.0.0.5", user: "opsbot", hostKey: Self.key)
        let spaced = SSHClient(hosts: ["web1": h], stateDirectory: "/tmp/my state")
        #expect(spaced.renderConfig().contains("UserKnownHostsFile \"/tmp/my state/ssh/known_hosts\"\n"))
        let bad = SSHClient(hosts: ["web1": h], stateDirectory: "/tmp/opsbot-%h-\(UUID().uuidString.prefix(6))")
        let r = await bad.call("web1", RemoteRequest(op: .status, service: "w"))
        guard case .failure(.remote(_, let msg)) = r else { Issue.record("\(r)"); return }
        #expect(msg.en.contains("cannot go into ssh_config"), "\(msg)")
        #expect(!FileManager.default.fileExists(atPath: bad.configFile))
    }

    @Test func validateSaysWhenTheSSHClientIsMissing() throws {
        #expect(!SSHClient.clientInstalled(path: "/nonexistent:/also-not"))
        let dir = NSTemporaryDirectory() + "opsbot-fakessh-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/ssh", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        #expect(SSHClient.clientInstalled(path: "/nonexistent:" + dir))
    }

    @Test func sshFailureReasonsNameTheCause() {
        let stderr = "@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@\r\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r\nOffending key in /x:2\r\nHost key verification failed.\r\n"
        #expect(SSHClient.reason(stderr, fallback: "") == "Host key verification failed.")
        #expect(SSHClient.reason("ssh: connect to host 10.0.0.5 port 22: Connection refused\r\n", fallback: "").contains("Connection refused"))
        #expect(SSHClient.reason("", fallback: "exit 255") == "exit 255")
    }
}
