import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// How `/logs` reads its arguments and what it says about what it returned (issue 19 items 13
/// and 16, issue 18 item 7).
@Suite struct LogsArgumentsTests {
    static func fileApp(_ lines: [String]) throws -> AppContext {
        let dir = ServicesTest.dir()
        try ServicesTest.write("\(dir)/w.log", lines.joined(separator: "\n") + "\n")
        return try ServicesTest.app("""
        services:
          worker:
            backend: command
            status_command: [/bin/true]
            log_file: \(dir)/w.log
        """)
    }

    static func text(_ app: AppContext, _ line: String) async throws -> String {
        ServicesTest.text(try await ServicesTest.run(app, line))
    }

    @Test func aBareNumberAfterTheCountIsATextFilterAndTheHeaderSaysSo() async throws {
        let now = ServicesTest.stamp()
        let app = try Self.fileApp((0..<30).map { i in "\(now) - INFO - request \(i) answered \(i % 10 == 3 ? 429 : 200)" })
        // The runbook's own example: lines with 429, not "the last 429 seconds".
        let said = try await Self.text(app, "/logs worker 200 429")
        #expect(said.contains("request 3 answered 429") && said.contains("request 23 answered 429"), "\(said)")
        #expect(!said.contains("answered 200"), "\(said)")
        #expect(said.contains("last 3 lines"), "\(said)")
        #expect(said.contains("read as: 200 = lines · 429 = text filter"), "\(said)")
        // A window carries its unit.
        let windowed = try await Self.text(app, "/logs worker 200 30m error")
        #expect(windowed.contains("read as: 200 = lines · 30m = the last 30 min · error = level error and above"), "\(windowed)")
        let regex = try await Self.text(app, "/logs worker 5 /answered 4[0-9]{2}/")
        #expect(regex.contains("read as: 5 = lines · /answered 4[0-9]{2}/ = regex"), "\(regex)")
        #expect(regex.contains("request 23 answered 429"), "\(regex)")
    }

    @Test func aCatalogDurationTypedInTheChatNeedsItsUnit() throws {
        let spec = ArgumentSpec(name: "duration", type: .duration)
        #expect(try ArgumentValidator.validate("90s", spec: spec, services: nil) == .duration(90))
        do {
            _ = try ArgumentValidator.validate("30", spec: spec, services: nil)
            Issue.record("a bare 30 was taken as a duration")
        } catch let e as ArgumentError {
            #expect(e.message.contains("duration needs a unit: 30s, 30m or 30h?"), "\(e.message)")
        }
    }

    @Test func fewerLinesThanAskedSaysThatIsAllThereIsNotCapped() async throws {
        let now = ServicesTest.stamp()
        let app = try Self.fileApp((0..<79).map { "\(now) - INFO - line \($0)" })
        let all = try await Self.text(app, "/logs worker 5000")
        #expect(all.contains("that is all there is: 79 lines (asked for 5000)"), "\(all)")
        #expect(!all.contains("capped"), "\(all)")
        let some = try await Self.text(app, "/logs worker 20")
        #expect(!some.contains("all there is"), "\(some)")
        #expect(some.contains("last 20 lines"))
        // More lines than max_lines exist: then the cap is what stopped it, and the reply says so.
        let big = try Self.fileApp((0..<2100).map { "\(now) - INFO - line \($0)" })
        let capped = try await Self.text(big, "/logs worker 5000")
        #expect(capped.contains("capped at 2000 lines (service_options.max_lines); asked for 5000"), "\(capped)")
        #expect(!capped.contains("all there is"), "\(capped)")
    }

    @Test func railwaysSeverityCountsForTheLevelFilter() async throws {
        let fake = try FakeRailway()
        defer { fake.stop() }
        let app = try ServicesTest.app(PlatformTest.railwayYAML(fake.url), environment: ["RAILWAY_TOKEN": PlatformTest.railwayToken])
        fake.state.withLock {
            $0.logs = [("2026-11-23T10:00:01.000Z", "INFO: update 1"),
                       ("2026-11-23T10:00:02.000Z", "worker died: connection to the database lost"),
                       ("2026-11-23T10:00:03.000Z", "disk almost full"),
                       ("2026-11-23T10:00:04.000Z", "INFO: update 2")]
            $0.severities = ["worker died: connection to the database lost": "error", "disk almost full": "warn"]
        }
        let errors = try await Self.text(app, "/logs worker 50 error")
        #expect(errors.contains("worker died: connection to the database lost"), "\(errors)")
        #expect(!errors.contains("disk almost full") && !errors.contains("update"), "\(errors)")
        let warnings = try await Self.text(app, "/logs worker 50 warning")
        #expect(warnings.contains("disk almost full") && warnings.contains("worker died"), "\(warnings)")
        #expect(!warnings.contains("update"), "\(warnings)")
    }
}
