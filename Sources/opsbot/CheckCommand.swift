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
        Exit codes:
          0  every check is ok
          1  a check found a problem (warning or critical): schema drift, a service down, the `database` check when the database is unreachable or does not exist
          2  a check could not tell (unknown): `schema` or `payments` while the database cannot be reached or DATABASE_URL is not set, a check that timed out; or the config is invalid
        When both 1 and 2 apply, 2. Output is masked like the chat (tokens, passwords, mask_env values).

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
        // Masked like the chat: evidence lines are the app's own log lines.
        print(Redactor.shared.redact(CheckTable.render(results)))
        throw ExitCode(CheckTable.exitCode(results))
    }
}
