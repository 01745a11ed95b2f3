import Foundation

/// A bind parameter: sent in text format, with a type OID (0 lets the server infer the type
/// from context, which is what an untyped literal would do).
public struct PostgresBind: Sendable, Hashable, CustomStringConvertible {
    public var text: String?
    public var typeOID: UInt32

    public init(text: String?, typeOID: UInt32 = 0) {
        self.text = text
        self.typeOID = typeOID
    }

    public static let null = PostgresBind(text: nil)

    /// How the value reads in a preview: `42`, `'abc'` (SQL literal style), `NULL`.
    public var description: String {
        guard let text else { return "NULL" }
        switch typeOID {
        case PostgresType.int8, PostgresType.int4, PostgresType.int2, PostgresType.bool, PostgresType.float8: return text
        default: return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }
}

/// Type OIDs opsbot uses (pg_type.oid; stable across PostgreSQL versions).
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let varchar: UInt32 = 1043
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
}

/// A Swift value that can travel as a bind parameter.
public protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
}

extension String: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self) }
}
extension Substring: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self)) }
}
extension Int: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresType.int8) }
}
extension Int64: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresType.int8) }
}
extension Int32: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresType.int4) }
}
extension Bool: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self ? "true" : "false", typeOID: PostgresType.bool) }
}
extension Double: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: "\(self)", typeOID: PostgresType.float8) }
}
extension UUID: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: uuidString.lowercased(), typeOID: PostgresType.uuid) }
}
extension Date: PostgresEncodable {
    public var postgresBind: PostgresBind {
        PostgresBind(text: PostgresTimestamp.format(self), typeOID: PostgresType.timestamptz)
    }
}
extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBind: PostgresBind {
        switch self {
        case .some(let v): v.postgresBind
        case .none: .null
        }
    }
}
extension PostgresBind: PostgresEncodable {
    public var postgresBind: PostgresBind { self }
}

/// A numeric value kept as its exact decimal text (`123.45`), never rounded through Double.
public struct PostgresNumeric: PostgresEncodable, Hashable, CustomStringConvertible {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
    public var postgresBind: PostgresBind { PostgresBind(text: text, typeOID: PostgresType.numeric) }
}

/// timestamptz in text form (DateStyle ISO): `2024-05-01 12:03:04.123456+00`, `…+05:30`.
public enum PostgresTimestamp {
    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// Parses the server's ISO text output; nil when it does not look like one.
    public static func parse(_ s: String) -> Date? {
        // yyyy-mm-dd hh:mm:ss[.ffffff][+hh[:mm[:ss]]]
        let chars = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<(from + len)] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 19, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
              let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2) else { return nil }
        var i = 19
        var frac = 0.0
        if i < chars.count, chars[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                frac += Double(chars[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < chars.count, chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") {
            let sign = chars[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = num(i, 2) else { return nil }
            offset = oh * 3600
            i += 2
            if i < chars.count, chars[i] == UInt8(ascii: ":"), let om = num(i + 1, 2) {
                offset += om * 60
                i += 3
                if i < chars.count, chars[i] == UInt8(ascii: ":"), let os = num(i + 1, 2) { offset += os }
            }
            offset *= sign
        }
        var comps = DateComponents()
        comps.year = y; comps.month = mo; comps.day = d
        comps.hour = h; comps.minute = mi; comps.second = se
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 0)!
        guard let base = cal.date(from: comps) else { return nil }
        return base.addingTimeInterval(frac - Double(offset))
    }
}
