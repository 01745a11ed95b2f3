import Foundation
import Testing
import OpsbotCore
import TestHarness
@testable import OpsbotApp
@testable import OpsbotAlertmanager

/// The `alertmanager:` section: bad values name their key and change nothing.
@Suite struct AlertmanagerConfigTests {
    func errors(_ yaml: String) throws -> [String] {
        let c = try OpsbotConfig.parse("admins:\n  chats: [-100]\n  users: [1]\n" + yaml, source: "t.yaml", baseDirectory: "/")
        return AlertmanagerFeature.validate(c).map(\.description)
    }

    @Test func absentMeansOff() throws {
        let c = try OpsbotConfig.parse("admins:\n  chats: [-100]\n  users: [1]\n", source: "t.yaml", baseDirectory: "/")
        #expect(try AlertmanagerConfig.load(c) == nil)
        #expect(Features.build(c).checks.named("alertmanager") == nil)
    }

    @Test func defaultsAndKeys() throws {
        let c = try OpsbotConfig.parse("alertmanager:\n  url: http://127.0.0.1:9093/\n  poll: 15s\n", source: "t.yaml", baseDirectory: "/")
        let am = try #require(try AlertmanagerConfig.load(c))
        #expect(am.url == "http://127.0.0.1:9093" && am.poll == 15 && am.timeout == 10 && am.muteCreatesSilence)
        #expect(am.severityLabel == "severity" && am.remediationAnnotation == "opsbot_remediation" && am.watchdogAlertname == nil)
    }

    @Test func badValuesNameTheKey() throws {
        #expect(try errors("alertmanager:\n  url: ftp://x\n").first?.contains("alertmanager.url") == true)
        #expect(try errors("alertmanager:\n  url: http://x:9093\n  pol: 15s\n").first?.contains("pol") == true, "a typo is not ignored")
        #expect(try errors("alertmanager:\n  url: http://x:9093\n  receiver: '('\n").first?.contains("receiver") == true)
        #expect(try errors("alertmanager:\n  url: http://x:9093\n  poll: 0.5\n").first?.contains("poll") == true)
        #expect(try errors("alertmanager:\n  url: http://x:9093\n  webhook_token_file: /nonexistent/token\n").first?.contains("alertmanager.webhook_token_file") == true)
        #expect(try errors("alertmanager:\n  url: http://x:9093\nalerts:\n  catch_all: false\n").first?.contains("alerts.catch_all") == true)
        #expect(try errors("alertmanager:\n  url: http://x:9093\n").isEmpty)
    }
}
