import Foundation

/// A JSON value for request parameters: Sendable, and easy to build per method.
public enum JSONValue: Sendable, Hashable, Encodable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }
}

extension TGInlineKeyboard {
    var json: JSONValue {
        .object(["inline_keyboard": .array(rows.map { row in
            .array(row.map { .object(["text": .string($0.text), "callback_data": .string($0.callbackData)]) })
        })])
    }
}
