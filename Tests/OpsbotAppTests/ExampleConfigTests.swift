import Foundation
import Testing
import OpsbotSupport
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotServices
@testable import OpsbotDatabase

/// `opsbot.example.yaml` is the one reference for the config: it loads cleanly through the
/// real decoder, and every key any section's type asks for appears in it — so a key added to
/// a `CodingKeys` enum without documenting it fails here. The typo table is generated from
/// the same decoding: every key of the example, misspelt, is reported with file, line and
/// the right suggestion.
struct ExampleConfigTests {
    static var examplePath: String { TestApp.repositoryRoot + "/opsbot.example.yaml" }
    static func exampleText() throws -> String { try String(contentsOfFile: examplePath, encoding: .utf8) }

    @Test func exampleLoadsCleanlyAndDocumentsEveryKey() throws {
        let (config, session) = try OpsbotConfig.decode(try ExampleConfigTests.exampleText(), source: "opsbot.example.yaml",
                                                        baseDirectory: TestApp.repositoryRoot)
        #expect(config.problems.isEmpty, "\(config.problems.map(\.description).joined(separator: "\n"))")
        let missing = session.askedButAbsent
        #expect(missing.isEmpty, "keys the decoder knows that opsbot.example.yaml does not document:\n\(missing.joined(separator: "\n"))")
        // Every top-level section a feature declares is in the example.
        let top = Set(config.root?.mapping?.keys.compactMap(\.string) ?? [])
        for s in Features.configSections { #expect(top.contains(s.key), "section \(s.key) is not in the example") }
        #expect(session.knownPresentKeys.count > 100)
    }

    /// Each key of the example, misspelt on its own line, in its own run.
    /// Hundreds of config loads: seconds of CPU, run on a thread of their own (`runBlocking`) so
    /// the parallel run's cooperative pool stays free for the tests that wait on it.
    @Test func everyKeyMisspeltIsReportedWithLineAndSuggestion() async throws {
        let failures = try await runBlocking(name: "test.cpu") { try Self.unreportedTyposOneByOne() }
        #expect(failures.isEmpty, "\(failures.count) typos not reported:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    static func unreportedTyposOneByOne() throws -> [String] {
        let text = try ExampleConfigTests.exampleText()
        let (_, session) = try OpsbotConfig.decode(text, source: "opsbot.example.yaml", baseDirectory: TestApp.repositoryRoot)
        var lines = text.components(separatedBy: "\n")
        var failures: [String] = []
        for k in session.knownPresentKeys {
            let original = lines[k.line - 1]
            var scalars = Array(original.unicodeScalars)
            let at = k.column - 1
            guard at + k.key.unicodeScalars.count <= scalars.count else { failures.append("\(k.path).\(k.key): bad mark"); continue }
            let typo = k.key + "x"
            scalars.replaceSubrange(at..<(at + k.key.unicodeScalars.count), with: Array(typo.unicodeScalars))
            lines[k.line - 1] = String(String.UnicodeScalarView(scalars))
            let config = try OpsbotConfig.read(lines.joined(separator: "\n"), source: "ex.yaml", baseDirectory: TestApp.repositoryRoot)
            lines[k.line - 1] = original
            let path = k.path.isEmpty ? typo : k.path + "." + typo
            let want = "ex.yaml:\(k.line): \(path): unknown key \"\(typo)\" (did you mean \"\(k.key)\"?)"
            if !config.problems.map(\.description).contains(want) {
                failures.append("\(want)\n   got: \(config.problems.map(\.description).joined(separator: " | "))")
            }
        }
        return failures
    }

    /// Every optional key of the example misspelt at once (one per mapping): all reported in
    /// one run. (A required key's typo stops its own mapping, so those are covered one by one
    /// above.)
    @Test func allOptionalKeysMisspeltTogetherAreReportedInOneRun() async throws {
        let (chosen, missing) = try await runBlocking(name: "test.cpu") { try Self.unreportedOptionalTyposTogether() }
        #expect(chosen > 20)
        #expect(missing.isEmpty, "\(missing.count) of \(chosen) not reported:\n\(missing.prefix(10).joined(separator: "\n"))")
    }

    /// How many optional keys were misspelt together, and the reports missing for them.
    static func unreportedOptionalTyposTogether() throws -> (Int, [String]) {
        let text = try ExampleConfigTests.exampleText()
        let (_, session) = try OpsbotConfig.decode(text, source: "opsbot.example.yaml", baseDirectory: TestApp.repositoryRoot)
        var lines = text.components(separatedBy: "\n")
        var chosen: [(line: Int, column: Int, key: String, path: String)] = []
        var usedMappings = Set<String>()
        for k in session.knownPresentKeys where !usedMappings.contains(k.path) {
            // Optional: misspelt alone, its mapping still decodes to the end.
            var alone = lines
            var scalars = Array(alone[k.line - 1].unicodeScalars)
            scalars.replaceSubrange((k.column - 1)..<(k.column - 1 + k.key.unicodeScalars.count), with: Array((k.key + "x").unicodeScalars))
            alone[k.line - 1] = String(String.UnicodeScalarView(scalars))
            let (_, s) = try OpsbotConfig.decode(alone.joined(separator: "\n"), source: "ex.yaml", baseDirectory: TestApp.repositoryRoot)
            guard s.isCompleted(k.path) else { continue }
            usedMappings.insert(k.path)
            chosen.append((k.line, k.column, k.key, k.path))
        }
        // Apply right to left so columns on a shared line stay valid.
        for c in chosen.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
            var scalars = Array(lines[c.line - 1].unicodeScalars)
            scalars.replaceSubrange((c.column - 1)..<(c.column - 1 + c.key.unicodeScalars.count), with: Array((c.key + "x").unicodeScalars))
            lines[c.line - 1] = String(String.UnicodeScalarView(scalars))
        }
        let config = try OpsbotConfig.read(lines.joined(separator: "\n"), source: "ex.yaml", baseDirectory: TestApp.repositoryRoot)
        let got = Set(config.problems.map(\.description))
        let missing = chosen.map { c in
            "ex.yaml:\(c.line): \(c.path.isEmpty ? "" : c.path + ".")\(c.key)x: unknown key \"\(c.key)x\" (did you mean \"\(c.key)\"?)"
        }.filter { !got.contains($0) }
        return (chosen.count, missing)
    }

