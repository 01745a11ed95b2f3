import Foundation
import TestKit
import TestSupport
import TestTraits
import Testing
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Collects progress edits (`restarting worker…`).
package final class RecordingProgress: ProgressReporter, @unchecked Sendable {
    package let updates = Locked<[String]>([])
    package init() {}
    package func update(_ html: String) async { updates.withLock { $0.append(html) } }
}

package struct ServiceTestError: Error, CustomStringConvertible { package var description: String }

package enum ServicesTest {
    package static func dir() -> String {
        // short: unix socket paths are limited to 107 bytes
        let d = "/tmp/ost-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// An app whose ServiceManager sees `environment` instead of opsbot's own.
    package static func app(_ yaml: String, environment: [String: String] = [:], clock: any OpsClock = SystemClock(),
                            stateDirectory: String? = nil) throws -> AppContext {
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n" + yaml, clock: clock, servicesEnvironment: environment,
                                        stateDirectory: stateDirectory)
        return app
    }

    /// Runs a command line as the admin would type it, through the catalog's argument validation.
    package static func run(_ app: AppContext, _ line: String, progress: ProgressReporter = NoProgress()) async throws -> CommandOutcome {
        var words = line.split(separator: " ").map(String.init)
        let name = String(words.removeFirst().dropFirst())
        guard let entry = app.catalog.entry(name) else { throw ServiceTestError(description: "no /\(name)") }
        let args = try ArgumentValidator.bind(words, to: entry.command, services: app.config.serviceNames)
        return await entry.module.handle(ModuleContext(app: app, request: CommandRequest(command: entry.command, arguments: args, chatID: 1, userID: 1), progress: progress))
    }

    package static func reply(_ o: CommandOutcome) -> Reply? { if case .reply(let r) = o { r } else { nil } }
    package static func plan(_ o: CommandOutcome) -> ConfirmationPlan? { if case .confirm(let p) = o { p } else { nil } }
    package static func text(_ o: CommandOutcome) -> String {
        switch o {
        case .reply(let r): HTML.toPlainText(r.html)
        case .confirm(let p): HTML.toPlainText(p.preview)
        case .choose(let p, let c): HTML.toPlainText(p) + "\n" + c.map(\.label).joined(separator: " | ")
        }
    }

    package static func write(_ path: String, _ text: String, executable: Bool = false) throws {
        if executable { return try Executable.write(path, text) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    package static func stamp(_ d: Date = Date()) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.timeZone = .current
        return f.string(from: d)
    }
}
