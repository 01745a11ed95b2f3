import ArgumentParser
import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run all checks (or the named ones) once and print a table — for cron and deploy gates.",
        discussion: """
        Exit 0 when everything is ok, 1 when a check found a problem (e.g. schema drift), 2 when a check could not run (database unreachable) or the config is wrong.

        Example deploy gate:  opsbot check schema || exit 1
        """)

    @OptionGroup var options: CommonOptions

    @Argument(help: "Check names (default: all). `opsbot check --list` shows them.")
    var names: [String] = []

    @Flag(name: .long, help: "List the available checks and exit.")
    var list = false

    func run() async throws {
        // Only what checks need: a valid config. No admin ids, token, catalog or state
        // directory — so the deploy gate runs on a CI machine.
        let runtime = options.loadRuntime(strict: false)
        let fatal = runtime.problems.filter { p in !runtime.catalogProblems.contains(p) && !Runtime.chatSetupKeys.contains(p.key) }
        if !fatal.isEmpty {
            printProblems(fatal)
            throw ExitCode(2)
        }
        let store: OpsbotCoreStore
        let stateDir = runtime.config.resolvePath(runtime.config.stateDir)
        var scratch: String?
        if FileManager.default.fileExists(atPath: stateDir) {
            do { store = try runtime.openStore() } catch { fail("\(error)") }
        } else {
            let dir = NSTemporaryDirectory() + "opsbot-check-\(UUID().uuidString)"
            scratch = dir
            do { store = try OpsbotCoreStore(directory: dir) } catch { fail("\(error)") }
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let app = runtime.makeApp(transport: NullTransport(), store: store)
        let providers = app.checks.all
        if list {
            print(providers.map(\.name).joined(separator: "\n"))
            return
        }
        var chosen: [CheckProvider] = []
        for n in names {
            guard let p = app.checks.named(n) else {
                fail("unknown check \"\(n)\" (known: \(providers.map(\.name).joined(separator: ", ")))")
            }
            chosen.append(p)
        }
        if chosen.isEmpty { chosen = providers }
        if chosen.isEmpty {
            print("no checks configured")
            return
        }
        let results = await withTaskGroup(of: (Int, [CheckResult]).self) { group in
            for (i, p) in chosen.enumerated() { group.addTask { (i, await p.run(app)) } }
            var all: [(Int, [CheckResult])] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        print(CheckTable.render(results))
        throw ExitCode(CheckTable.exitCode(results))
    }
}