    /// YAML merge keys share settings between services without tripping the unknown-key check.
    @Test func mergeKeysAreReadLikeWrittenOutKeys() throws {
        let yaml = """
        services:
          web: &common {backend: command, status_command: ["true"], restart_wait: 20s}
          worker:
            <<: *common
            restart_wait: 30s
            log_fle: /x
        """
        let config = try OpsbotConfig.read(yaml, source: "m.yaml", baseDirectory: "/")
        #expect(config.problems.map(\.description) == ["m.yaml:6: services.worker.log_fle: unknown key \"log_fle\" (did you mean \"log_file\"?)"])
        let ok = try OpsbotConfig.read(yaml.replacingOccurrences(of: "    log_fle: /x\n", with: "").replacingOccurrences(of: "\n    log_fle: /x", with: ""),
                                       source: "m.yaml", baseDirectory: "/")
        #expect(ok.problems.isEmpty, "\(ok.problems)")
        let worker = try #require(try ServicesSettings.load(ok).service("worker"))
        #expect(worker.restartWait == 30)
        #expect(worker.statusCommand == ["true"])
    }

    /// The issue's typos, all in one file: every one reported, in one run.
    @Test func typosAcrossSectionsAreAllReportedAtOnce() throws {
        let yaml = """
        admins:
          chats: [1]
          users: [{id: 2, role: [viewer]}]
        confirmations: {approvr: second_admin}
        telegram:
          poll_timout: 20
        database:
          schema:
            tabels:
              users: [id]
          payments:
            colums: {id: id}
        alerts:
          repaet: 1h
          rules:
            - {name: x, chek: y}
        services:
          web: {backend: command, status_command: [x], log_fle: /x}
          api: {backend: command}
          db: {backend: systemd}
        telegarm: {}
        """
        let config = try OpsbotConfig.read(yaml, source: "c.yaml", baseDirectory: "/")
        let got = config.problems.map(\.description)
        for want in ["c.yaml:3: admins.users[0].role: unknown key \"role\" (did you mean \"roles\"?)",
                     "c.yaml:4: confirmations.approvr: unknown key \"approvr\" (did you mean \"approver\"?)",
                     "c.yaml:6: telegram.poll_timout: unknown key \"poll_timout\" (did you mean \"poll_timeout\"?)",
                     "c.yaml:9: database.schema.tabels: unknown key \"tabels\" (did you mean \"tables\"?)",
                     "c.yaml:12: database.payments.colums: unknown key \"colums\" (did you mean \"columns\"?)",
                     "c.yaml:14: alerts.repaet: unknown key \"repaet\" (did you mean \"repeat\"?)",
                     "c.yaml:16: alerts.rules[0].chek: unknown key \"chek\" (did you mean \"check\"?)",
                     "c.yaml:18: services.web.log_fle: unknown key \"log_fle\" (did you mean \"log_file\"?)",
                     "c.yaml:21: telegarm: unknown key \"telegarm\" (did you mean \"telegram\"?)",
                     // one broken service does not hide the next
                     "c.yaml:19: services.api.status_command: is required (the command backend needs status_command)",
                     "c.yaml:20: services.db.unit: is required (the systemd backend needs unit)"] {
            #expect(got.contains(want), "missing: \(want)\ngot:\n\(got.joined(separator: "\n"))")
        }
        // A typo never weakens security silently: the user with `role:` is refused by validate,
        // and the two-person rule is not silently off.
        #expect(got.count == 11, "\(got)")
    }
}

