import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport

/// Turns engine notifications into Telegram HTML messages with buttons. Everything that came
/// from a check (summary, evidence, targets) is escaped; messages stay under Telegram's 4096.
public struct AlertRenderer: Sendable {
    public var chatID: Int64
    public var muteDurations: [Double]
    /// Which opsbot speaks (`instance:` in the config, default the host name): two opsbots in
    /// one chat stay apart.
    public var instance: String
    /// How long a flapping alert stays quiet (the flapping window).
    public var flapWindow: Double
    /// Alerts in a firing group beyond this are listed one line each (a storm).
    public var detailedGroupLimit = 5
    /// A digest carries at most this many buttons (one Ack per alert); Mute and the fix are
    /// on each alert's own message and in /alerts.
    public var maxDigestButtons = 8
    public var maxMessageLength = 3800

    public init(chatID: Int64, muteDurations: [Double] = [3600, 14400, 86400], instance: String = AlertRenderer.hostName, flapWindow: Double = 600) {
        self.chatID = chatID
        self.muteDurations = muteDurations
        self.instance = instance
        self.flapWindow = flapWindow
    }

    public static var hostName: String { ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "opsbot" }

    package static func time(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: d) + " UTC"
    }

    /// `14:05` (UTC), for "unknown since".
    static func clock(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "HH:mm"
        return f.string(from: d)
    }

    static func shortDuration(_ s: Double) -> String { LocalFormat.duration(s).replacingOccurrences(of: " ", with: "") }

    static func value(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.2f", v)
    }

    static func title(_ a: AlertState) -> String {
        "<b>\(HTML.escape(a.rule))</b> · <code>\(HTML.escape(a.target))</code>"
    }

    var tag: String { "<i>\(HTML.escape(instance))</i>" }

    /// The full description of one alert: severity, name, target, what the rule is about, the
    /// evidence, first seen, and the key /mute takes.
    func block(_ a: AlertState, evidenceLines: Int = 10) -> String {
        let l = Language.current
        var s = "\(a.severity.symbol) <b>\(AlertText.severity(a.severity).text())</b> \(Self.title(a))\n"
        if let d = a.ruleDescription(l), !d.isEmpty { s += "<i>\(HTML.escape(d))</i>\n" }
        let summary = a.summary(l)
        if !summary.isEmpty { s += HTML.escape(String(summary.prefix(500))) + "\n" }
        let ev = a.evidence(l).prefix(evidenceLines).map { String($0.prefix(300)) }
        if !ev.isEmpty { s += "<pre>" + HTML.escape(ev.joined(separator: "\n")) + "</pre>\n" }
        s += AlertText.firstSeen(at: Self.time(a.firstSeen), key: a.fingerprint).text() + "\n"
        if let since = a.unknownSince { s += AlertText.unknownSince(clock: Self.clock(since), reason: a.unknownReason(l) ?? "?").text() + "\n" }
        return s
    }

    func buttons(_ a: AlertState) -> [[AlertButton]] {
        let mutes = muteDurations.prefix(3).map { d in AlertButton(AlertText.muteButton(seconds: d).text(), data: "a:m:\(a.id):\(Int(d))") }
        var rows: [[AlertButton]] = [[AlertButton(AlertText.ackButton.text(), data: "a:k:\(a.id)")], Array(mutes)]
        if let label = a.remediationText(Language.current) {
            rows.append([AlertButton("🛠 " + String(label.prefix(40)), data: "a:r:\(a.id)")])
        }
        return rows
    }

    /// One Ack per alert, at most `maxDigestButtons`, two per row.
    func digestButtons(_ alerts: [AlertState]) -> [[AlertButton]] {
        let acks = alerts.prefix(maxDigestButtons).map { a in
            AlertButton(AlertText.ackDigestButton(rule: a.rule.clipped(toWords: 14), target: a.target.clipped(toWords: 14)).text(), data: "a:k:\(a.id)")
        }
        return stride(from: 0, to: acks.count, by: 2).map { Array(acks[$0..<min($0 + 2, acks.count)]) }
    }

    /// The messages for `n`, in `Language.current` (the alert service sets the chat's language).
    public func render(_ n: AlertNotification) -> [OutgoingMessage] {
        let language = Language.current
        return renderInCurrentLanguage(n).map { m in
            var m = m
            m.language = language
            return m
        }
    }

    func renderInCurrentLanguage(_ n: AlertNotification) -> [OutgoingMessage] {
        let l = Language.current
        let silent = n.maxSeverity != .critical
        switch n {
        case .firing(let alerts) where alerts.count == 1:
            let a = alerts[0]
            return [OutgoingMessage(chatID: chatID, kind: .firing, fingerprint: a.fingerprint,
                                    html: AlertText.firingOne(tag: tag).text() + block(a), buttons: buttons(a), silent: silent, alertIDs: [a.id])]
        case .firing(let alerts) where alerts.count <= detailedGroupLimit:
            var html = AlertText.firingMany(count: alerts.count, tag: tag).text() + "\n\n" + alerts.map { block($0, evidenceLines: 3) }.joined(separator: "\n")
            if alerts.contains(where: { $0.remediation != nil }) { html += "\n" + AlertText.muteAndFixesHint.text() }
            return [OutgoingMessage(chatID: chatID, kind: .firing, html: clip(html), buttons: digestButtons(alerts), silent: silent,
                                    alertIDs: alerts.map(\.id))]
        case .firing(let alerts):
            return storm(alerts, silent: silent)
        case .reminders(let alerts):
            let lines = alerts.map { a -> String in
                let since = a.firingSince ?? a.firstSeen
                let summary = a.summary(l)
                return "\(a.severity.symbol) " + AlertText.firingFor(title: Self.title(a), seconds: (a.lastSent ?? since).timeIntervalSince(since)).text()
                    + (summary.isEmpty ? "" : " — " + HTML.escape(String(summary.prefix(120))))
            }
            let parts = chunk(header: AlertText.stillFiring(count: alerts.count, tag: tag).text(), lines: lines)
            return parts.enumerated().map { i, html in
                OutgoingMessage(chatID: chatID, kind: .reminder, fingerprint: alerts.count == 1 ? alerts[0].fingerprint : nil, html: html,
                                buttons: i == 0 ? digestButtons(alerts) : [], silent: silent, alertIDs: alerts.map(\.id))
            }
        case .resolved(let alerts, let at):
            func after(_ a: AlertState) -> Double { at.timeIntervalSince(a.firingSince ?? a.firstSeen) }
            let lines = alerts.map { AlertText.resolvedLine(title: Self.title($0), seconds: after($0)).text() }
            let notes = Dictionary(alerts.map { ($0.id, AlertText.resolvedNote(seconds: after($0)).text()) }, uniquingKeysWith: { a, _ in a })
            return chunk(header: alerts.count == 1 ? "" : AlertText.resolvedMany(count: alerts.count, tag: tag).text(), lines: lines).enumerated().map { i, html in
                OutgoingMessage(chatID: chatID, kind: .resolved, fingerprint: alerts.count == 1 ? alerts[0].fingerprint : nil,
                                html: alerts.count == 1 ? html.trimmingCharacters(in: .newlines) + " · \(tag)" : html, silent: true,
                                alertIDs: alerts.map(\.id), replyToAlert: i == 0 ? alerts.first?.id : nil, annotations: i == 0 ? notes : nil)
            }
        case .unknown(let alerts):
            let notes = Dictionary(alerts.map { a in
                (a.id, AlertText.unknownNote(clock: Self.clock(a.unknownSince ?? Date()), reason: String((a.unknownReason(l) ?? "?").prefix(200))).text())
            }, uniquingKeysWith: { a, _ in a })
            let lines = alerts.map {
                AlertText.unknownLine(title: Self.title($0), clock: Self.clock($0.unknownSince ?? Date()),
                                      reason: String(($0.unknownReason(l) ?? "?").prefix(200))).text()
            }
            // Still firing as far as anyone knows: Ack and Mute stay.
            return chunk(header: "", lines: lines).map {
                var m = OutgoingMessage(chatID: chatID, kind: .annotate, html: $0 + tag, silent: true, alertIDs: alerts.map(\.id), annotations: notes)
                m.keepButtons = true
                return m
            }
        case .known(let alerts):
            let notes = Dictionary(alerts.map { a in
                (a.id, AlertText.knownNote(summary: String(a.summary(l).prefix(200))).text())
            }, uniquingKeysWith: { a, _ in a })
            let lines = alerts.map { AlertText.knownLine(title: Self.title($0), summary: String($0.summary(l).prefix(200))).text() }
            // Its buttons stay, or come back when an earlier "unknown" edit removed them (Ack only if nobody has).
            let restore = Dictionary(alerts.map { a in
                (a.id, buttons(a).map { $0.filter { a.ackedBy == nil || !$0.data.hasPrefix("a:k:") } }.filter { !$0.isEmpty })
            }, uniquingKeysWith: { a, _ in a })
            return chunk(header: "", lines: lines).map {
                var m = OutgoingMessage(chatID: chatID, kind: .annotate, html: $0 + tag, silent: true, alertIDs: alerts.map(\.id), annotations: notes)
                m.restoreButtons = restore
                return m
            }
        case .flapping(let a):
            let html = AlertText.flapping(title: Self.title(a), tag: tag, changes: a.transitions.count, window: flapWindow,
                                          earliest: Self.clock((a.transitions.last ?? Date()).addingTimeInterval(flapWindow))).text()
                + block(a, evidenceLines: 3)
            return [OutgoingMessage(chatID: chatID, kind: .flapping, fingerprint: a.fingerprint, html: clip(html),
                                    buttons: a.isFiring ? buttons(a) : [], silent: silent, alertIDs: [a.id])]
        case .settled(let a):
            let html = a.isFiring
                ? AlertText.settledFiring(title: Self.title(a), tag: tag).text() + block(a, evidenceLines: 5)
                : AlertText.settledOK(title: Self.title(a), tag: tag).text()
            return [OutgoingMessage(chatID: chatID, kind: .settled, fingerprint: a.fingerprint, html: clip(html),
                                    buttons: a.isFiring ? buttons(a) : [], silent: a.isFiring ? silent : true, alertIDs: [a.id])]
        }
    }

    /// Hundreds of alerts at once: one line each, as few messages as fit, and a mute button
    /// per rule so the storm can be silenced in one press.
    func storm(_ alerts: [AlertState], silent: Bool) -> [OutgoingMessage] {
        let lines = alerts.map { a in
            "\(a.severity.symbol) \(Self.title(a)) — \(HTML.escape(String(a.summary(Language.current).prefix(80)))) <code>#\(HTML.escape(a.id))</code>"
        }
        var counts: [String: Int] = [:]
        for a in alerts { counts[a.rule, default: 0] += 1 }
        let byRule = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let header = AlertText.firingMany(count: alerts.count, tag: tag).text() + " (" + byRule.map { "\(HTML.escape($0.key)) \($0.value)" }.joined(separator: ", ") + ")\n"
        let d = Int(muteDurations.first ?? 3600)
        let muteRow = byRule.prefix(4).compactMap { r -> AlertButton? in
            let data = "a:M:\(r.key):\(d)"
            return data.utf8.count <= 64 ? AlertButton("🔕 \(r.key) \(Self.shortDuration(Double(d)))", data: data) : nil
        }
        let parts = chunk(header: header, lines: lines)
        // Few enough to acknowledge one by one: an Ack each; a real storm: mute it by rule.
        let rows = alerts.count <= maxDigestButtons ? digestButtons(alerts) : (muteRow.isEmpty ? [] : [muteRow])
        return parts.enumerated().map { i, html in
            OutgoingMessage(chatID: chatID, kind: .firing, html: parts.count > 1 ? html + AlertText.part(i + 1, of: parts.count).text() : html,
                            buttons: i == 0 ? rows : [], silent: silent, alertIDs: alerts.map(\.id))
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
