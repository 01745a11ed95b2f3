import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

/// A token typed anywhere a chat can put text never reaches opsbot's state directory.
struct AuditRedactionTests {
    @Test func tokenTypedEverywhereIsStoredNowhere() async throws {
        let secretPart = "AAH" + String(repeating: "q", count: 20) + "ZzTokenTail"
        let token = "987654321:" + secretPart
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\n")
        let router = Router(app: app, progressDelay: 30)
        func say(_ text: String, user: Int64 = 1, chat: Int64 = 1) async {
            await router.handle(.message(IncomingMessage(chatID: chat, userID: user, username: "u\(user)", messageID: 1, text: text)))
        }
        await say("/help \(token)")                       // arguments of a known command
        await say("/logs worker \(token)")                // a validated argument
        await say("/nosuchcommand \(token)")              // unknown command
        await say("/\(token)")                            // malformed command name
        await say("/help \"\(token)")                     // malformed: unclosed quote
        await say("/help \(token)", user: 666)            // refused: not an admin (raw text is audited)
        await say("/\(token) x", user: 666, chat: 999)    // refused, malformed, foreign chat
        for data in ["c:\(token)", token, "a:\(token)"] {   // callback data, admin and stranger
            await router.handle(.callback(IncomingCallback(id: "q", chatID: 1, userID: 1, username: "u1", messageID: 1, data: data)))
            await router.handle(.callback(IncomingCallback(id: "q", chatID: 1, userID: 666, username: token, messageID: 1, data: data)))
        }
        let dir = app.store.directory
        var scanned = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            guard let data = FileManager.default.contents(atPath: dir + "/" + name) else { continue }
            scanned += data.count
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(secretPart.prefix(12)), "\(name) holds the token")
        }
        #expect(scanned > 0)
        #expect(try app.store.recentAudit(limit: 50).count >= 8)
    }
}
