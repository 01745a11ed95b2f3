import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// What one backend says about one service at one moment.
public struct ServiceStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case running, starting, stopped, failed, unknown }
    public var state: State
    /// Backend words: `active (running)`, `Up 3 hours (healthy)`, `2 processes`, in every
    /// language (`detail` is the English, for logs; the chat shows `detailText.text()`).
    public var detailText: LocalizedText
    public var detail: String {
        get { detailText.en }
        set { detailText = LocalizedText(verbatim: newValue) }
    }
    public var pids: [Int32] = []
    public var memoryBytes: Int?
    public var startedAt: Date?
    /// Cumulative restart counter when the backend keeps one (NRestarts, RestartCount).
    public var restartCounter: Int?
    /// Running copies (processes, containers): more than one bot instance is a 409 risk.
    public var instances: Int
    /// Docker health (`healthy`, `unhealthy`, `starting`).
    public var health: String?
    /// Why the state could not be read (command failed, socket missing).
    public var errorText: LocalizedText?
    public var error: String? {
        get { errorText?.en }
        set { errorText = newValue.map(LocalizedText.init(verbatim:)) }
    }
    /// Set when the backend cannot count its copies: `instances` is then meaningless and is
    /// shown as "instances: unknown (why)", never as 0 or OK.
    public var instancesUnknownText: LocalizedText?
    public var instancesUnknown: String? {
        get { instancesUnknownText?.en }
        set { instancesUnknownText = newValue.map(LocalizedText.init(verbatim:)) }
    }
    /// Copies the platform is told to run (Heroku formation quantity, Railway numReplicas).
    public var configured: Int?
    /// The current release or deployment (`v42`, a deployment id) and when it went out: a deploy marker.
    public var releaseText: LocalizedText?
    public var release: String? {
        get { releaseText?.en }
        set { releaseText = newValue.map(LocalizedText.init(verbatim:)) }
    }
    public var releasedAt: Date?
    /// `match` also catches processes that are not the service's (another user's, another
    /// unit's), or cannot tell: one sentence for the instances check and `validate`.
    public var matchWarningText: LocalizedText?
    public var matchWarning: String? {
        get { matchWarningText?.en }
        set { matchWarningText = newValue.map(LocalizedText.init(verbatim:)) }
    }
    /// Set while a restart opsbot asked for shows no effect on the platform yet (`state` is still
    /// what the platform reports); nil once it shows, and once the verification is over.
    public var restartUnconfirmed: UnconfirmedRestart?

    public init(state: State, detail: String, pids: [Int32] = [], memoryBytes: Int? = nil, startedAt: Date? = nil,
                restartCounter: Int? = nil, instances: Int = 0, health: String? = nil, error: String? = nil) {
        self.state = state; self.detailText = LocalizedText(verbatim: detail); self.pids = pids; self.memoryBytes = memoryBytes; self.startedAt = startedAt
        self.restartCounter = restartCounter; self.instances = instances; self.health = health
        self.errorText = error.map(LocalizedText.init(verbatim:))
    }

    /// A status whose detail and error are catalog messages (both languages kept).
    init(state: State, _ detail: LocalizedText, pids: [Int32] = [], memoryBytes: Int? = nil, startedAt: Date? = nil,
         restartCounter: Int? = nil, instances: Int = 0, health: String? = nil, error: LocalizedText? = nil) {
        self.init(state: state, detail: detail.en, pids: pids, memoryBytes: memoryBytes, startedAt: startedAt,
                  restartCounter: restartCounter, instances: instances, health: health)
        detailText = detail
        errorText = error
    }
}

/// One log line; `time` when the backend knows it (journal, docker timestamps, a stamped line).
public struct LogLine: Sendable, Hashable {
    public var text: String
    public var time: Date?
    public init(_ text: String, time: Date? = nil) { self.text = text; self.time = time ?? LogTimestamp.parse(text) }
}

