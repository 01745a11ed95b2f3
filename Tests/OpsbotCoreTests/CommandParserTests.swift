import Testing
import TestHarness
@testable import OpsbotCore

@Suite struct CommandParserTests {
    @Test func plainCommandWithArguments() {
        #expect(CommandParser.parse("/logs worker 50 error", botUsername: "opsbot") == .command(name: "logs", words: ["worker", "50", "error"]))
    }

    @Test func addressedToUsOrAnother() {
        #expect(CommandParser.parse("/status@OpsBot", botUsername: "opsbot") == .command(name: "status", words: []))
        #expect(CommandParser.parse("/status@other_bot", botUsername: "opsbot") == .otherBot)
    }

    @Test func quotingKeepsWordsTogether() {
        #expect(CommandParser.parse("/mute disk \"1h\" 'planned work'", botUsername: nil) == .command(name: "mute", words: ["disk", "1h", "planned work"]))
    }

    @Test func notCommandsAndMalformed() {
        #expect(CommandParser.parse("hello", botUsername: nil) == .notACommand)
        if case .malformed = CommandParser.parse("/", botUsername: nil) {} else { Issue.record("bare slash accepted") }
        if case .malformed = CommandParser.parse("/rm;ls", botUsername: nil) {} else { Issue.record("bad name accepted") }
        if case .malformed = CommandParser.parse("/logs \"worker", botUsername: nil) {} else { Issue.record("open quote accepted") }
    }

    @Test func commandNamesAreCaseInsensitive() {
        #expect(CommandParser.parse("/PING", botUsername: nil) == .command(name: "ping", words: []))
    }
}
