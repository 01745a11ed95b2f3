import Foundation
import Testing
import TestHarness
import OpsbotCore

/// Issue 8 item 16: a typed number always means one button.
@Suite struct ConsoleTransportTests {
    @Test func everyButtonGetsASessionUniqueNumberAndStaleNumbersPressNothing() async throws {
        let out = Locked<[String]>([])
        let t = ConsoleTransport(fileDirectory: NSTemporaryDirectory()) { s in out.withLock { $0.append(s) } }
        let restart = try await t.send(Reply(html: "Restart worker?", buttons: [[Button("✅ Restart", data: "c:1"), Button("✖ Cancel", data: "c:2")]]), to: 1)
        _ = try await t.send(Reply(html: "🚨 alert", buttons: [[Button("✅ Acknowledge", data: "a:k:7")], [Button("🔕 Mute 1h", data: "a:m:7:3600")]]), to: 1)
        #expect(out.current[0].contains("[1] ✅ Restart") && out.current[0].contains("[2] ✖ Cancel"))
        #expect(out.current[1].contains("[3] ✅ Acknowledge") && out.current[1].contains("[4] 🔕 Mute 1h"), "numbers continue, never restart at 1")
        guard case .press(let cb) = t.press(3, userID: 1, username: nil) else { Issue.record("3 is the Ack"); return }
        #expect(cb.data == "a:k:7")
        // The confirmation expires: its message is edited without buttons. A typed 1 now says
        // so and presses nothing — in particular not the alert's first button.
        try await t.edit(restart, Reply(html: "⌛ Expired. Nothing ran."))
        guard case .gone(let why) = t.press(1, userID: 1, username: nil) else { Issue.record("1 must be gone"); return }
        #expect(why.contains("no longer shown") && why.contains("nothing was pressed"))
        guard case .noSuchButton = t.press(99, userID: 1, username: nil) else { Issue.record("99 was never shown"); return }
        // An edit that keeps buttons renumbers them; the old numbers stop working.
        try await t.edit(restart, Reply(html: "Restart worker?", buttons: [[Button("✅ Restart", data: "c:1")]]))
        #expect(out.current.last?.contains("[5] ✅ Restart") == true)
        guard case .press = t.press(5, userID: 1, username: nil) else { Issue.record("5 is live"); return }
    }

    /// An alert the scheduler pushes runs in no one's language: the terminal's own lines
    /// (hint, edit header, gone button) are still in the console's.
    @Test func theConsolesOwnLinesAreInItsLanguageWhoeverWrites() async throws {
        let out = Locked<[String]>([])
        let t = ConsoleTransport(fileDirectory: NSTemporaryDirectory(), language: .ru) { s in out.withLock { $0.append(s) } }
        let ref = try await Language.$current.withValue(.en) {
            try await t.send(Reply(html: "🚨 alert", buttons: [[Button("✅ Принято", data: "a:k:7")]]), to: 1)
        }
        #expect(out.current[0].contains("(чтобы нажать кнопку, введите её номер)") && !out.current[0].contains("type a number"), "\(out.current)")
        try await t.edit(ref, Reply(html: "✅ принято"))
        #expect(out.current[1].contains("opsbot #\(ref.messageID) (изменено)"), "\(out.current)")
        guard case .gone(let why) = t.press(1, userID: 1, username: nil) else { Issue.record("1 must be gone"); return }
        #expect(!why.contains("nothing was pressed"), "\(why)")
    }
}