public struct LogsResult: Sendable {
    public var lines: [LogLine]
    /// Said under the output: "file truncated while reading", "scan limit reached", "since not supported".
    public var notes: [String] = []
    /// The backend stopped at a limit of its own (a scan limit, a platform's page size) before
    /// the log's start: fewer lines than asked then do not mean there are no more.
    public var reachedLimit = false
    public init(lines: [LogLine], notes: [String] = [], reachedLimit: Bool = false) {
        self.lines = lines; self.notes = notes; self.reachedLimit = reachedLimit
    }
}

/// One running copy of a service, for `/conflicts`.
public struct ServiceInstance: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case process, container, dyno, replica }
    public var kind: Kind
    /// PID or container id.
    public var id: String
    public var description: String
    public var startedAt: Date?
    /// The copy the supervisor owns (systemd main PID, the compose container, the pidfile's PID): never stopped.
    public var supervised: Bool
}

/// The backend cannot say how many copies run (no instances_command, a token without that permission).
public struct InstancesUnknown: Error, CustomStringConvertible, Sendable, Localizable {
    /// Why, in every language (`reason` is the English).
    public var reasonText: LocalizedText
    public var reason: String { reasonText.en }
    public init(_ reason: String) { reasonText = LocalizedText(verbatim: Redactor.shared.redact(reason)) }
    public init(_ reason: LocalizedText) {
        reasonText = LocalizedText(en: Redactor.shared.redact(reason.en), ru: Redactor.shared.redact(reason.ru))
    }
    init(_ m: BackendText) { self.init(m.localized) }
    public var description: String { english }
    public var english: String { BackendText.instancesUnknown(reason: reasonText).english }
    public var russian: String { BackendText.instancesUnknown(reason: reasonText).russian }
}

/// A backend's failure. `description` is the English (logs); in the chat `ChatError.text`
/// shows the current language when the error was built from a catalog message.
public struct BackendError: Error, CustomStringConvertible, Sendable, Localizable {
    public var description: String
    public var russian: String
    public var english: String { description }
    /// Text from outside the catalogs (another module's words, an external message): the same in every language.
    public init(_ d: String) {
        description = Redactor.shared.redact(d)
        russian = description
    }
    public init(_ text: LocalizedText) {
        description = Redactor.shared.redact(text.en)
        russian = Redactor.shared.redact(text.ru)
    }
    /// Any module's catalog message.
    public init(_ message: some Localizable) { self.init(message.localized) }
    init(_ m: BackendText) { self.init(m.localized) }
    public var localizedText: LocalizedText { LocalizedText(en: description, ru: russian) }
}

/// A way of running services: systemd, docker, plain processes, operator commands.
public protocol ServiceBackend: Sendable {
    var config: ServiceConfig { get }
    func status() async -> ServiceStatus
    /// Last `lines` lines matching `filter`, oldest first.
    func logs(lines: Int, filter: LineFilter) async throws -> LogsResult
    /// What `/restart` will do, shown in the preview (`systemctl restart bot.service`).
    var restartDescription: String { get }
    /// Restarts and returns once the backend accepted it (health is verified by the caller).
    func restart() async throws
    /// Restarts like `restart()` and returns what the reply should add (the docker engine had to
    /// SIGKILL PID 1; systemd's main PID changed from 811 to 940).
    func restartReporting() async throws -> [String]
    /// The verification of a restart is over (success or failure): from now on `status()`
    /// reports what the platform says, not "restart requested".
    func endRestartWatch()
    /// Every running copy, supervised or not.
    func instances() async throws -> [ServiceInstance]
    func stop(_ instance: ServiceInstance) async throws -> String
    /// The service's environment (names and values; values are never shown).
    func environment() async throws -> [String: String]
}

