import Foundation
import TelegramBotAPI
import Testing

/// The hand-written request encoder must produce JSON that reads back as what JSONEncoder
/// wrote for the same value (escapes, emoji, control characters, nesting).
@Suite struct JSONValueTests {
    static let value: JSONValue = .object([
        "chat_id": .int(-1001234567890), "text": .string("⚠️ <b>a \"quote\" \\ back/slash</b>\n\ttab\u{1}\u{1F}\r 🏓 é"),
        "link_preview_options": .object(["is_disabled": .bool(true)]), "reply_markup": .object(["inline_keyboard": .array([
            .array([.object(["text": .string("✅ Run"), "callback_data": .string("c:abc:y")])]),
        ])]), "nothing": .null, "empty": .array([]), "max": .int(Int64.max), "min": .int(Int64.min), "no": .bool(false),
    ])

    @Test func readsBackAsJSONEncodersOutput() throws {
        let ours = try JSONSerialization.jsonObject(with: Data(Self.value.jsonBytes)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.value)) as? NSDictionary
        #expect(ours != nil)
        #expect(ours == theirs)
    }

    @Test func escapesLikeJSONEncoder() throws {
        for s in ["plain", "a\"b", "a\\b", "a/b", "\n\r\t\u{8}\u{C}", "\u{0}\u{1}\u{1F}", "🏓 é", ""] {
            #expect(String(decoding: JSONValue.string(s).jsonBytes, as: UTF8.self)
                    == String(decoding: try JSONEncoder().encode(JSONValue.string(s)), as: UTF8.self), "\(s.debugDescription)")
        }
    }
}
