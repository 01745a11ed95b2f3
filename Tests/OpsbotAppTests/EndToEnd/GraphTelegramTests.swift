import Charts
import Foundation
import Testing
import Alerting
import TelegramBotAPI
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp
@testable import OpsbotAlerts
@testable import OpsbotGraphs

/// Issue 21 items 2, 3 and 5 through the loopback Bot API: `/graph` answers with a photo
/// (valid multipart, caption ≤ 1024 with the alt text), `/graph` alone lists the charts, and a
/// `disk_fill` alert carries its chart.
@Suite(.ownThreads) struct GraphTelegramTests {
    static let token = "123456789:" + "AAFakeTokenForGraphTests_abcdefghij"

    func make(_ clock: ManualClock, extra: String = "") throws -> (FakeBotAPI, AppContext, Router) {
        let fake = try FakeBotAPI(token: Self.token)
        let (base, _) = try TestApp.make(configYAML: """
            admins:
              chats: [-100]
              users: [1]
            timezone: Europe/Berlin
            \(extra)
            """, clock: clock)
        let transport = TelegramTransport(api: BotAPI(baseURL: fake.baseURL, token: Self.token, requestTimeout: 10), documentThreshold: 12_000)
        let app = AppContext(config: base.config, store: base.store, clock: clock, transport: transport, catalog: base.catalog, wiring: Features.build(base.config))
        return (fake, app, Router(app: app, progressDelay: 30))
    }

    /// `minutes` of `/var` filling `perHour` points an hour from `from` %, and `/` flat at 30 %.
    func fill(_ app: AppContext, _ clock: ManualClock, minutes: Int = 180, from: Double = 60, perHour: Double = 6) {
        for i in 0..<minutes {
            app.store.history.record([("disk:/var", from + perHour * Double(i) / 60), ("disk:/", 30)], at: clock.now())
            clock.advance(by: 60)
        }
    }