extension ServiceBackend {
    public func restartReporting() async throws -> [String] { try await restart(); return [] }
    public func endRestartWatch() {}
    /// A backend that cannot list its copies says so: an empty list would read as "0 running, OK".
    public func instances() async throws -> [ServiceInstance] { throw InstancesUnknown(.cannotListInstances(backend: config.backend.rawValue)) }
    public func stop(_ instance: ServiceInstance) async throws -> String { throw BackendError(.cannotStopInstances(backend: config.backend.rawValue)) }
    public func environment() async throws -> [String: String] { throw BackendError(.cannotReadEnvironment(backend: config.backend.rawValue)) }

    /// Reads a configured log file (any backend may name one).
    func fileLogs(lines: Int, filter: LineFilter) async throws -> LogsResult {
        guard let path = config.logFile else { throw BackendError(.noLogFile(service: config.name)) }
        let r: LogTail.Result
        do {
            r = try await runBlocking(name: "opsbot.logtail") {
                try LogTail.read(path: path, count: lines, filter: filter.isEmpty ? nil : filter)
            }
        } catch let e as LogTail.Failure {
            switch e {
            case .missing(let p): throw BackendError(.logFileMissing(path: p))
            case .unreadable(let p, let why): throw BackendError(.logFileUnreadable(path: p, why: why))
            case .notAFile(let p): throw BackendError(.logFileNotRegular(path: p))
            }
        }
        // Notes go under the reply, in the asker's language.
        var notes: [String] = []
        if let n = r.note {
            let known = n.hasPrefix("the file was truncated while reading")
            notes.append(known ? BackendText.fileChangedWhileReading(rotated: n.contains("(rotated?)"), gaveUp: n.hasSuffix("gave up after 3 attempts")).text() : n)
        }
        if r.hitScanLimit { notes.append(BackendText.logScanLimit(scanned: DiskUsage.format(r.scannedBytes)).text()) }
        return LogsResult(lines: r.lines.map { LogLine($0) }, notes: notes, reachedLimit: r.hitScanLimit)
    }
}

/// Stops a process: SIGTERM, wait up to `timeout`, then SIGKILL. Returns what happened, in
/// the current language (it is shown in the chat).
enum ProcessStopper {
    static func stop(_ pid: Int32, timeout: Double) async -> String {
        await stopping(pid, timeout: timeout).text()
    }

    static func stopping(_ pid: Int32, timeout: Double) async -> BackendText {
        guard pid > 1 else { return .refusedToSignal(pid: pid) }
        if kill(pid, SIGTERM) != 0 { return errno == ESRCH ? .pidAlreadyGone(pid: pid) : .killFailed(pid: pid, why: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !ProcInfo.isAlive(pid) { return .pidStopped(pid: pid) }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        kill(pid, SIGKILL)
        try? await Task.sleep(nanoseconds: 200_000_000)
        return ProcInfo.isAlive(pid) ? .pidSurvivedKill(pid: pid) : .pidKilled(pid: pid, after: Int(timeout))
    }
}

/// Runs argv with a timeout, refusing output beyond a cap; failure becomes a BackendError.
enum BackendRun {
    /// `environment` nil: the minimal child environment (never opsbot's own).
    static func run(_ argv: [String], timeout: Double, maxOutput: Int = 4 << 20, environment: [String: String]? = nil) async throws -> ProcessResult {
        do {
            return try await ProcessRunner.run(argv, timeout: timeout, maxOutput: maxOutput, environment: environment)
        } catch {
            throw BackendError(.cannotRun(program: argv.first ?? "?", error: BackendText.words(error)))
        }
    }

    static func checked(_ argv: [String], timeout: Double, maxOutput: Int = 4 << 20, environment: [String: String]? = nil) async throws -> String {
        let r = try await run(argv, timeout: timeout, maxOutput: maxOutput, environment: environment)
        guard r.succeeded else {
            let err = (r.stderr.isEmpty ? r.stdout : r.stderr).split(separator: "\n").prefix(3).joined(separator: " ")
            throw BackendError(.commandFailed(argv: argv.joined(separator: " "), outcome: BackendText.outcome(r), stderr: err))
        }
        return r.stdout
    }
}
