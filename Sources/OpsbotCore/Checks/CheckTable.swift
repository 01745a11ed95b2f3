import Foundation

/// The terminal form of check results (`opsbot check`), problems first, and its exit code.
public enum CheckTable {
    public static func render(_ results: [CheckResult]) -> String {
        let sorted = results.enumerated().sorted { a, b in
            a.element.status != b.element.status ? a.element.status > b.element.status : a.offset < b.offset
        }.map(\.element)
        let rows = sorted.map { [$0.status.label.uppercased(), $0.check, $0.target, $0.summary] }
        let header = ["STATUS", "CHECK", "TARGET", "SUMMARY"]
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < 3 { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in i < 3 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : c }.joined(separator: "  ")
        }
        var out = [line(header)]
        for (r, res) in zip(rows, sorted) {
            out.append(line(r))
            for e in res.evidence.prefix(5) { out.append("      " + e) }
        }
        return out.joined(separator: "\n")
    }

    /// 0 all ok, 1 a problem was found, 2 something could not be checked.
    public static func exitCode(_ results: [CheckResult]) -> Int32 {
        if results.contains(where: { $0.status == .unknown }) { return 2 }
        if results.contains(where: { $0.status == .warning || $0.status == .critical }) { return 1 }
        return 0
    }
}
