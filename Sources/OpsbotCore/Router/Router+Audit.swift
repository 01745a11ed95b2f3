import Foundation

/// Audit lines and the texts derived for them (metric labels, first lines, invocations).
extension Router {
    func audit(_ c: IncomingCallback, action: String, outcome: String, seconds: Double? = nil) {
        OpsMetrics.current.confirmation(outcome: Router.outcomeClass(outcome))
        app.store.audit(.init(at: app.clock.now(), chatID: c.chatID, userID: c.userID, username: c.username, command: "button",
                              arguments: action, outcome: outcome,
                              durationMS: seconds.map { Int($0 * 1000) } ?? 0))
    }

    static func invocation(_ r: CommandRequest) -> String {
        var parts = ["/" + r.command.name]
        for a in r.command.arguments { if let v = r.arguments[a.name]?.string { parts.append(v) } }
        return parts.joined(separator: " ")
    }

    /// The audit outcome reduced to a metric label (no free text).
    static func outcomeClass(_ outcome: String) -> String {
        for (prefix, label) in [("awaiting confirmation", "awaiting_confirmation"), ("confirmed", "confirmed"), ("cancelled", "cancelled"),
                                ("rejected: expired", "expired"), ("rejected", "rejected"), ("refused", "refused"), ("invalid", "invalid"),
                                ("unknown", "unknown"), ("chose", "chose")] where outcome.hasPrefix(prefix) { return label }
        return "replied"
    }

    static func firstLine(_ html: String) -> String {
        let plain = HTML.toPlainText(html)
        let line = plain.split(separator: "\n").first.map(String.init) ?? ""
        return ArgumentValidator.clip(line.count > 120 ? String(line.prefix(120)) : line)
    }
}
