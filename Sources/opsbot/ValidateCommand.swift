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
        discussion: """
        Every problem at once (config, environment, token file, each command file with all its problems), \
        then warnings (what works but may not be what you meant), then the commands left out because their \
        backend is not configured here. Exit 0 when the setup is usable (warnings or not), 1 when there are problems.
        """)

    @OptionGroup var options: CommonOptions

    func run() async throws {
        var runtime = options.loadRuntime(strict: false)
        // With DATABASE_URL set: the sql commands' tables and columns, asked of the database.
        runtime.warnings += await runtime.liveWarnings()
        // What /proc shows now, not the file: a warning, never a reason to refuse the config.
        for w in await ServicesFeature(config: runtime.config).matchWarnings() {
            runtime.warnings.append(ConfigError(file: runtime.config.source, key: "", message: w))
        }
        let text = ValidateReport.render(runtime)
        if runtime.problems.isEmpty {
            print(Redactor.shared.redact(text), terminator: "")
            return
        }
        FileHandle.standardError.write(Data(Redactor.shared.redact(text).utf8))
        throw ExitCode(1)
    }
}

/// What `opsbot validate` prints: the problems, or "ok"; then warnings and the commands not
/// configured here.
enum ValidateReport {
    static func render(_ runtime: Runtime) -> String {
        var text = ""
        let problems = runtime.problems
        if problems.isEmpty {
            text += "ok: \(runtime.config.source), \(runtime.catalog.entries.count) commands in \(runtime.commandsDirectory)\n"
        } else {
            text += "opsbot: the configuration has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            for p in problems { text += "  - \(p.description)\n" }
        }
        if !runtime.warnings.isEmpty {
            text += "\(runtime.warnings.count) warning\(runtime.warnings.count == 1 ? "" : "s"):\n"
            for w in runtime.warnings { text += "  - \(w.description)\n" }
        }
        let off = runtime.catalog.notConfigured
        if !off.isEmpty {
            text += "not configured here (left out of /help and the Telegram menu; typed, they say why):\n"
            for o in off { text += "  - /\(o.name): \(o.why)\n" }
        }
        return text
    }
}
