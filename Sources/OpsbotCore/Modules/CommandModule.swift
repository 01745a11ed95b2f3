import Foundation
import Yams

/// A parsed, validated invocation of a catalog command.
public struct CommandRequest: Sendable {
    /// The catalog entry that matched.
    public var command: CatalogCommand
    /// Argument values by name, validated against the catalog (type, pattern, service names).
    public var arguments: [String: ArgumentValue]
    /// Who asked, and where.
    public var chatID: Int64
    public var userID: Int64
    public var username: String?

    public init(command: CatalogCommand, arguments: [String: ArgumentValue], chatID: Int64, userID: Int64, username: String? = nil) {
        self.command = command
        self.arguments = arguments
        self.chatID = chatID
        self.userID = userID
        self.username = username
    }

    public func string(_ name: String) -> String? { arguments[name]?.string }
    public func int(_ name: String) -> Int? { arguments[name]?.int }
    public func seconds(_ name: String) -> Double? { arguments[name]?.seconds }
    public func words(_ name: String) -> [String] { arguments[name]?.words ?? [] }
}

/// A validated argument value.
public enum ArgumentValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case duration(Double)
    case words([String])

    public var string: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .duration(let d): Durations.format(d)
        case .words(let w): w.joined(separator: " ")
        }
    }
    public var int: Int? { if case .int(let i) = self { i } else { nil } }
    public var seconds: Double? { if case .duration(let d) = self { d } else { nil } }
    public var words: [String]? { if case .words(let w) = self { w } else { nil } }

    /// The value as it goes into an argv slot or a SQL parameter.
    public var parameter: String {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .duration(let d): String(Int(d))
        case .words(let w): w.joined(separator: " ")
        }
    }
}

/// Lets a long action show where it is ("restarting worker…") by editing its message.
public protocol ProgressReporter: Sendable {
    func update(_ html: String) async
}

/// A destructive step waiting for a human: `preview` shows exactly what will run; `run` is
/// called at most once, after Confirm, and its reply replaces the preview.
public struct ConfirmationPlan: Sendable {
    public var preview: String
    /// What the Confirm button says (e.g. "Restart worker").
    public var confirmLabel: String
    /// Free-form identity of the action for the audit log (e.g. "restart worker").
    public var auditAction: String
    public var run: @Sendable (ProgressReporter) async -> Reply

    public init(preview: String, confirmLabel: String? = nil, auditAction: String,
                run: @escaping @Sendable (ProgressReporter) async -> Reply) {
        self.preview = preview
        self.confirmLabel = confirmLabel ?? CoreText.confirmDefault.text()
        self.auditAction = auditAction
        self.run = run
    }
}

/// One option of a multi-step flow (e.g. "which service?"): choosing it yields the next outcome.
public struct Choice: Sendable {
    public var label: String
    public var next: @Sendable () async -> CommandOutcome
    public init(_ label: String, next: @escaping @Sendable () async -> CommandOutcome) {
        self.label = label
        self.next = next
    }
}

/// What a module answers. Read-only modules reply; destructive ones ask for confirmation.
public enum CommandOutcome: Sendable {
    case reply(Reply)
    case confirm(ConfirmationPlan)
    case choose(prompt: String, choices: [Choice])
}

/// Everything a module may use while it runs.
public struct ModuleContext: Sendable {
    public var app: AppContext
    public var request: CommandRequest
    /// Edits the "working…" message for checks that take a while (shown after ~1 s).
    public var progress: ProgressReporter
    /// When the command is stopped (its catalog `timeout`); long scans stop themselves here.
    public var deadline: Date
    /// The asker's language (also `Language.current` while the module runs).
    public var language: Language

    public init(app: AppContext, request: CommandRequest, progress: ProgressReporter, deadline: Date? = nil,
                language: Language = Language.current) {
        self.app = app
        self.request = request
        self.progress = progress
        self.language = language
        self.deadline = deadline ?? Date().addingTimeInterval(request.command.timeout)
    }
}

/// A check or remediation that a catalog command routes to.
///
/// Modules are built once, when the catalog loads, from their `settings`, so that a bad
/// setting is reported by `opsbot validate` and not at 3 a.m. when the command first runs.
public protocol CommandModule: Sendable {
    func handle(_ context: ModuleContext) async -> CommandOutcome
    /// Why this command cannot work on this machine with this config (its backend or feature
    /// is not configured: no Docker service, no DATABASE_URL, no alertmanager.url…), nil when
    /// it can. Such a command is left out of /help and the Telegram menu, and typed it says so.
    var notConfigured: String? { get }
    /// Files, programs or directories the command names that do not exist here, each as a
    /// phrase ("/var/log/app.log does not exist"): `opsbot validate` reports them.
    func missingPaths(_ config: Config) -> [String]
    /// What `opsbot validate` finds by asking the live backend, without running anything
    /// (a `sql` statement naming a table the database does not have), as phrases.
    func liveProblems() async -> [String]
}

extension CommandModule {
    public var notConfigured: String? { nil }
    public func missingPaths(_ config: Config) -> [String] { [] }
    public func liveProblems() async -> [String] { [] }
}

/// The `settings:` node of a catalog file, decoded by the module that owns it.
// @unchecked: an immutable Yams `Node` (Yams does not mark it Sendable).
public struct ModuleSettings: @unchecked Sendable {
    public var node: Node?
    /// `Commands/restart.yaml`, for error messages.
    public var source: String

    public init(node: Node?, source: String) {
        self.node = node
        self.source = source
    }

    /// A duration setting in seconds, nil when absent; zero is refused naming the file and key.
    public func positive(_ d: ConfigDuration?, key: String) throws -> Double? {
        guard let d else { return nil }
        guard d.seconds > 0 else { throw ConfigError(file: source, key: "settings.\(key)", message: "must be more than 0 s") }
        return d.seconds
    }

    /// Decodes the settings; an error names the file and the key at fault.
    public func decode<T: Decodable>(_ type: T.Type, default defaultValue: T? = nil) throws -> T {
        guard let node else {
            if let defaultValue { return defaultValue }
            throw ConfigError(file: source, key: "settings", message: "is required by this module")
        }
        // Strict like the config: a misspelt setting is an error naming it, not a silent default.
        let session = ConfigDecodingSession(file: source, prefix: "settings")
        // Every problem of the settings at once (a wrong type and a typo both show).
        var problems: [ConfigError] = []
        var v: T?
        do { v = try session.decode(T.self, from: node) } catch let e as ConfigError { problems.append(e) }
        for p in session.itemErrors + session.unknownKeys where !problems.contains(p) { problems.append(p) }
        if problems.count == 1 { throw problems[0] }
        if problems.count > 1 { throw ConfigErrors(problems) }
        guard let v else { throw ConfigError(file: source, key: "settings", message: "cannot be read") }
        return v
    }
}

/// Builds a module from its catalog entry. `app` is there for modules that need shared
/// resources (database, services); they should look them up lazily, at `handle` time.
public typealias ModuleFactory = @Sendable (_ settings: ModuleSettings, _ command: CatalogCommand) throws -> CommandModule
