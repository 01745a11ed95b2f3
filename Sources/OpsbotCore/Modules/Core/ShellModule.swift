import Foundation
import SystemOps

/// The generic `shell` module: an operator's runbook step as an argv with `{placeholders}`
/// filled from validated arguments. It never goes through a shell: each element is one
/// argument of `execve`, so `; rm -rf /` in the chat stays a harmless string.
package struct ShellModule: CommandModule {
    struct Settings: Decodable {
        var argv: [String]
        var timeout: ConfigDuration?
        var maxOutput: Int?
        var workingDirectory: String?
        /// Variables the step runs with, besides PATH, LANG, HOME, TZ: a value, or
        /// `{file: PATH}` to read a secret from a file at run time (masked in the output).
        var env: [String: ChildEnvValue]?
        enum CodingKeys: String, CodingKey {
            case argv, timeout, maxOutput = "max_output", workingDirectory = "working_directory", env
        }
    }

    let settings: Settings
    let timeout: Double
    let confirm: Bool
    let commandName: String

    init(settings raw: ModuleSettings, command: CatalogCommand) throws {
        settings = try raw.decode(Settings.self)
        guard !settings.argv.isEmpty, !settings.argv[0].isEmpty else {
            throw ConfigError(file: raw.source, key: "settings.argv", message: "needs at least the program to run")
        }
        timeout = try raw.positive(settings.timeout, key: "timeout") ?? 30
        let names = Set(command.arguments.map(\.name))
        for (i, element) in settings.argv.enumerated() {
            for p in ShellModule.placeholders(in: element) where !names.contains(p) {
                throw ConfigError(file: raw.source, key: "settings.argv[\(i)]", message: "placeholder {\(p)} names no argument (arguments: \(names.sorted().joined(separator: ", ")))")
            }
        }
        confirm = command.confirm
        commandName = command.name
    }

    static func placeholders(in s: String) -> [String] { Placeholders.names(in: s) }

    /// The program when it is not installed, and argv elements that are plainly paths
    /// (`/…`, `./…`, `../…`, `.hidden/…`, no placeholder) that do not exist — relative ones
    /// against `working_directory`, else opsbot's working directory.
    package func missingPaths(_ config: Config) -> [String] {
        var out: [String] = []
        let program = settings.argv[0]
        if !program.contains("{"), ProcessRunner.findExecutable(program) == nil {
            out.append("\(program) is not installed (not on PATH)")
        }
        let base = settings.workingDirectory.map { config.resolvePath($0) } ?? FileManager.default.currentDirectoryPath
        for element in settings.argv.dropFirst() where !element.contains("{") && ShellModule.looksLikePath(element) {
            let path = element.hasPrefix("/") ? element : URL(fileURLWithPath: base).appendingPathComponent(element).standardized.path
            if !FileManager.default.fileExists(atPath: path) { out.append("\(path) does not exist") }
        }
        return out
    }

    static func looksLikePath(_ s: String) -> Bool {
        guard s.contains("/"), !s.contains(where: { " *?^$=:;|()[]\\".contains($0) }) else { return false }
        return s.hasPrefix("/") || s.hasPrefix("./") || s.hasPrefix("../") || (s.hasPrefix(".") && s.dropFirst().first?.isLetter == true)
    }

    /// The argv with placeholders filled. A `{words}` element on its own expands to several.
    func argv(for request: CommandRequest) -> [String] {
        var out: [String] = []
        for element in settings.argv {
            let ph = ShellModule.placeholders(in: element)
            if ph.count == 1, element == "{\(ph[0])}", let words = request.arguments[ph[0]]?.words {
                out.append(contentsOf: words)
                continue
            }
            var filled = element
            for p in ph { filled = filled.replacingOccurrences(of: "{\(p)}", with: request.arguments[p]?.parameter ?? "") }
            out.append(filled)
        }
        return out
    }

    package func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let argv = argv(for: ctx.request)
        let shown = argv.map(ShellModule.quote).joined(separator: " ")
        let run: @Sendable (ProgressReporter) async -> Reply = { [settings, timeout] _ in
            do {
                let extra = try ChildEnvValue.resolve(settings.env ?? [:], config: ctx.app.config)
                let r = try await ProcessRunner.run(argv, timeout: timeout, maxOutput: settings.maxOutput ?? 256 * 1024,
                                                    environment: ProcessRunner.childEnvironment(extra),
                                                    workingDirectory: settings.workingDirectory.map { ctx.app.config.resolvePath($0) })
                var text = r.stdout
                if !r.stderr.isEmpty { text += (text.isEmpty ? "" : "\n") + r.stderr }
                if text.isEmpty { text = CoreText.shellNoOutput.text() }
                if r.truncated { text += "\n" + CoreText.shellOutputCut.text() }
                let mark = r.succeeded ? "✅" : "🔴"
                return Reply(html: "\(mark) <code>\(HTML.escape(shown))</code> — \(HTML.escape(r.summary(Language.current)))\n<pre>\(HTML.escape(Redactor.shared.redact(text)))</pre>")
            } catch {
                return Reply(html: CoreText.shellCouldNotRun(command: shown, error: Redactor.shared.redact("\(error)")).text())
            }
        }
        if confirm {
            return .confirm(ConfirmationPlan(preview: CoreText.shellWillRun(command: shown).text(), confirmLabel: CoreText.shellRunButton.text(),
                                             auditAction: "/\(commandName): \(shown)", run: run))
        }
        return .reply(await run(NoProgress()))
    }

    /// Shows an argv the way a shell user would read it (display only; nothing is executed through it).
    package static func quote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// For modules run outside a conversation (no message to edit).
public struct NoProgress: ProgressReporter {
    public init() {}
    public func update(_ html: String) async {}
}
