import Alerting
import Foundation
import OpsbotSupport

/// Everything the alerts feature says in the chat: alert, reminder, resolved, unknown and
/// flapping messages, their buttons and the toasts of those buttons, /alerts /mute /unmute,
/// and the `alert_delivery` check. Arguments are raw values; HTML escaping happens here.
public enum AlertText: MessageCatalog {
    case severity(Severity)
    case firstSeen(at: String, key: String)
    case unknownSince(clock: String, reason: String)
    case ackButton
    case ackDigestButton(rule: String, target: String)
    case muteButton(seconds: Double)
    case firingOne(tag: String)
    case firingMany(count: Int, tag: String)
    case muteAndFixesHint
    case stillFiring(count: Int, tag: String)
    case firingFor(title: String, seconds: Double)
    case resolvedLine(title: String, seconds: Double)
    case resolvedNote(seconds: Double)
    case resolvedMany(count: Int, tag: String)
    case unknownNote(clock: String, reason: String)
    case unknownLine(title: String, clock: String, reason: String)
    case knownNote(summary: String)
    case knownLine(title: String, summary: String)
    case flapping(title: String, tag: String, changes: Int, window: Double, earliest: String)
    case settledFiring(title: String, tag: String)
    case settledOK(title: String, tag: String)
    case part(Int, of: Int)
    case unknownButton
    case unavailable(error: String)
    case notStarted
    case noLongerFiring(id: String)
    case acknowledgedLine(by: String, rule: String, target: String)
    case acknowledgedToast(fingerprint: String)
    case badMuteButton
    case alertGone(id: String)
    case unknownRule(String)
    case mutedLine(key: String, seconds: Double, by: String)
    case mutedToast(key: String, seconds: Double)
    case noRemediation
    case running(command: String)
    case ago(seconds: Double)
    case never
    case activeLine(since: String, lastSent: String, failed: Int)
    case flappingNote
    case unknownSinceNote(clock: String, reason: String)
    case notSentNote
    case ackedByNote(String)
    case silencedByIt(fingerprint: String)
    case unknownSinceShort(clock: String)
    case andMoreIndented(Int)
    case andMore(Int)
    case sectionFiring
    case sectionAcknowledged
    case sectionMuted
    case sectionPending
    case mutesHeader(count: Int)
    case muteEntry(key: String, seconds: Double)
    case muteBy(String)
    case muteReasonButton
    case muteReasonAlertmanager
    case noAlerts
    case muteOneHint(example: String)
    case deliveryTo(chat: Int64?)
    case outboxEmpty
    case queued(count: Int, oldest: String)
    case lastError(String)
    case lastDelivered(String)
    case kind(OutgoingMessage.Kind)
    case muteUsage
    case notMuteKey(key: String, rules: [String])
    case badMuteDuration
    case muted(key: String, seconds: Double, until: String, reason: String)
    case unmuteUsage
    case unmuted(key: String)
    case notMuted(key: String, live: [String])
    case deliveryCannotStart(error: String)
    case deliveryNoChat
    case deliveryFailed(count: Int, error: String)
    case deliveryWaiting(count: Int, seconds: Double, lastError: String?)
    case deliveryEmpty
    case deliveryQueued(count: Int)
    case checkTimedOut(check: String, seconds: Double)

    public static var samples: [AlertText] {
        [.severity(.critical), .firstSeen(at: "2026-12-07 14:03:00 UTC", key: "disk:/var"),
         .unknownSince(clock: "14:05", reason: "база не отвечает"), .ackButton, .ackDigestButton(rule: "disk", target: "/var"),
         .muteButton(seconds: 3600), .firingOne(tag: "<i>prod</i>"), .firingMany(count: 3, tag: "<i>prod</i>"), .muteAndFixesHint,
         .stillFiring(count: 2, tag: "<i>prod</i>"), .firingFor(title: "<b>disk</b>", seconds: 7200),
         .resolvedLine(title: "<b>disk</b>", seconds: 900), .resolvedNote(seconds: 900), .resolvedMany(count: 5, tag: "<i>prod</i>"),
         .unknownNote(clock: "14:05", reason: "таймаут"), .unknownLine(title: "<b>disk</b>", clock: "14:05", reason: "таймаут"),
         .knownNote(summary: "занято 92 %"), .knownLine(title: "<b>disk</b>", summary: "занято 92 %"),
         .flapping(title: "<b>disk</b>", tag: "<i>prod</i>", changes: 4, window: 600, earliest: "14:20"),
         .settledFiring(title: "<b>disk</b>", tag: "<i>prod</i>"), .settledOK(title: "<b>disk</b>", tag: "<i>prod</i>"), .part(1, of: 3),
         .unknownButton, .unavailable(error: "алерты ещё не запущены"), .notStarted, .noLongerFiring(id: "1a"),
         .acknowledgedLine(by: "@alice", rule: "disk", target: "/var"), .acknowledgedToast(fingerprint: "disk:/var"), .badMuteButton,
         .alertGone(id: "1a"), .unknownRule("nosuch"), .mutedLine(key: "disk:/var", seconds: 3600, by: "@alice"),
         .mutedToast(key: "disk:/var", seconds: 3600), .noRemediation, .running(command: "/restart worker"), .ago(seconds: 300), .never,
         .activeLine(since: "5 мин назад", lastSent: "никогда", failed: 22), .flappingNote, .unknownSinceNote(clock: "14:05", reason: "таймаут"),
         .notSentNote, .ackedByNote("@alice"), .silencedByIt(fingerprint: "payments:pending"), .unknownSinceShort(clock: "14:05"),
         .andMoreIndented(4), .andMore(21), .sectionFiring, .sectionAcknowledged, .sectionMuted, .sectionPending, .mutesHeader(count: 2),
         .muteEntry(key: "disk", seconds: 3600), .muteBy("@alice"), .muteReasonButton, .muteReasonAlertmanager, .noAlerts,
         .muteOneHint(example: "disk:/var"), .deliveryTo(chat: -100123), .outboxEmpty, .queued(count: 3, oldest: "2 мин назад"),
         .lastError("Bad Request"), .lastDelivered("1 мин назад"), .kind(.firing), .muteUsage,
         .notMuteKey(key: "nosuch", rules: ["disk", "service_down"]), .badMuteDuration,
         .muted(key: "disk", seconds: 3600, until: "2026-12-07 15:03:00 UTC", reason: "чистим"), .unmuteUsage, .unmuted(key: "disk"),
         .notMuted(key: "disk", live: ["health"]), .deliveryCannotStart(error: "bad config"), .deliveryNoChat,
         .deliveryFailed(count: 2, error: "Forbidden"), .deliveryWaiting(count: 5, seconds: 600, lastError: nil), .deliveryEmpty,
         .deliveryQueued(count: 1), .checkTimedOut(check: "disk", seconds: 30)]
    }

    /// A mute reason opsbot wrote itself, in the current language; a person's reason as written.
    static func muteReason(_ reason: String) -> String {
        switch reason {
        case muteReasonButton.english: muteReasonButton.text()
        case muteReasonAlertmanager.english: muteReasonAlertmanager.text()
        default: reason
        }
    }
}
