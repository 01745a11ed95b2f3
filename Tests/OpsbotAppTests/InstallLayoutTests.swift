import Foundation
import Testing
import OpsbotCore
@testable import OpsbotApp
import SystemOps
import TestHarness

/// Issue 18 item 1: an installed opsbot finds its catalog from where its binary is
/// (`<prefix>/share/opsbot/Commands`) when the config does not name one, and the version is
/// kept in one place that `opsbot --version` and `make version` both read.
struct InstallLayoutTests {
    /// A prefix like /usr: bin/opsbot, share/opsbot/Commands; and a config directory like /etc/opsbot.
    func layout() throws -> (root: String, exe: String, share: String, etc: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-layout-\(UUID().uuidString.prefix(8))").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/usr/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/usr/share/opsbot/Commands", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/etc/opsbot", withIntermediateDirectories: true)
        _ = fm.createFile(atPath: root + "/usr/bin/opsbot", contents: Data())
        return (root, root + "/usr/bin/opsbot", root + "/usr/share/opsbot/Commands", root + "/etc/opsbot")
    }

    func config(_ dir: String, _ yaml: String) throws -> Config {
        try yaml.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        return try OpsbotConfig.load(path: dir + "/opsbot.yaml", environment: [:])
    }

    @Test func configWithoutCommandsDirFindsTheSharedCatalog() throws {
        let l = try layout()
        defer { try? FileManager.default.removeItem(atPath: l.root) }
        let c = try config(l.etc, "admins: {chats: [-1], users: [1]}\n")
        #expect(!c.commandsDirSet)
        #expect(Runtime.locateCommands(c, explicit: c.commandsDirSet, executable: l.exe) == l.share)
        // A Commands/ put next to the config wins (the operator's edited copy).
        try FileManager.default.createDirectory(atPath: l.etc + "/Commands", withIntermediateDirectories: true)
        #expect(Runtime.locateCommands(c, explicit: c.commandsDirSet, executable: l.exe) == l.etc + "/Commands")
    }

    @Test func commandsDirInTheConfigIsTakenAsGiven() throws {
        let l = try layout()
        defer { try? FileManager.default.removeItem(atPath: l.root) }
        let c = try config(l.etc, "admins: {chats: [-1], users: [1]}\ncommands_dir: mine\n")
        #expect(c.commandsDirSet)
        // Missing, it is reported as such, never swapped for the shared catalog.
        #expect(Runtime.locateCommands(c, explicit: c.commandsDirSet, executable: l.exe) == l.etc + "/mine")
    }

    @Test func versionComesFromOnePlace() async throws {
        let r = try await ProcessRunner.run([Repository.opsbotBinary, "--version"], timeout: 30)
        #expect(r.exitCode == 0 && r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == OpsbotVersion.string, "\(r.stdout)")
        let make = try await ProcessRunner.run(["/usr/bin/make", "-s", "-C", Repository.root, "version"], timeout: 30,
                                               environment: ["PATH": "/usr/bin:/bin"])
        #expect(make.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == OpsbotVersion.string, "\(make.stdout) \(make.stderr)")
    }

    @Test func polkitRuleCommandListsTheSystemdUnits() async throws {
        let l = try layout()
        defer { try? FileManager.default.removeItem(atPath: l.root) }
        try "admins: {chats: [-1], users: [1]}\ncommands_dir: \(Repository.root)/Commands\nservices:\n  worker: {backend: systemd, unit: worker.service}\n"
            .write(toFile: l.etc + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let r = try await ProcessRunner.run([Repository.opsbotBinary, "polkit-rule", "--config", l.etc + "/opsbot.yaml", "--user", "bot"], timeout: 30)
        #expect(r.exitCode == 0 && r.stdout.contains(#"var units = ["worker.service"];"#) && r.stdout.contains(#"subject.user != "bot""#), "\(r.stdout) \(r.stderr)")
        try "admins: {chats: [-1], users: [1]}\ncommands_dir: \(Repository.root)/Commands\n".write(toFile: l.etc + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let none = try await ProcessRunner.run([Repository.opsbotBinary, "polkit-rule", "--config", l.etc + "/opsbot.yaml"], timeout: 30)
        #expect(none.exitCode == 1 && none.stderr.contains("no service with backend: systemd"), "\(none.stderr)")
    }
}
