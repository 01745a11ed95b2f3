import Foundation

extension String {
    /// At most `limit` characters, cut after the last whole word that fits and marked with "…";
    /// a single word longer than half the limit (a long path, a hash) is cut inside it instead.
    public func clipped(toWords limit: Int) -> String {
        guard count > limit, limit > 1 else { return self }
        let room = prefix(limit - 1)
        if let space = room.lastIndex(where: \.isWhitespace), room.distance(from: room.startIndex, to: space) >= limit / 2 {
            // Dangling separators (", ", " (", ": ") would read as part of the cut.
            var head = room[..<space]
            while let last = head.last, last.isWhitespace || ",;:(-·".contains(last) { head = head.dropLast() }
            return head + "…"
        }
        return String(room) + "…"
    }
}
