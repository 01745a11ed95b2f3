import Foundation
import OpsbotCore
import OpsbotSupport

/// An aligned plain-text table for `<pre>` (the caller escapes it). Long cells are clipped so
/// one huge value cannot push every other column off a phone screen.
enum TextTable {
    static func render(header: [String], rows: [[String]], maxCell: Int = 40) -> String {
        func clip(_ s: String) -> String {
            let flat = s.replacingOccurrences(of: "\n", with: " ")
            return flat.count > maxCell ? String(flat.prefix(maxCell - 1)) + "…" : flat
        }
        let all = [header.map(clip)] + rows.map { $0.map(clip) }
        var widths = [Int](repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(all[0]), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += all.dropFirst().map(line)
        return out.joined(separator: "\n")
    }
}
