import ArgumentParser
import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the config and the command catalog; list every problem with its file and key.",
        discussion: "Exit 0 when both are usable, 1 when there are problems.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let runtime = options.loadRuntime(strict: false)
        // What /proc shows now, not the file: a warning, never a reason to refuse the config.
        for w in await ServicesFeature(config: runtime.config).matchWarnings() {
            FileHandle.standardError.write(Data("opsbot: warning: \(Redactor.shared.redact(w))\n".utf8))
        }
        if runtime.problems.isEmpty {
            print("ok: \(runtime.config.source), \(runtime.catalog.entries.count) commands in \(runtime.commandsDirectory)")
            return
        }
        printProblems(runtime.problems)
        throw ExitCode(1)
    }
}
