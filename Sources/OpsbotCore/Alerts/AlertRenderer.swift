import Alerting
import Foundation

/// Turns engine notifications into Telegram HTML messages with buttons. Everything that came
/// from a check (summary, evidence, targets) is escaped; messages stay under Telegram's 4096.
public struct AlertRenderer: Sendable {
    public var chatID: Int64
    public var muteDurations: [Double]
    /// Alerts in a firing group beyond this are listed one line each (a storm).
    public var detailedGroupLimit = 5
    public var maxMessageLength = 3800

    public init(chatID: Int64, muteDurations: [Double] = [3600, 14400, 86400]) {
        self.chatID = chatID
        self.muteDurations = muteDurations
    }

    static func time(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: d) + " UTC"
    }

    static func shortDuration(_ s: Double) -> String { Durations.format(s).replacingOccurrences(of: " ", with: "") }

    static func value(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.2f", v)
    }

    static func title(_ a: AlertState) -> String {
        "<b>\(HTML.escape(a.rule))</b> · <code>\(HTML.escape(a.target))</code>"
    }

    /// The full description of one alert.
    static func block(_ a: AlertState, evidenceLines: Int = 10) -> String {
        var s = "\(a.severity.symbol) <b>\(a.severity.label.uppercased())</b> \(title(a))\n"
        if !a.summary.isEmpty { s += HTML.escape(String(a.summary.prefix(500))) + "\n" }
        if let v = a.value { s += "Value: <b>\(value(v))</b>\n" }
        s += "First seen: \(time(a.firstSeen)) · id <code>\(HTML.escape(a.id))</code>\n"
        let ev = a.evidence.prefix(evidenceLines).map { String($0.prefix(300)) }
        if !ev.isEmpty { s += "<pre>" + HTML.escape(ev.joined(separator: "\n")) + "</pre>\n" }
        return s
    }

    func buttons(_ a: AlertState, compact: Bool) -> [[AlertButton]] {
        let mutes = muteDurations.prefix(3).map { d in
            AlertButton(compact ? "🔕 \(Self.shortDuration(d)) #\(a.id)" : "🔕 Mute \(Self.shortDuration(d))", data: "a:m:\(a.id):\(Int(d))")
        }
        let ack = AlertButton(compact ? "✅ Ack #\(a.id)" : "✅ Acknowledge", data: "a:k:\(a.id)")
        var fix: AlertButton?
        if let cmd = a.remediation {
            let label = a.remediationLabel ?? cmd
            fix = AlertButton("🛠 " + String(label.prefix(40)) + (compact ? " #\(a.id)" : ""), data: "a:r:\(a.id)")
        }
        if compact { return [[ack, mutes.first].compactMap { $0 } + (fix.map { [$0] } ?? [])] }
        return [[ack], Array(mutes)] + (fix.map { [[$0]] } ?? [])
    }

    public func render(_ n: AlertNotification) -> [OutgoingMessage] {
        let silent = n.maxSeverity != .critical
        switch n {
        case .firing(let alerts) where alerts.count == 1:
            let a = alerts[0]
            return [OutgoingMessage(chatID: chatID, kind: .firing, fingerprint: a.fingerprint,
                                    html: "🚨 <b>Alert firing</b>\n" + Self.block(a), buttons: buttons(a, compact: false), silent: silent)]
        case .firing(let alerts) where alerts.count <= detailedGroupLimit:
            let html = "🚨 <b>\(alerts.count) alerts firing</b>\n\n" + alerts.map { Self.block($0, evidenceLines: 3) }.joined(separator: "\n")
            return [OutgoingMessage(chatID: chatID, kind: .firing, html: clip(html), buttons: alerts.flatMap { buttons($0, compact: true) }, silent: silent)]
        case .firing(let alerts):
            return storm(alerts, silent: silent)
        case .reminder(let a):
            let since = a.firingSince ?? a.firstSeen
            var html = "🔁 <b>Still firing</b> for \(Durations.format(a.lastSent.map { $0.timeIntervalSince(since) } ?? 0)), "
            html += "\(a.failedChecks) failed check\(a.failedChecks == 1 ? "" : "s")\n" + Self.block(a, evidenceLines: 5)
            return [OutgoingMessage(chatID: chatID, kind: .reminder, fingerprint: a.fingerprint, html: clip(html),
                                    buttons: buttons(a, compact: false), silent: silent)]
        case .resolved(let alerts, let at):
            let lines = alerts.map { a -> String in
                let d = at.timeIntervalSince(a.firingSince ?? a.firstSeen)
                return "✅ \(Self.title(a)) resolved after \(Durations.format(d))"
            }
            return chunk(header: alerts.count == 1 ? "" : "<b>\(alerts.count) alerts resolved</b>\n", lines: lines).map {
                OutgoingMessage(chatID: chatID, kind: .resolved, fingerprint: alerts.count == 1 ? alerts[0].fingerprint : nil, html: $0, silent: true)
            }
        case .flapping(let a):
            let html = "〰️ <b>Flapping</b> \(Self.title(a)): \(a.transitions.count) state changes within the window. "
                + "No more messages for it until it has been stable for a whole window.\n" + Self.block(a, evidenceLines: 3)
            return [OutgoingMessage(chatID: chatID, kind: .flapping, fingerprint: a.fingerprint, html: clip(html),
                                    buttons: a.isFiring ? buttons(a, compact: false) : [], silent: silent)]
        case .settled(let a):
            let html = a.isFiring
                ? "〰️ \(Self.title(a)) stopped flapping and is <b>still firing</b>\n" + Self.block(a, evidenceLines: 5)
                : "✅ \(Self.title(a)) stopped flapping and is <b>ok</b>"
            return [OutgoingMessage(chatID: chatID, kind: .settled, fingerprint: a.fingerprint, html: clip(html),
                                    buttons: a.isFiring ? buttons(a, compact: false) : [], silent: a.isFiring ? silent : true)]
        }
    }

    /// Hundreds of alerts at once: one line each, as few messages as fit, and a mute button
    /// per rule so the storm can be silenced in one press.
    func storm(_ alerts: [AlertState], silent: Bool) -> [OutgoingMessage] {
        let lines = alerts.map { a in
            "\(a.severity.symbol) \(Self.title(a)) — \(HTML.escape(String(a.summary.prefix(80)))) <code>#\(HTML.escape(a.id))</code>"
        }
        var counts: [String: Int] = [:]
        for a in alerts { counts[a.rule, default: 0] += 1 }
        let byRule = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let header = "🚨 <b>\(alerts.count) alerts firing</b> (" + byRule.map { "\(HTML.escape($0.key)) \($0.value)" }.joined(separator: ", ") + ")\n"
        let d = Int(muteDurations.first ?? 3600)
        let muteRow = byRule.prefix(4).compactMap { r -> AlertButton? in
            let data = "a:M:\(r.key):\(d)"
            return data.utf8.count <= 64 ? AlertButton("🔕 \(r.key) \(Self.shortDuration(Double(d)))", data: data) : nil
        }
        let parts = chunk(header: header, lines: lines)
        return parts.enumerated().map { i, html in
            OutgoingMessage(chatID: chatID, kind: .firing, html: parts.count > 1 ? html + "\n<i>part \(i + 1)/\(parts.count)</i>" : html,
                            buttons: i == 0 && !muteRow.isEmpty ? [muteRow] : [], silent: silent)
        }
    }

    func chunk(header: String, lines: [String]) -> [String] {
        var out: [String] = []
        var cur = header
        for l in lines {
            if cur.count + l.count + 1 > maxMessageLength && cur != header && !cur.isEmpty {
                out.append(cur)
                cur = ""
            }
            cur += l + "\n"
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// Last resort against Telegram's length limit, keeping `<pre>` balanced.
    func clip(_ html: String) -> String {
        guard html.count > maxMessageLength else { return html }
        var s = String(html.prefix(maxMessageLength - 20))
        if let lt = s.lastIndex(of: "<"), !s[lt...].contains(">") { s = String(s[..<lt]) }
        if let amp = s.lastIndex(of: "&"), !s[amp...].contains(";") { s = String(s[..<amp]) }
        let opens = s.components(separatedBy: "<pre>").count - 1, closes = s.components(separatedBy: "</pre>").count - 1
        if opens > closes { s += "</pre>" }
        return s + "\n…"
    }
}
