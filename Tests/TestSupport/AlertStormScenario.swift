import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Issue 8's storm, in simulated time: 30 services (each with a health endpoint) go down at
/// once, stay down for `outage` seconds and come back; checks every 10 s, reminders every
/// `repeat`, 20 messages a minute to the chat. Shared by the test that asserts the figures and
/// `opsbench alerts`, which prints them.
public enum AlertStormScenario {
    public struct Outcome: Sendable {
        /// Messages sent (not edits) within the first 5 minutes.
        public var messagesIn5Min: Int
        /// From the round that saw the recovery to the resolved message in the chat.
        public var recoveryDelay: Double
        /// Reminders sent after the round that saw the recovery.
        public var remindersAfterRecovery: Int
        /// Edits of earlier messages (resolved / unknown notes).
        public var edits: Int
        /// The resolved message is a reply to the firing message.
        public var resolvedIsReply: Bool
        public var transcript: [String]
    }

    /// `through`: a real transport (the loopback Bot API) the messages also go through.
    public static func run(services: Int = 30, outage: Double = 240, repeat: String = "2m", through inner: ChatTransport? = nil) async throws -> Outcome {
        let clock = ManualClock()
        let (base, transport) = try TestApp.make(configYAML: """
            admins:
              chats: [-100]
              users: [1]
            instance: storm-test
            alerts:
              repeat: \(`repeat`)
              rate_limit:
                per_minute: 20
                burst: 3
            """, commands: [], clock: clock)
        let app = inner.map { AppContext(config: base.config, store: base.store, clock: clock, transport: Tee(inner: $0, recorder: transport),
                                         catalog: base.catalog, wiring: Features.build(base.config)) } ?? base
        let svc = try app.alertsFeature.service()
        let start = clock.now()
        var recoveredAt: Double?
        var sentAt: [(Double, Reply)] = []
        var seen = 0
        func results(down: Bool) -> [CheckResult] {
            (0..<services).flatMap { i -> [CheckResult] in
                let n = "svc\(i)"
                return [CheckResult(check: "service_down", target: n, status: down ? .critical : .ok, summary: down ? "\(n) is failed: exit 1" : "\(n) running"),
                        CheckResult(check: "health", target: "\(n):/healthz", status: down ? .critical : .ok,
                                    summary: down ? "\(n):/healthz connection refused" : "\(n):/healthz 200")]
            }
        }
        for step in 0..<360 {
            let t = Double(step)
            if step % 10 == 0 {
                let down = t < outage
                if !down && recoveredAt == nil { recoveredAt = t }
                svc.submit("services", results(down: down))
                svc.evaluateRound()
            }
            await svc.deliver(app)
            let sent = transport.events.compactMap { e -> Reply? in if case .sent(_, _, let r) = e { r } else { nil } }
            for r in sent.dropFirst(seen) { sentAt.append((clock.now().timeIntervalSince(start), r)) }
            seen = sent.count
            clock.advance(by: 1)
        }
        let recovery = recoveredAt ?? outage
        let resolvedAt = sentAt.first { $0.1.html.contains("resolved") }?.0 ?? .infinity
        let edits = transport.events.filter { if case .edited = $0 { true } else { false } }.count
        return Outcome(messagesIn5Min: sentAt.filter { $0.0 < 300 }.count,
                       recoveryDelay: resolvedAt - recovery,
                       remindersAfterRecovery: sentAt.filter { $0.0 >= recovery && $0.1.html.contains("Still firing") }.count,
                       edits: edits,
                       resolvedIsReply: sentAt.first { $0.1.html.contains("resolved") }?.1.replyTo != nil,
                       transcript: sentAt.map { String(format: "t=%3.0fs ", $0.0) + HTML.toPlainText($0.1.html).prefix(80) })
    }
}

/// Sends through a real transport and records what was said (with the real message ids).
final class Tee: ChatTransport, @unchecked Sendable {
    let inner: ChatTransport
    let recorder: RecordingTransport
    init(inner: ChatTransport, recorder: RecordingTransport) {
        self.inner = inner
        self.recorder = recorder
    }
    func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        let ref = try await inner.send(reply, to: chatID)
        _ = try await recorder.send(reply, to: chatID)
        return ref
    }
    func edit(_ ref: MessageRef, _ reply: Reply) async throws {
        try await inner.edit(ref, reply)
        try await recorder.edit(ref, reply)
    }
    func answerCallback(_ id: String, text: String?) async { await inner.answerCallback(id, text: text) }
}
