import Foundation
import Testing
@testable import OpsbotCore
import TestHarness
@testable import OpsbotServices

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

    @Test func theRemoteSideRefusesMalformedRequests() {
        let bad = ["", "rm -rf /", "opsbot-remote-v1", "opsbot-remote-v1 $(id)", "opsbot-remote-v1 !!!!", #"{"op":"exec","deadline":5}"#,
                   #"{"op":"status","deadline":5}"#, #"{"op":"status","service":"a b","deadline":5}"#,
                   #"{"op":"status","service":"-x","deadline":5}"#, #"{"op":"logs","service":"w","regex":"(","deadline":5}"#,
                   #"{"op":"stop","service":"w","deadline":5}"#, #"{"op":"stop","service":"w","instance":"1;2","deadline":5}"#,
                   #"{"op":"status","service":"w","deadline":-1}"#, #"{"op":"logs","service":"w","lines":0,"deadline":5}"#,
                   String(repeating: "{", count: 70_000)]
        for b in bad { #expect(throws: RemoteRefusal.self, "\(b.prefix(60))") { try RemoteRequest.decode(b) } }
    }

    @Test func servingRefusesUnknownServicesAndNeverExits255() async throws {
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\nservices:\n  web:\n    backend: command\n    status_command: [/bin/echo, running]\n    running_pattern: running\n")
        let settings = try ServicesSettings.load(app.config)
        let (ok, c0) = await RemoteServer.serve(command: try RemoteRequest(op: .status, service: "web", deadline: 5).encoded(), settings: settings)
        #expect(c0 == 0 && ok.status?.state == "running", "\(ok)")
        let (no, c1) = await RemoteServer.serve(command: try RemoteRequest(op: .restart, service: "db", deadline: 5).encoded(), settings: settings)
        #expect(c1 == 1 && no.ok == false && no.error?.contains("not in this host's config") == true)
        let (none, c2) = await RemoteServer.serve(command: nil, settings: settings)
        #expect(c2 == 1 && none.error?.contains("forced command") == true)
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
        #expect(msg.contains("cannot go into ssh_config"), "\(msg)")
        #expect(!FileManager.default.fileExists(atPath: bad.configFile))
    }

    @Test func validateSaysWhenTheSSHClientIsMissing() throws {
        #expect(!SSHClient.clientInstalled(path: "/nonexistent:/also-not"))
        let dir = NSTemporaryDirectory() + "opsbot-fakessh-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/ssh", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        #expect(SSHClient.clientInstalled(path: "/nonexistent:" + dir))
    }

    @Test func sshFailureReasonsNameTheCause() {
        let stderr = "@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@\r\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r\nOffending key in /x:2\r\nHost key verification failed.\r\n"
        #expect(SSHClient.reason(stderr, fallback: "") == "Host key verification failed.")
        #expect(SSHClient.reason("ssh: connect to host 10.0.0.5 port 22: Connection refused\r\n", fallback: "").contains("Connection refused"))
        #expect(SSHClient.reason("", fallback: "exit 255") == "exit 255")
    }
}
