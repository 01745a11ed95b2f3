import Foundation
import Testing
import LocalStore
import OpsbotSupport
import TestKit
@testable import Alerting

struct Both: Localizable {
    var english: String
    var russian: String
}

@Suite struct AlertingTextTests {
    @Test func catalogIsCompleteInBothLanguages() {
        let problems = RussianText.catalogProblems(AlertingText.self, source: "Sources/Alerting/Messages/AlertingText.swift",
                                                   allow: ["payments", "service", "target"])   // {service}, {target}: filled in
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(RussianText.messageCount(AlertingText.self, source: "Sources/Alerting/Messages/AlertingText.swift") == AlertingText.samples.count)
    }

    @Test func everyDefaultRuleHasItsDescriptionInBothLanguages() {
        for r in DefaultRules.rules {
            #expect(r.description != nil && r.descriptionRU != nil && r.description != r.descriptionRU, "\(r.name)")
            #expect((r.remediationLabel == nil) == (r.remediationLabelRU == nil), "\(r.name)")
        }
        // English stays as it was (the shipped texts other tests and runbooks quote).
        #expect(DefaultRules.rules.first { $0.name == "service_down" }?.remediationLabel == "Restart {service}")
    }

    /// The Russian summary, rule text and unknown reason are stored with the alert and read back
    /// after a restart; state written before they existed still loads.
    @Test func russianTextsSurviveARestartAndOldStateLoads() throws {
        let clock = ManualClock()
        let db = try tempDB()
        let rules = DefaultRules.rules
        let e1 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        var r = CheckResult(check: "disk", target: "/var", status: .warning, message: Both(english: "92 % used", russian: "занято 92 %"), value: 92)
        _ = e1.evaluate([SourceResults(source: "disk", observations: [r])])
        clock.advance(by: 60)
        r.status = .unknown
        r.setSummary(Both(english: "df timed out", russian: "df не ответил"))
        _ = e1.evaluate([SourceResults(source: "disk", observations: [r])])

        let e2 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        let a = try #require(e2.alert(fingerprint: "disk:/var"))
        #expect(a.summary(.ru) == "занято 92 %" && a.summary(.en) == "92 % used")
        #expect(a.unknownReason(.ru) == "df не ответил" && a.unknownReason(.en) == "df timed out")
        #expect(a.ruleDescription(.ru) == AlertingText.diskDescription.russian)
        #expect(a.remediationText(.ru) == "Диск" && a.remediationText(.en) == "Show disk")

        // A row saved by the previous version: none of the Russian fields.
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(a)) as! [String: Any]
        for k in ["summaryRU", "ruleDescriptionRU", "remediationLabelRU", "unknownReasonRU"] { json[k] = nil }
        let old = try JSONSerialization.data(withJSONObject: json)
        try db.execute("UPDATE alert_state SET json = ? WHERE fingerprint = ?", [.text(String(decoding: old, as: UTF8.self)), .text("disk:/var")])
        let e3 = try makeEngine(rules, clock: clock, persistence: try SQLiteAlertStore(db: db))
        let b = try #require(e3.alert(fingerprint: "disk:/var"), "an old state file still loads")
        #expect(b.summaryRU == nil && b.summary(.ru) == "92 % used", "no Russian kept: the English, never nothing")
        #expect(b.ruleDescription(.ru) == AlertingText.diskDescription.russian, "a default rule's text is found again")
    }

    @Test func unknownWithoutReasonSaysSoInBothLanguages() throws {
        let clock = ManualClock()
        let e = try makeEngine([AlertRule(name: "payments")], clock: clock, persistence: MemoryAlertPersistence())
        _ = e.evaluate([SourceResults(source: "db", observations: [CheckResult(check: "payments", target: "dups", status: .critical, summary: "2 dups")])])
        _ = e.evaluate([SourceResults(source: "db", observations: [CheckResult(check: "payments", target: "dups", status: .unknown)])])
        let a = try #require(e.alert(fingerprint: "payments:dups"))
        #expect(a.unknownReason(.en) == "payments unknown" && a.unknownReason(.ru) == "payments: результат неизвестен")
    }

    @Test func configRuleTextIsShownAsWrittenInEveryLanguage() {
        var r = DefaultRules.rules.first { $0.name == "disk" }!
        r.description = "our own words"
        r.descriptionRU = nil
        var a = AlertState(id: "1", fingerprint: "disk:/", rule: "disk", target: "/", source: "s", phase: .firing, severity: .warning,
                           firstSeen: Date(), lastSeen: Date())
        a.ruleDescription = r.description
        #expect(a.ruleDescription(.ru) == "our own words")
    }
}
