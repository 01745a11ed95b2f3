import Foundation
import Testing
import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotAlerts

/// Issue 8 item 7: a 30-service outage and recovery under a 20/min chat limit stays readable.
@Suite struct AlertStormTests {
    @Test func thirtyServicesDownAndBackIsAtMostFiveMessagesAndRecoveryWithinTenSeconds() async throws {
        let o = try await AlertStormScenario.run()
        #expect(o.messagesIn5Min <= 5, "\(o.messagesIn5Min) messages:\n\(o.transcript.joined(separator: "\n"))")
        #expect(o.messagesIn5Min >= 3, "firing, a reminder digest and the recovery: \(o.transcript)")
        #expect(o.recoveryDelay <= 10, "recovery after \(o.recoveryDelay) s")
        #expect(o.remindersAfterRecovery == 0)
        #expect(o.edits >= 1, "the firing message is edited when it resolves")
        #expect(o.resolvedIsReply)
    }
}
