import Foundation
import Testing
import OpsbotCore
import OpsbotSupport
import TestHarness
@testable import OpsbotApp

/// `heartbeat:` against a loopback receiver on the manual clock: the Healthchecks.io and Uptime
/// Kuma conventions, strict keys, the URL masked, and a dead receiver that holds nothing up.
@Suite(.ownThreads) struct HeartbeatTests {
    /// A receiver that records `METHOD path body` and answers 200 (or hangs on `/hang`).
    final class Receiver: @unchecked Sendable {
        let seen = Locked<[String]>([])
        var server: LoopbackHTTPServer!
        init() throws {
            server = try LoopbackHTTPServer { [seen] req in
                seen.withLock { $0.append("\(req.method) \(req.path) \(String(decoding: req.body, as: UTF8.self))".trimmingCharacters(in: .whitespaces)) }
                if req.path.contains("hang") { usleep(3_000_000) }
                return .init(status: 200, body: Data("OK".utf8))
            }
        }
        var base: String { "http://127.0.0.1:\(server.port)" }
        func wait(for n: Int) async throws -> [String] {
            for _ in 0..<1000 where seen.current.count < n { try await Task.sleep(nanoseconds: 10_000_000) }
            return seen.current
        }
    }

    static func config(_ yaml: String) throws -> HeartbeatConfig {
        try #require(try HeartbeatConfig.load(try OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/tmp")))
    }

    @Test func healthchecksStartPingAndFailWithTheReason() async throws {
        let rx = try Receiver()
        defer { rx.server.stop() }
        let uuid = UUID().uuidString.lowercased()
        let hb = Heartbeat(config: try Self.config("heartbeat:\n  url: \(rx.base)/\(uuid)\n  interval: 60s\n  timeout: 5s\n"))
        #expect(hb.config.style == .healthchecks)
        let clock = ManualClock()
        let health = Locked<[String]>([])
        let loop = Task { await hb.run(clock: clock) { health.current } }
        defer { loop.cancel() }
        #expect(try await rx.wait(for: 1) == ["GET /\(uuid)/start"])
        await clock.advanceWhenAsleep(by: .seconds(60))
        #expect(try await rx.wait(for: 2).last == "GET /\(uuid)")
        health.withLock { $0 = ["Telegram: no successful getUpdates for 5 min"] }
        await clock.advanceWhenAsleep(by: .seconds(60))
        #expect(try await rx.wait(for: 3).last == "POST /\(uuid)/fail Telegram: no successful getUpdates for 5 min")
        // No round before the interval is up: one ping per interval at most.
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .seconds(30))
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(rx.seen.current.count == 3)
    }

    @Test func uptimeKumaPushTakesStatusAndMessage() async throws {
        let rx = try Receiver()
        defer { rx.server.stop() }
        let hb = Heartbeat(config: try Self.config("heartbeat:\n  url: \(rx.base)/api/push/Xy12AbCd9z\n"))
        #expect(hb.config.style == .uptimeKuma && hb.config.interval == 60)
        #expect(await hb.send(.success))
        #expect(await hb.send(.fail("alerts: 2 alert message(s) could not be delivered & 1+1")))
        #expect(rx.seen.current == ["GET /api/push/Xy12AbCd9z?status=up&msg=OK&ping=",
                                    "GET /api/push/Xy12AbCd9z?status=down&msg=alerts:%202%20alert%20message(s)%20could%20not%20be%20delivered%20%26%201%2B1&ping="])
    }

    @Test func aHangingReceiverDelaysNoRoundAndTheURLIsMasked() async throws {
        let rx = try Receiver()
        defer { rx.server.stop() }
        let capture = LogCapture()
        let hb = Heartbeat(config: try Self.config("heartbeat:\n  url: \(rx.base)/hang-2f0c1e9a7b\n  style: healthchecks\n  interval: 10s\n  timeout: 1s\n"))
        let clock = ManualClock()
        let rounds = Locked(0)
        let loop = Task { await capture.run { await hb.run(clock: clock) { rounds.withLock { $0 += 1 }; return [] } } }
        defer { loop.cancel() }
        _ = try await rx.wait(for: 1)
        // The start request hangs (3 s, timeout 1 s): the rounds still come, each on time.
        await clock.advanceWhenAsleep(by: .seconds(10))
        await clock.advanceWhenAsleep(by: .seconds(10))
        await clock.sleepers(atLeast: 1)
        #expect(rounds.current == 2)
        for _ in 0..<300 where !capture.lines.contains(where: { $0.contains("failed") }) { try await Task.sleep(nanoseconds: 10_000_000) }
        let log = capture.lines.joined(separator: "\n")
        #expect(log.contains("heartbeat: start to http://127.0.0.1:\(rx.server.port)/… failed"), "\(log)")
        #expect(!log.contains("2f0c1e9a7b"), "\(log)")
    }

    @Test func keysAreStrictAndTheURLFileIsRead() throws {
        func problems(_ yaml: String) -> [String] {
            let config = (try? OpsbotConfig.parse(yaml, source: "t.yaml", baseDirectory: "/tmp")) ?? Config()
            let decoded = (try? OpsbotConfig.decode(yaml, source: "t.yaml", baseDirectory: "/tmp").config.problems) ?? []
            return (decoded + HeartbeatFeature.validate(config)).map(\.description)
        }
        #expect(problems("heartbeat:\n  url: https://hc-ping.com/x\n  intervall: 60s\n").contains { $0.contains("heartbeat.intervall") })
        #expect(problems("heartbeat:\n  interval: 60s\n").contains { $0.contains("heartbeat.url") })
        #expect(problems("heartbeat:\n  url: ftp://hc-ping.com/x\n").contains { $0.contains("http:// or https://") })
        #expect(problems("heartbeat:\n  url: https://hc-ping.com/x\n  interval: 10s\n  timeout: 10s\n").contains { $0.contains("shorter than interval") })
        #expect(problems("heartbeat:\n  url: {file: /nonexistent/hb.url}\n").contains { $0.contains("heartbeat.url.file") && $0.contains("cannot read") })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hb-\(UUID().uuidString).url").path
        try "https://status.example.com/api/push/Qw3rTy7890\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let h = try Self.config("heartbeat:\n  url: {file: \(file)}\n")
        #expect(h.url == "https://status.example.com/api/push/Qw3rTy7890" && h.style == .uptimeKuma)
        #expect(Redactor.shared.redact("GET \(h.url)") == "GET [REDACTED]")
    }

    /// The round's judgement: Telegram polling gone quiet is unhealthy; recent polling is fine.
    @Test func aRoundIsUnhealthyWhenPollingWentQuiet() async throws {
        let clock = ManualClock()
        let (app, _) = try TestApp.make(clock: clock)
        app.pollingHealth.succeeded(at: clock.now())
        #expect(await HeartbeatFeature.assess(app).isEmpty)
        clock.advance(by: .seconds(600))
        let problems = await HeartbeatFeature.assess(app)
        #expect(problems.count == 1 && problems[0].hasPrefix("Telegram: no successful getUpdates for 10 min"), "\(problems)")
    }
}
