import Foundation
import OpsbotSupport

/// What the Alertmanager source says in the chat: /silences, /expire_silence, the lines Mute
/// and Unmute post about silences, and its own check summaries. Alertmanager's annotation text
/// is shown as it is; arguments are raw values, escaped here.
enum AlertmanagerText: MessageCatalog {
    case notConfigured
    case notConfiguredReason
    case cannotList(error: String)
    case noSilences
    case silencesHeader(count: Int)
    case silenceLine(id: String, pending: Bool, by: String, until: String)
    case expireButton(id: String)
    case andMore(Int)
    case expireUsage
    case cannotRead(error: String)
    case noSuchSilence(id: String)
    case expirePreview(id: String, by: String, matchers: String)
    case expireConfirm
    case expired(id: String)
    case expireFailed(id: String, error: String)
    case expireToast(id: String)
    case unknownButton
    case matchesEverything(fingerprint: String)
    case silenceCreated(id: String, by: String, until: String, matchers: String)
    case silenceFailed(error: String)
    case unmuteExpired(id: String)
    case unmuteExpireFailed(id: String, error: String)
    case unknownUnreachable(last: LocalizedText)
    case unreachable(at: String, error: String, alerts: Int)
    case alertCount(Int)
    case watchdogMissing(alertname: String, seconds: Double)
    case unknownRestarted(up: Double, grace: Double)
    case checkNotConfigured

    static var samples: [AlertmanagerText] {
        [.notConfigured, .notConfiguredReason, .cannotList(error: "connection refused"), .noSilences, .silencesHeader(count: 2),
         .silenceLine(id: "a1b2", pending: true, by: "@alice (1)", until: "2026-12-07 15:00:00 UTC"), .expireButton(id: "abcdef12"),
         .andMore(3), .expireUsage, .cannotRead(error: "timeout"), .noSuchSilence(id: "a1b2"),
         .expirePreview(id: "a1b2", by: "@alice", matchers: "{alertname=\"X\"}"), .expireConfirm, .expired(id: "a1b2"),
         .expireFailed(id: "a1b2", error: "500"), .expireToast(id: "abcdef12"), .unknownButton, .matchesEverything(fingerprint: "x:-"),
         .silenceCreated(id: "a1b2", by: "@alice (1)", until: "2026-12-07 15:00:00 UTC", matchers: "{a=\"b\"}"),
         .silenceFailed(error: "500"), .unmuteExpired(id: "a1b2"), .unmuteExpireFailed(id: "a1b2", error: "500"),
         .unknownUnreachable(last: LocalizedText(en: "[Alertmanager] disk full", ru: "[Alertmanager] disk full")),
         .unreachable(at: "am:9093", error: "connection refused", alerts: 5), .alertCount(21),
         .watchdogMissing(alertname: "Watchdog", seconds: 900), .unknownRestarted(up: 60, grace: 300), .checkNotConfigured]
    }
}
