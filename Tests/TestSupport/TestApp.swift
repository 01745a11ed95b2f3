import Foundation
import LocalStore
import OpsbotCore

/// Builds an AppContext for tests: config from YAML, a fresh state directory, the shipped
/// catalog unless `commands` is given, and a RecordingTransport.
public enum TestApp {
    public static func make(configYAML: String = DefaultConfig.yaml, commands: [(String, String)]? = nil,
                            clock: WallClock = SystemWallClock(), environment: [String: String] = [:],
                            servicesEnvironment: [String: String]? = nil) throws -> (AppContext, RecordingTransport) {
        var config = try OpsbotConfig.parse(configYAML, source: "test.yaml", baseDirectory: repositoryRoot)
        try ConfigLoader.applyEnvironment(&config, environment)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-test-\(UUID().uuidString)").path
        let store = try Store(directory: dir)
        let wiring = Features.build(config, environment: servicesEnvironment ?? ProcessInfo.processInfo.environment)
        let registry = wiring.modules
        let loaded: CatalogLoader.Result
        if let commands {
            loaded = CatalogLoader.load(sources: commands, registry: registry, config: config)
        } else {
            loaded = CatalogLoader.load(directory: repositoryRoot + "/Commands", registry: registry, config: config)
        }
        if !loaded.errors.isEmpty { throw TestAppError(message: loaded.errors.map(\.description).joined(separator: "\n")) }
        let transport = RecordingTransport()
        let app = AppContext(config: config, store: store, clock: clock, transport: transport, catalog: loaded.catalog,
                             wiring: wiring)
        return (app, transport)
    }

    /// The repository root (where Commands/ and Package.swift are), found from this file.
    public static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }
}

public struct TestAppError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
