import Foundation
import Testing
import Alerting
import OpsbotCore
import TestHarness
@testable import OpsbotAlertmanager

/// Alertmanager as an alert source, against the real Alertmanager the test support starts.
@Suite(.serialized, .exclusive, .enabled(if: TestAlertmanager.enabled)) struct AlertmanagerSourceTests {
    @Test func alertsBecomeMessagesWithButtonsAndMuteSilencesThenResolveWhileSilencedThenUnmuteExpires() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        let labels = h.labels("DiskAlmostFull", ["mountpoint": "/var"])
        try await h.am.fire(labels, annotations: ["summary": "/var is 97% full <b>", "description": "grows 1 GB/h",
                                                  "opsbot_remediation": "/disk"])
        await h.round()
        let firing = h.sent.filter { $0.1.html.contains("DiskAlmostFull") && $0.1.html.contains(h.run) }
        try #require(firing.count == 1, "one message for the new alert: \(h.transport.texts)")
        let (msgID, msg) = firing[0]
        #expect(msg.html.contains("/var is 97% full &lt;b&gt;"), "annotations are escaped")
        #expect(msg.html.contains("CRITICAL"), "severity from the severity label")
        let buttons = msg.buttons.flatMap { $0 }
        #expect(buttons.contains { $0.text.contains("Acknowledge") })
        #expect(buttons.contains { $0.text == "🛠 /disk" }, "remediation button from the annotation")
        let mute = try #require(buttons.first { $0.data.hasPrefix("a:m:") && $0.data.hasSuffix(":3600") })

        // Mute → a silence in Alertmanager: every label, exactly; the presser in createdBy.
        await h.press(mute.data, messageID: msgID)
        #expect(try await until { try await h.mySilences().count == 1 })
        let silence = try #require(try await h.mySilences().first)
        #expect(silence["createdBy"] as? String == "@alice (2)")
        #expect((silence["comment"] as? String)?.contains("-100") == true && (silence["comment"] as? String)?.contains(Durations.format(3600)) == true)
        let matchers = (silence["matchers"] as? [[String: Any]]) ?? []
        #expect(Dictionary(uniqueKeysWithValues: matchers.map { ($0["name"] as! String, $0["value"] as! String) }) == labels)
        #expect(matchers.allSatisfy { $0["isRegex"] as? Bool == false && ($0["isEqual"] as? Bool ?? true) })
        #expect(try await until { h.transport.texts.contains { $0.contains("Alertmanager silence") && $0.contains("@alice (2)") } },
                "one line in the chat for the silence")

        // Silenced in Alertmanager: still there (suppressed), not resolved, no reminder.
        let before = h.sent.count
        await h.round()
        #expect(h.sent.count == before)
        #expect(h.svc.engine.active.contains { $0.rule == "DiskAlmostFull" && $0.target.contains(h.run) })

        // Resolved while silenced: Alertmanager drops it; opsbot says resolved.
        try await h.am.resolve(labels)
        #expect(try await until { try await !h.am.alerts().contains { (($0["labels"] as? [String: String]) ?? [:])["run"] == h.run } })
        await h.round()
        #expect(h.sent.dropFirst(before).contains { $0.1.html.lowercased().contains("resolved") && $0.1.html.contains("DiskAlmostFull") },
                "\(h.transport.texts)")

        // Unmute → the silence expires.
        let fp = try #require(h.svc.engine.mutes.first { $0.key.hasPrefix("DiskAlmostFull:") && $0.key.contains(h.run) }?.key)
        await h.say("/unmute \(fp)")
        #expect(h.transport.texts.last?.contains("expired") == true, "\(h.transport.texts.last ?? "")")
        let after = try #require(try await h.mySilences().first)
        #expect((after["status"] as? [String: Any])?["state"] as? String == "expired")
    }

    @Test func alertmanagerKilledGivesOneUnreachableAlertAndNoResolvedStorm() async throws {
        let am = try await runBlocking { try TestAlertmanager.start() }
        defer { am.stop() }
        let h = try await AlertmanagerHarness(am)
        for i in 0..<5 { try await am.fire(h.labels("Down\(i)")) }
        await h.round()
        #expect(h.svc.engine.active.filter(\.isFiring).count == 5)
        let before = h.sent.count
        am.stop()
        await h.round()
        await h.round()
        let new = h.sent.dropFirst(before).map(\.1.html)
        #expect(new.count == 1, "\(new)")
        #expect(new.first?.contains("unreachable") == true)
        #expect(!new.contains { $0.lowercased().contains("resolved") })
        #expect(h.svc.engine.active.filter { $0.rule.hasPrefix("Down") }.count == 5, "its alerts are unknown, not resolved")
    }

    /// A hung Alertmanager (SIGSTOP) is unreachable after the timeout; when it answers again
    /// only the reachability alert resolves — its alerts neither resolve nor fire twice.
    @Test func hungThenBackResolvesOnlyTheReachabilityAlert() async throws {
        let am = try await runBlocking { try TestAlertmanager.start() }
        defer { kill(am.pid, SIGCONT); am.stop() }
        let h = try await AlertmanagerHarness(am)
        for i in 0..<3 { try await am.fire(h.labels("Hung\(i)")) }
        await h.round()
        let firstFiring = h.sent.count
        #expect(firstFiring == 1, "one grouped message: \(h.transport.texts)")
        kill(am.pid, SIGSTOP)
        let started = Date()
        await h.round()
        #expect(Date().timeIntervalSince(started) < 6, "the poll gives up at its timeout (3 s)")
        #expect(h.sent.count == firstFiring + 1 && h.sent.last?.1.html.contains("unreachable") == true, "\(h.transport.texts)")
        kill(am.pid, SIGCONT)
        await h.round()
        let after = h.sent.dropFirst(firstFiring + 1).map(\.1.html)
        #expect(after.count == 1, "\(after)")
        #expect(after.first?.lowercased().contains("resolved") == true && after.first?.contains("alertmanager") == true)
        #expect(after.first?.contains("Hung") == false, "its alerts did not resolve")
        #expect(h.svc.engine.active.filter { $0.rule.hasPrefix("Hung") && $0.isFiring }.count == 3)
    }

    @Test func silencedInAlertmanagerIsNotNotifiedNorResolved() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        let labels = h.labels("QuietOne")
        try await h.am.fire(labels)
        _ = try await h.source.api.createSilence(matchers: AlertmanagerSilencing.matchers(labels)!, endsAt: Date().addingTimeInterval(600),
                                                 createdBy: "test", comment: "pre-silenced")
        #expect(try await until { try await h.am.alerts().contains { (($0["labels"] as? [String: String]) ?? [:])["run"] == h.run
            && (($0["status"] as? [String: Any])?["state"] as? String) == "suppressed" } })
        await h.round()
        await h.round()
        #expect(!h.transport.texts.contains { $0.contains("QuietOne") }, "\(h.transport.texts)")
        try await h.am.resolve(labels)
        #expect(try await until { try await !h.am.alerts().contains { (($0["labels"] as? [String: String]) ?? [:])["run"] == h.run } })
        await h.round()
        #expect(!h.transport.texts.contains { $0.contains("QuietOne") }, "never notified, so no resolved message either")
    }

    @Test func watchdogAbsentForLongerThanItsTimeoutIsAnAlert() async throws {
        let am = try await runBlocking { try TestAlertmanager.start() }
        defer { am.stop() }
        let h = try await AlertmanagerHarness(am, extra: "  watchdog_alertname: Watchdog\n  watchdog_timeout: 1s")
        let dog = ["alertname": "Watchdog", "severity": "none"]
        try await am.fire(dog)
        await h.round()
        #expect(!h.transport.texts.contains { $0.contains("Watchdog") }, "the always-firing alert itself is not notified")
        try await am.resolve(dog)
        #expect(try await until { try await am.alerts().isEmpty })
        try await Task.sleep(for: .milliseconds(1200))
        await h.round()
        #expect(h.transport.texts.contains { $0.contains("alertmanager_watchdog") && $0.contains("Prometheus → Alertmanager path is broken") },
                "\(h.transport.texts)")
        try await am.fire(dog)
        await h.round()
        #expect(h.transport.texts.last?.lowercased().contains("resolved") == true)
    }

    @Test func matchEverythingMatchersAreRefusedBeforeTheAPI() {
        #expect(AlertmanagerSilencing.matchers([:]) == nil)
        #expect(AlertmanagerSilencing.matchers(["alertname": "", "job": ""]) == nil)
        #expect(AlertmanagerSilencing.matchers(["alertname": "X", "job": ""])?.map(\.name) == ["alertname"])
    }

    @Test func silencesListsNewestFirstAndExpireGoesThroughConfirmation() async throws {
        let h = try await AlertmanagerHarness(try await TestAlertmanager.sharedAsync())
        let older = try await h.source.api.createSilence(matchers: [.init(name: "run", value: h.run), .init(name: "alertname", value: "Old")],
                                                         endsAt: Date().addingTimeInterval(3600), createdBy: "@bob (7)", comment: "older")
        try await Task.sleep(for: .milliseconds(20))
        let newer = try await h.source.api.createSilence(matchers: [.init(name: "run", value: h.run), .init(name: "alertname", value: "New")],
                                                         endsAt: Date().addingTimeInterval(7200), createdBy: "@carol (8)", comment: "newer")
        await h.say("/silences")
        let (listID, list) = try #require(h.sent.last)
        let iNew = try #require(list.html.range(of: newer)), iOld = try #require(list.html.range(of: older))
        #expect(iNew.lowerBound < iOld.lowerBound, "newest first")
        #expect(list.html.contains("@carol (8)") && list.html.contains("alertname=\"New\""))
        let expire = try #require(list.buttons.flatMap { $0 }.first { $0.data == "am:x:\(newer)" })

        // The button asks for confirmation; nothing is expired before Confirm.
        await h.press(expire.data, messageID: listID)
        #expect(await until { h.sent.count >= 2 && h.sent.last?.1.html.contains("Expire Alertmanager silence") == true })
        let (confirmID, confirm) = try #require(h.sent.last)
        @Sendable func state(_ id: String) async throws -> String? {
            try await h.mySilences().first { $0["id"] as? String == id }.flatMap { ($0["status"] as? [String: Any])?["state"] as? String }
        }
        #expect(try await state(newer) == "active")
        let yes = try #require(confirm.buttons.flatMap { $0 }.first)
        await h.press(yes.data, messageID: confirmID)
        #expect(try await until { try await state(newer) == "expired" })
        #expect(try await state(older) == "active")
        // Pressed again: runs at most once.
        await h.press(yes.data, messageID: confirmID)
        #expect(h.transport.callbackAnswers.last??.contains("only once") == true || h.transport.callbackAnswers.last??.contains("Already") == true)
        _ = try? await h.source.api.expireSilence(id: older)
    }
}
