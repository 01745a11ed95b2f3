import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport
import OpsbotAlerts

/// Mute on an Alertmanager alert also silences it in Alertmanager (all its labels, exactly),
/// and Unmute expires that silence, so other receivers of the same alert see the same state.
/// Each posts one line in the chat. Ack stays opsbot-local.
public struct AlertmanagerSilencing: AlertMuteHook {
    let source: AlertmanagerSource
    /// Silences created by this process, by engine fingerprint (Unmute also finds older ones
    /// by their matchers).
    private let created = Locked<[String: [String]]>([:])

    public init(source: AlertmanagerSource) { self.source = source }

    /// Equality matchers for every label; nil when they would match everything (no label with a value).
    public static func matchers(_ labels: [String: String]) -> [AlertmanagerAPI.Matcher]? {
        let m = labels.filter { !$0.value.isEmpty && !$0.key.isEmpty }.sorted { $0.key < $1.key }
            .map { AlertmanagerAPI.Matcher(name: $0.key, value: $0.value) }
        return m.isEmpty ? nil : m
    }

    /// After an opsbot mute of `fingerprint`: creates the silence when it is an Alertmanager
    /// alert and `mute_creates_silence` is on; returns the chat line (nil: not an Alertmanager alert).
    public func muted(_ app: AppContext, fingerprint: String, seconds: Double, createdBy: String, chatID: Int64) async -> String? {
        let src = source
        guard src.config.muteCreatesSilence,
              let labels = src.labels(forFingerprint: fingerprint) else { return nil }
        guard let matchers = Self.matchers(labels) else {
            return AlertmanagerText.matchesEverything(fingerprint: fingerprint).text()
        }
        let until = app.clock.now().addingTimeInterval(seconds)
        do {
            let id = try await src.api.createSilence(matchers: matchers, endsAt: until, createdBy: createdBy,
                                                     comment: "opsbot: muted from chat \(chatID) for \(Durations.format(seconds))")
            created.withLock { $0[fingerprint, default: []].append(id) }
            Log.info("alertmanager: silence \(id) created for \(fingerprint) by \(createdBy)")
            return AlertmanagerText.silenceCreated(id: id, by: createdBy, until: AlertRenderer.time(until), matchers: Self.render(matchers)).text()
        } catch {
            return AlertmanagerText.silenceFailed(error: ChatError.text(error)).text()
        }
    }

    /// After an opsbot unmute: expires the silences opsbot created for it (and any active one
    /// matching exactly its labels); returns the chat line (nil: none).
    public func unmuted(_ app: AppContext, fingerprint: String) async -> String? {
        let src = source
        guard src.config.muteCreatesSilence else { return nil }
        var ids = Set(created.withLock { d -> [String] in
            defer { d[fingerprint] = nil }
            return d[fingerprint] ?? []
        })
        if let labels = src.labels(forFingerprint: fingerprint), let want = Self.matchers(labels) {
            let all = (try? await src.api.silences()) ?? []
            for s in all where s.status.state != "expired" && Set(s.matchers.map(Self.normalized)) == Set(want.map(Self.normalized)) { ids.insert(s.id) }
        }
        guard !ids.isEmpty else { return nil }
        // The alerts it matched show on the next poll: poll now rather than in `poll`.
        defer { src.wakeup.signal() }
        var lines: [String] = []
        for id in ids.sorted() {
            do {
                try await src.api.expireSilence(id: id)
                lines.append(AlertmanagerText.unmuteExpired(id: id).text())
            } catch {
                lines.append(AlertmanagerText.unmuteExpireFailed(id: id, error: ChatError.text(error)).text())
            }
        }
        return lines.joined(separator: "\n")
    }

    static func normalized(_ m: AlertmanagerAPI.Matcher) -> AlertmanagerAPI.Matcher {
        var n = m
        n.isEqual = m.isEqual ?? true
        return n
    }

    static func render(_ matchers: [AlertmanagerAPI.Matcher]) -> String {
        "{" + matchers.map { "\($0.name)\(($0.isEqual ?? true) ? "" : "!")\($0.isRegex ? "=~" : "=")\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
