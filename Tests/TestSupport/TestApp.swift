import Foundation
@_exported import TestKit
import LocalStore
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Builds an AppContext for tests: config from YAML, a fresh state directory, the shipped
/// catalog (and the demo's) unless `commands` is given, and a RecordingTransport.
public enum TestApp {
    public static func make(configYAML: String = DefaultConfig.yaml, commands: [(String, String)]? = nil,
                            clock: any OpsClock = SystemClock(), environment: [String: String] = [:],
                            servicesEnvironment: [String: String]? = nil, stateDirectory: String? = nil) throws -> (AppContext, RecordingTransport) {
        var config = try OpsbotConfig.parse(configYAML, source: "test.yaml", baseDirectory: repositoryRoot)
        try ConfigLoader.applyEnvironment(&config, environment)
        // `stateDirectory`: a second app on the same one is opsbot restarted.
        let dir = stateDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-test-\(UUID().uuidString)").path
        let store = try Store(directory: dir)
        let wiring = Features.build(config, environment: servicesEnvironment ?? ProcessInfo.processInfo.environment, clock: clock)
        let registry = wiring.modules
        let loaded: CatalogLoader.Result
        if let commands {
            loaded = CatalogLoader.load(sources: commands, registry: registry, config: config)
        } else {
            // The shipped catalog plus the demo's own runbooks (/jobs, /grep_log…), as `make demo` loads them.
            loaded = CatalogLoader.load(directory: repositoryRoot + "/Commands", extra: [repositoryRoot + "/demo/Commands"],
                                        registry: registry, config: config)
        }
        if !loaded.errors.isEmpty { throw TestAppError(message: loaded.errors.map(\.description).joined(separator: "\n")) }
        let transport = RecordingTransport()
        let app = AppContext(config: config, store: store, clock: clock, transport: transport, catalog: loaded.catalog,
                             wiring: wiring)
        return (app, transport)
    }

    /// The repository root (where Commands/ and Package.swift are).
    public static var repositoryRoot: String { Repository.root }
}
