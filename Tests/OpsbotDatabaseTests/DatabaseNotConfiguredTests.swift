import Foundation
@testable import OpsbotCore
import Testing
import TestHarness
import Postgres
@testable import OpsbotDatabase

/// Issue 18 items 5 and 7: without DATABASE_URL the database commands are left out and say
/// why, /status says "database: not configured" instead of dropping the lines; libpq's text
/// reaches the reply whole and on one line. None of these needs a running PostgreSQL.
@Suite struct DatabaseNotConfiguredTests {
    func say(_ app: AppContext, _ transport: RecordingTransport, _ text: String) async -> String {
        let before = transport.texts.count
        await Router(app: app, progressDelay: 30).handleMessage(IncomingMessage(chatID: 1, userID: 1, messageID: 1, text: text))
        return transport.texts.dropFirst(before).joined(separator: "\n")
    }

    @Test func withoutDatabaseURLTheDatabaseCommandsSayNotConfiguredAndLeaveHelp() async throws {
        let (app, transport) = try TestApp.make()
        let help = await say(app, transport, "/help")
        let list = help.components(separatedBy: "not configured here").first ?? help
        #expect(!list.contains("/payments") && !list.contains("/schema") && !list.contains("/complete"), "\(help)")
        #expect(help.contains("not configured here: ") && help.contains("/payments"), "\(help)")
        #expect(!app.catalog.visible.contains { $0.name == "payments" || $0.name == "jobs" }, "the Telegram menu is built from visible")
        let typed = await say(app, transport, "/payments pending")
        #expect(typed.contains("/payments is not configured here: DATABASE_URL is not set in opsbot's environment"), "\(typed)")
        let why = await say(app, transport, "/help payments")
        #expect(why.contains("not configured here: DATABASE_URL is not set"), "\(why)")
    }

    @Test func statusSaysDatabaseNotConfigured() async throws {
        let (app, transport) = try TestApp.make()
        let status = await say(app, transport, "/status")
        #expect(status.contains("database: not configured (DATABASE_URL is not set in opsbot's environment)"), "\(status)")
        // With a URL the line is the check's own, and the commands are back.
        let (withURL, _) = try TestApp.make(environment: ["DATABASE_URL": "postgresql://app:pw@127.0.0.1:1/app"])
        #expect(withURL.catalog.visible.contains { $0.name == "payments" })
    }

    @Test func libpqTextIsWholeAndOnOneLine() async throws {
        let (app, _) = try TestApp.make(environment: ["DATABASE_URL": "postgresql://app:secretpw@127.0.0.1:1/app"])
        let r = try #require(await DatabaseCheck(database: app.databaseFeature).run(app).first)
        #expect(r.status == .critical)
        #expect(r.summary.hasPrefix("unreachable: connection to server at \"127.0.0.1\", port 1 failed: Connection refused"), "\(r.summary)")
        #expect(r.summary.hasSuffix("Is the server running on that host and accepting TCP/IP connections?"), "\(r.summary)")
        #expect(!r.summary.contains("\t") && !r.summary.contains("\n"), "\(r.summary)")
        #expect(!r.summary.contains("secretpw"))
        let e = PostgresError(.connect, "connection to server at \"h\", port 1 failed: Connection refused\n\tIs the server running on that host?\n")
        #expect(e.message == "connection to server at \"h\", port 1 failed: Connection refused Is the server running on that host?")
    }
}
