import Foundation
import OpsbotCore
import OpsbotSupport

/// Told when someone mutes or unmutes an alert in the chat, so another alert source can follow
/// (Alertmanager creates and expires a silence). Each returns the line to post, nil for none.
public protocol AlertMuteHook: Sendable {
    func muted(_ app: AppContext, fingerprint: String, seconds: Double, createdBy: String, chatID: Int64) async -> String?
    func unmuted(_ app: AppContext, fingerprint: String) async -> String?
}

enum MuteLine {
    /// `@alice (123456789)` — who pressed, as a silence's `createdBy`.
    static func creator(username: String?, userID: Int64) -> String {
        username.map { "@\($0) (\(userID))" } ?? "user \(userID)"
    }

    /// Sends one line to the chat (best effort, logged on failure).
    static func post(_ app: AppContext, _ html: String, to chatID: Int64) async {
        do { _ = try await app.transport.send(Reply(html: html, silent: true), to: chatID) } catch {
            Log.warning("alerts: cannot post to chat \(chatID): \(error)")
        }
    }
}