/// Issue 18 item 6: the example, copied as a newcomer copies it (to a directory of its own,
/// with the token in OPSBOT_TOKEN), validates: its only problems are on lines it marks
/// "(placeholder)" (a secret file, the app's own directory). Generic: a section added later
/// validates too, or marks its placeholders.
struct ExampleConfigAsCopiedTests {
    static let token = "123456789:AAExampleTokenForTheCopiedConfig0000"

    /// The example in a fresh directory (as /etc/opsbot/opsbot.yaml would be), and the keys on
    /// its "(placeholder)" lines.
    static func copied() throws -> (path: String, placeholders: Set<String>) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-example-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = try ExampleConfigTests.exampleText()
        try text.write(toFile: dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
        let (_, session) = try OpsbotConfig.decode(text, source: "x", baseDirectory: dir)
        let lines = text.components(separatedBy: "\n")
        let marked = session.knownPresentKeys.filter { lines[$0.line - 1].contains("(placeholder)") }
        return (dir + "/opsbot.yaml", Set(marked.map { $0.path.isEmpty ? $0.key : $0.path + "." + $0.key }))
    }

    @Test func exampleValidatesAsCopiedExceptItsMarkedPlaceholders() throws {
        let (path, placeholders) = try Self.copied()
        #expect(placeholders.contains("alertmanager.bearer_token_file"), "\(placeholders)")
        let runtime = Runtime.load(configPath: path, environment: ["OPSBOT_TOKEN": Self.token, "PATH": "/usr/bin:/bin"])
        let unexpected = runtime.problems.filter { !placeholders.contains($0.key) }
        #expect(unexpected.isEmpty, "problems not marked as placeholders:\n\(unexpected.map(\.description).joined(separator: "\n"))")
        // The catalog was found (the shipped one: the copy has no Commands/ beside it), so no
        // remediation cascade ("… is not a command of the catalog (known: )").
        #expect(runtime.catalog.entry("status") != nil, "\(runtime.commandsDirectory)")
        #expect(runtime.commandsDirectory.hasPrefix("/"))
        // Its alerts.checks lists every check provider of this build: copied, it turns none off
        // (a provider added later without its line here fails this).
        let warning = runtime.warnings.first { $0.key == "alerts.checks" }
        #expect(warning == nil, "\(warning.map(\.message) ?? "")")
    }

    /// Without the token, the token_file problem is listed with every other one, in one run.
    @Test func tokenFileProblemDoesNotHideTheOthers() throws {
        let (path, _) = try Self.copied()
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "  poll_timeout: 30 ", with: "  poll_timout: 30 ")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let runtime = Runtime.load(configPath: path, environment: ["PATH": "/usr/bin:/bin"])
        let keys = runtime.problems.map(\.key)
        #expect(keys.contains("telegram.token_file"), "\(keys)")
        #expect(keys.contains("telegram.poll_timout"), "\(keys)")
        #expect(keys.contains("alertmanager.bearer_token_file"), "\(keys)")
        #expect(keys.contains("database.schema.migrations.versions_dir"), "\(keys)")
    }
}
