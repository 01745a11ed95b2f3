import Foundation
import LocalStore
import OpsbotApp
import OpsbotCore
import OpsbotHTTPListener
import ServiceLifecycleTestKit
import Testing
import TestKit
import TestHarness

/// The app's services under ServiceLifecycleTestKit's graceful shutdown (no signals sent).
@Suite(.exclusive) struct AppServicesTests {
    /// A free loopback port (bound, read, released).
    static func freePort() async throws -> UInt16 {
        try await runBlocking {
            let l = HTTPListener(host: "127.0.0.1", port: 0) { _ in .init(status: 404, body: "") }
            try l.start()
            defer { l.stop() }
            return l.port
        }
    }

    static func answers(_ port: UInt16) async -> Bool {
        (try? await runBlocking { try RawHTTP.request(host: "127.0.0.1", port: Int(port), method: "GET", path: "/healthz", timeout: 2) })?.status == 200
    }

    /// A reload stops the features' generation (the listener closes its port) before the next
    /// starts on the new config; a refused reload keeps the running one; a graceful shutdown
    /// stops it all.
    @Test func reloadSwapsTheFeatureGenerationAndARefusedOneKeepsIt() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-reload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/opsbot.yaml"
        func write(listen: String) throws {
            try "admins:\n  chats: [-5]\n  users: [5]\nstate_dir: state\ncommands_dir: \(TestApp.repositoryRoot)/Commands\nlisten: \"\(listen)\"\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        let first = try await Self.freePort(), second = try await Self.freePort()
        try write(listen: "127.0.0.1:\(first)")
        let runtime = Runtime.load(configPath: path)
        #expect(runtime.problems.isEmpty, "\(runtime.problems)")
        let transport = RecordingTransport()
        let app = runtime.makeApp(transport: transport, store: try runtime.openStore())
        let (reloads, requests) = AsyncStream<Void>.makeStream()
        let features = FeatureServices(app: app, reloads: reloads, load: { Runtime.load(configPath: path) })

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await features.run() }
                #expect(await until { await Self.answers(first) }, "the first generation listens")

                try write(listen: "127.0.0.1:\(second)")
                requests.yield()
                #expect(await until { await Self.answers(second) }, "the next generation listens on the new port")
                #expect(!(await Self.answers(first)), "the old generation stopped first")
                #expect(transport.texts.contains { $0.contains("🔄 Reloaded") }, "\(transport.texts)")

                try write(listen: "nonsense")
                requests.yield()
                #expect(await until { transport.texts.contains { $0.contains("Reload refused") } }, "\(transport.texts)")
                #expect(await Self.answers(second), "a refused reload keeps the running generation")

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                #expect(!(await Self.answers(second)), "a graceful shutdown stops the features")
            }
        }
    }

    /// Background work that notices the stop finishes and is awaited; work that ignores it
    /// (a blocking call mid-run) is left behind after the grace, so the stop does not wait on it.
    @Test func aStopAwaitsWellBehavedFeaturesAndLeavesStubbornOnesAfterTheGrace() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-stop-\(UUID().uuidString)").path
        let cleanStop = Locked(false)
        let app = AppContext(config: Config(), store: try Store(directory: dir), transport: RecordingTransport(), catalog: Catalog(),
                             wiring: FeatureWiring([Polite(stopped: cleanStop), Stubborn()]))
        let features = FeatureServices(app: app)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await features.run() }
                try await Task.sleep(for: .milliseconds(300))
                let stopAt = ContinuousClock.now
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                let took = ContinuousClock.now - stopAt
                #expect(took >= .seconds(2) && took < .seconds(6), "the stubborn one got its 3 s grace, no more: \(took)")
                #expect(cleanStop.current, "the polite one ran to its end")
            }
        }
    }

    struct Polite: Feature {
        static var configSections: [ConfigSection] { [] }
        let stopped: Locked<Bool>
        func runBackground(_ app: AppContext) async {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
            stopped.withLock { $0 = true }
        }
    }

    struct Stubborn: Feature {
        static var configSections: [ConfigSection] { [] }
        func runBackground(_ app: AppContext) async {
            await runBlocking { Thread.sleep(forTimeInterval: 8) }
        }
    }

    /// The stop waits for running actions — woken when the last one ends, not by polling — and
    /// gives up after its timeout, reporting how many still run.
    @Test func runningActionsAreAwaitedWithATimeout() async {
        let actions = RunningActions()
        let never = FirstAnswer<Void>()
        actions.start { await never.wait {} }
        actions.start { try? await Task.sleep(for: .seconds(30)) }
        let started = ContinuousClock.now
        #expect(await actions.waitUntilIdle(timeout: .milliseconds(200), clock: SystemClock()) == 2)
        #expect(ContinuousClock.now - started < .seconds(5))

        let quick = RunningActions()
        let gate = FirstAnswer<Void>()
        quick.start { await gate.wait {} }
        let waiting = Task { await quick.waitUntilIdle(timeout: .seconds(30), clock: SystemClock()) }
        try? await Task.sleep(for: .milliseconds(50))
        let released = ContinuousClock.now
        gate.give(())
        #expect(await waiting.value == 0)
        #expect(ContinuousClock.now - released < .seconds(2), "woken by the action's end, not by the 30 s timeout")
        never.give(())
    }
}
