import Foundation
import TestKit
import TestSupport
import TestTraits
import Testing
import Alerting
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// An opsbot app wired to a real Alertmanager, with a router (for /unmute, /silences and
/// confirmations) and the RecordingTransport as the chat.
package struct AlertmanagerHarness {
    package let am: TestAlertmanager
    package let app: AppContext
    package let transport: RecordingTransport
    package let svc: AlertService
    package let source: AlertmanagerSource
    let router: Router
    /// A label value unique to this test, so the shared Alertmanager's other alerts don't interfere.
    package let run = "t" + UUID().uuidString.prefix(8).lowercased()

    package init(_ am: TestAlertmanager, extra: String = "", clock: any OpsClock = SystemClock()) async throws {
        self.am = am
        let yaml = """
        admins:
          chats: [-100]
          users: [1, 2]
        commands_dir: Commands
        alerts:
          tick: 0.1
          repeat: 1h
        alertmanager:
          url: \(am.url)
          poll: 60s
          timeout: 3s
        \(extra)
        """
        (app, transport) = try TestApp.make(configYAML: yaml, clock: clock)
        svc = try app.alertsFeature.service()
        source = try #require(app.alertmanagerFeature.source)
        router = Router(app: app, progressDelay: 5)
        await router.start()
    }

    /// One poll, one evaluation round, the outbox delivered.
    package func round() async {
        svc.submit(AlertmanagerSource.providerName, await source.poll(app: app, muting: svc))
        svc.evaluateRound()
        await svc.deliver(app)
    }

    package func labels(_ name: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["alertname": name, "run": run, "instance": "web1:9100", "severity": "critical"].merging(extra) { $1 }
    }

    package var sent: [(Int64, Reply)] { transport.events.compactMap { if case .sent(_, let id, let r) = $0 { (id, r) } else { nil } } }

    package func say(_ text: String, user: Int64 = 2) async {
        await router.handle(.message(IncomingMessage(chatID: -100, userID: user, username: "alice", messageID: 1, text: text)))
    }

    package func press(_ data: String, messageID: Int64, user: Int64 = 2) async {
        await router.handle(.callback(IncomingCallback(id: UUID().uuidString, chatID: -100, userID: user, username: "alice", messageID: messageID, data: data)))
    }

    /// The silences whose matchers include `run=<this test>`.
    package func mySilences() async throws -> [[String: Any]] {
        try await am.silences().filter { s in
            ((s["matchers"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "run" && $0["value"] as? String == run }
        }
    }
}

package func until(_ seconds: Double = 10, _ what: @escaping @Sendable () async throws -> Bool) async rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try await what() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await what()
}