    @Test func graphDiskSendsAPhotoWithCaptionAndAltText() async throws {
        let clock = ManualClock()
        let (fake, app, router) = try make(clock)
        defer { fake.stop() }
        fill(app, clock)
        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 1, text: "/graph disk")))
        let call = try #require(fake.calls("sendPhoto").first, "calls: \(fake.calls("sendMessage").map { $0.text ?? "" })")
        #expect(call.status == 200, "\(call.fields)")
        let photo = try #require(call.files["photo"])
        let img = try ChartRenderer.decode(photo.data)
        #expect(img.width == 1000 && img.height == 600)
        let caption = HTML.toPlainText(try #require(call.fields["caption"]))
        #expect(caption.count <= 1024)
        #expect(caption.contains("Disk used on /var"), "the fullest mount by default: \(caption)")
        // 78 % after 3 h at +6 %/h: 22 points to go = 3 h 40 min.
        #expect(caption.contains("Full in ~3 h 40 min at the last hour's rate (+6.0 %/h)"), "\(caption)")
        #expect(caption.contains("Chart: line of disk used on /var") && caption.contains("Europe/Berlin"), "alt text: \(caption)")
        #expect(caption.contains("Other mounts: /"))

        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 2, text: "/graph disk / 7d")))
        let week = HTML.toPlainText(fake.calls("sendPhoto").last?.fields["caption"] ?? "")
        #expect(week.contains("Disk used on / — the last 7 d") && week.contains("Not filling"), "\(week)")

        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 3, text: "/graph")))
        let list = HTML.toPlainText(fake.sentMessages(chatID: -100).last?.text ?? "")
        #expect(list.contains("/graph disk [mount]") && list.contains("(/, /var)") && list.contains("/graph memory <service>") && list.contains("/graph payments"), "\(list)")

        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 4, text: "/graph disk /nope")))
        let nope = HTML.toPlainText(fake.sentMessages(chatID: -100).last?.text ?? "")
        #expect(nope.contains("no history for mount /nope (known: /, /var)"), "\(nope)")
        await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 5, text: "/graph disk 90d")))
        let range = HTML.toPlainText(fake.sentMessages(chatID: -100).last?.text ?? "")
        #expect(range.contains("period: 90d is out of range"), "\(range)")
    }

    @Test func alertsPaymentsAndMemoryCharts() async throws {
        let clock = ManualClock()
        let (fake, app, router) = try make(clock)
        defer { fake.stop() }
        for i in 0..<120 {
            app.store.history.record([("payments:pending", Double(i / 30)), ("alerts:firing", Double(i % 3)), ("memory:worker", 200 + Double(i))], at: clock.now())
            clock.advance(by: 60)
        }
        for cmd in ["/graph payments 30d", "/graph alerts 7d", "/graph memory worker 24h", "/graph restarts"] {
            await router.handle(.message(IncomingMessage(chatID: -100, userID: 1, messageID: 1, text: cmd)))
        }
        let photos = fake.calls("sendPhoto")
        #expect(photos.count == 4, "\(fake.sentMessages(chatID: -100).map { $0.text ?? $0.fields["caption"] ?? "" })")
        #expect(photos.allSatisfy { $0.status == 200 })
        let captions = photos.map { HTML.toPlainText($0.fields["caption"] ?? "") }
        #expect(captions[0].contains("Pending payments") && captions[1].contains("Alerts firing") && captions[2].contains("Memory of worker"))
    }

    @Test func aChartThatCannotBeDrawnFallsBackToText() throws {
        let spec = ChartSpec(title: "t", unit: "%", start: Date(), end: Date().addingTimeInterval(-10), points: [])
        let chart = BuiltChart(spec: spec, caption: "<b>t</b>", summary: ["Disk used on /", "Now 50 %", "alt"], fallback: "7 Dec 10:00  50 %")
        // A missing library stands for any drawing failure.
        let reply = GraphFeature.reply(chart, filename: "disk.png") { _ in throw ChartError("cannot load libcairo.so.2 (install libcairo2)") }
        #expect(reply.attachment == nil)
        let text = HTML.toPlainText(reply.html)
        #expect(text.contains("Now 50 %") && text.contains("7 Dec 10:00  50 %") && text.contains("the chart could not be drawn"), "\(text)")
    }

    /// In the console the PNG is written to a file and its path printed.
    @Test func consoleSavesThePictureAndPrintsItsPath() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-console-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = Locked("")
        let console = ConsoleTransport(fileDirectory: dir) { text in out.withLock { $0 += text } }
        let png = try ChartRenderer.png(ChartSpec(title: "t", unit: "%", start: Date(), end: Date().addingTimeInterval(3600), points: []))
        _ = try await console.send(Reply(html: "<b>Disk</b> full in ~3 h", attachment: Attachment(filename: "disk.png", data: png, kind: .photo)), to: 1)
        let text = out.current
        #expect(text.contains("Disk full in ~3 h") && text.contains("🖼 disk.png (\(png.count) bytes) saved to \(dir)/disk.png"), "\(text)")
        #expect(FileManager.default.contents(atPath: "\(dir)/disk.png") == png)
        #expect(!text.contains("PNG"), "no binary printed")
    }

    @Test func timezoneIsValidatedStrictly() throws {
        let bad = try OpsbotConfig.parse("timezone: Mars/Olympus\n", source: "c.yaml", baseDirectory: "/")
        let e = try #require(GraphFeature.validate(bad).first)
        #expect(e.key == "timezone" && e.message.contains("not a time zone name"))
        let good = try OpsbotConfig.parse("timezone: Asia/Tokyo\n", source: "c.yaml", baseDirectory: "/")
        #expect(GraphFeature.validate(good).isEmpty)
        #expect(try GraphFeature.timeZone(good).identifier == "Asia/Tokyo")
    }

    /// Item 3: the `disk_fill` alert's firing message gets its chart as a photo replying to it.
    @Test func diskFillAlertCarriesItsChart() async throws {
        let clock = ManualClock()
        let (fake, app, _) = try make(clock)
        defer { fake.stop() }
        fill(app, clock, minutes: 120, from: 70, perHour: 10)
        let svc = try app.alertsFeature.service()
        let fire = CheckResult(check: "disk_fill", target: "/var", status: .warning, summary: "/var full in ~1 h 10 min at the last hour's rate", remediation: "/disk")
        for _ in 0..<2 { svc.submit("disk", [fire]); svc.evaluateRound(); await svc.deliver(app); clock.advance(by: 30) }
        let firing = try #require(fake.sentMessages(chatID: -100).first { $0.method == "sendMessage" && ($0.text ?? "").contains("disk_fill") })
        let photo = try #require(fake.calls("sendPhoto").first)
        #expect(photo.fields["reply_parameters"]?.contains("\"message_id\":\(firing.resultMessageID ?? -1)") == true)
        #expect(photo.fields["disable_notification"] == "true")
        #expect(HTML.toPlainText(photo.fields["caption"] ?? "").contains("Full in"))
    }
}
