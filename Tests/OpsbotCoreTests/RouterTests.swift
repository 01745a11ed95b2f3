import Foundation
import LocalStore
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

/// A destructive test module: counts how often its confirmed action really ran.
struct CountingModule: CommandModule {
    let runs: Locked<Int>
    var delay: Double = 0
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let runs = runs
        let delay = delay
        return .confirm(ConfirmationPlan(preview: "Will restart <b>worker</b>", confirmLabel: "Restart", auditAction: "restart worker") { progress in
            await progress.update("restarting worker…")
            if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
            runs.withLock { $0 += 1 }
            return Reply(html: "worker healthy after 1 s")
        })
    }
}

struct EchoModule: CommandModule {
    var sleep: Double = 0
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        if sleep > 0 { try? await ctx.app.clock.sleep(seconds: sleep) }
        return .reply(.text("echo " + (ctx.request.string("n") ?? "-")))
    }
}

struct ChooserModule: CommandModule {
    let runs: Locked<Int>
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        .choose(prompt: "Which service?", choices: ["web", "worker"].map { name in
            Choice(name) { await CountingModule(runs: runs).handle(ctx) }
        })
    }
}

final class RouterHarness: @unchecked Sendable {
    let app: AppContext
    let transport: RecordingTransport
    let router: Router
    let clock = ManualClock()
    let runs = Locked(0)
    let stateDir: String

    static let adminChat: Int64 = -1001
    static let admin: Int64 = 1
    static let admin2: Int64 = 2

    init(approver: Config.Approver = .initiator, stateDir: String? = nil, slowRun: Double = 0, language: String = "en",
         held: HeldTransport? = nil, previewWait: Double = 5) throws {
        var config = try OpsbotConfig.parse("""
            language: \(language)
            admins:
              chats: [-1001]
              users: [1, 2, {id: 3, roles: [viewer]}]
            confirmations:
              expiry: 60s
              approver: \(approver.rawValue)
            """, source: "test.yaml", baseDirectory: "/")
        config.stateDir = "unused"
        self.stateDir = stateDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-router-\(UUID().uuidString)").path
        let store = try Store(directory: self.stateDir)
        transport = held?.recorder ?? RecordingTransport()
        let catalog = Catalog([
            .init(command: CatalogCommand(name: "echo", description: "echo", module: "echo",
                                          arguments: [ArgumentSpec(name: "n", type: .int, required: false, max: 100)]), module: EchoModule()),
            .init(command: CatalogCommand(name: "slow", description: "slow", module: "echo"), module: EchoModule(sleep: 3)),
            .init(command: CatalogCommand(name: "restart", description: "restart", module: "x", confirm: true, roles: ["operator"]),
                  module: CountingModule(runs: runs, delay: slowRun)),
            .init(command: CatalogCommand(name: "pick", description: "pick", module: "x", confirm: true), module: ChooserModule(runs: runs)),
        ])
        app = AppContext(config: config, store: store, clock: clock, transport: held ?? transport, catalog: catalog)
        router = Router(app: app, progressDelay: 0.1, previewWait: previewWait)
        router.botUsername = "ops_bot"
    }

    func say(_ text: String, chat: Int64 = adminChat, user: Int64 = admin, languageCode: String? = nil) async {
        await router.handle(.message(IncomingMessage(chatID: chat, userID: user, username: "u\(user)", messageID: 1, text: text,
                                                     languageCode: languageCode)))
    }

    /// Presses button `index` of the latest message with buttons.
    func press(_ index: Int, user: Int64 = admin, chat: Int64 = adminChat, languageCode: String? = nil) async {
        guard let (ref, buttons) = latestButtons(), index < buttons.count else { Issue.record("no buttons"); return }
        await router.handle(.callback(IncomingCallback(id: UUID().uuidString, chatID: chat, userID: user, messageID: ref.messageID,
                                                       data: buttons[index].data, languageCode: languageCode)))
    }

    func latestButtons() -> (MessageRef, [Button])? {
        for e in transport.events.reversed() {
            switch e {
            case .sent(let chat, let id, let r) where !r.buttons.isEmpty: return (MessageRef(chatID: chat, messageID: id), r.buttons.flatMap { $0 })
            case .edited(let ref, let r) where !r.buttons.isEmpty: return (ref, r.buttons.flatMap { $0 })
            default: continue
            }
        }
        return nil
    }

    var lastText: String { transport.texts.last ?? "" }
}

@Suite struct RouterTests {
    @Test func commandGetsItsReply() async throws {
        let h = try RouterHarness()
        await h.say("/echo 7")
        #expect(h.lastText == "echo 7")
        await h.say("/echo@ops_bot 8")
        #expect(h.lastText == "echo 8")
    }

    @Test func commandsForAnotherBotAreIgnored() async throws {
        let h = try RouterHarness()
        await h.say("/echo@other_bot 1")
        await h.say("just chatting")
        #expect(h.transport.events.isEmpty)
    }

    @Test func strangersGetOneRefusalAndAreAudited() async throws {
        let h = try RouterHarness()
        await h.say("/restart", chat: 555, user: 1)   // admin, foreign chat
        await h.say("/restart", chat: 555, user: 1)
        await h.say("/restart", chat: -1001, user: 99)  // stranger, admin chat
        await h.say("/restart", chat: -1001, user: 99)
        #expect(h.transport.texts.filter { $0.contains("Not authorized") }.count == 2)
        #expect(h.transport.texts.allSatisfy { $0.contains("Not authorized") })
        let audit = try h.app.store.recentAudit(limit: 10)
        #expect(audit.count == 4)
        #expect(audit.allSatisfy { $0.outcome.hasPrefix("refused") })
        #expect(audit.contains { $0.chatID == 555 && $0.userID == 1 })
        #expect(audit.contains { $0.chatID == -1001 && $0.userID == 99 })
        #expect(h.runs.current == 0)
    }

    @Test func badArgumentsAreExplainedAndNothingRuns() async throws {
        let h = try RouterHarness()
        await h.say("/echo lots")
        #expect(h.lastText.contains("n must be a whole number"))
        await h.say("/echo 500")
        #expect(h.lastText.contains("at most 100"))
        await h.say("/nope")
        #expect(h.lastText.contains("Unknown command /nope"))
    }

    @Test func rolesAreEnforced() async throws {
        let h = try RouterHarness()
        await h.say("/restart", user: 3)
        #expect(h.lastText.contains("needs the role operator"))
        #expect(h.latestButtons() == nil)
    }

    @Test func confirmRunsExactlyOnce() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        #expect(h.lastText.contains("Will restart worker"))
        #expect(h.latestButtons()?.1.map(\.text) == ["✅ Restart", "✖ Cancel"])
        let data = h.latestButtons()!.1[0].data
        #expect(data.utf8.count <= 64)
        await h.press(0)
        #expect(h.runs.current == 1)
        #expect(h.lastText.contains("worker healthy after 1 s"))
        #expect(h.lastText.contains("Will restart worker"), "what ran stays above the result: \(h.lastText)")
        #expect(h.transport.texts.contains { $0.contains("restarting worker…") })
        // The same button again, as a replayed callback.
        await h.router.handle(.callback(IncomingCallback(id: "again", chatID: RouterHarness.adminChat, userID: 1, messageID: 101, data: data)))
        #expect(h.runs.current == 1)
        #expect(h.transport.callbackAnswers.last == "Already done. It runs only once.")
    }

    @Test func simultaneousPressesRunOnce() async throws {
        let h = try RouterHarness(approver: .anyAdmin, slowRun: 0.2)
        await h.say("/restart")
        async let a: Void = h.press(0, user: 1)
        async let b: Void = h.press(0, user: 2)
        async let c: Void = h.press(0, user: 1)
        _ = await (a, b, c)
        #expect(h.runs.current == 1)
        #expect(h.transport.callbackAnswers.filter { $0 == "Running…" }.count == 1)
    }

    @Test func cancelRunsNothing() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        let buttons = h.latestButtons()!
        await h.press(1)
        #expect(h.lastText.contains("Cancelled by admin 1. Nothing ran."))
        await h.router.handle(.callback(IncomingCallback(id: "x", chatID: -1001, userID: 1, messageID: buttons.0.messageID, data: buttons.1[0].data)))
        #expect(h.runs.current == 0)
        #expect(h.transport.callbackAnswers.last == "Already cancelled. Nothing ran.")
    }

    @Test func expiresAndThenRunsNothing() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        let buttons = h.latestButtons()!
        await h.clock.sleepers(atLeast: 1)   // the expiry timer
        h.clock.advance(by: 59.9)
        #expect(h.clock.sleeperCount == 1 && !h.lastText.contains("Expired"))
        h.clock.advance(by: 0.2)              // 60 s and the timer's 50 ms of slack
        #expect(await eventually { h.lastText.contains("Expired after 1 min. Nothing ran.") })
        await h.router.handle(.callback(IncomingCallback(id: "x", chatID: -1001, userID: 1, messageID: buttons.0.messageID, data: buttons.1[0].data)))
        #expect(h.runs.current == 0)
        #expect(h.transport.callbackAnswers.last == "Expired. Nothing ran.")
    }

    @Test func pressAfterExpiryWithoutSweepRunsNothing() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        h.clock.advance(by: 60)
        await h.press(0)
        #expect(h.runs.current == 0)
        #expect(h.transport.callbackAnswers.last == "Expired. Nothing ran.")
    }

    @Test func nonAdminPressRunsNothing() async throws {
        let h = try RouterHarness(approver: .anyAdmin)
        await h.say("/restart")
        await h.press(0, user: 99)
        await h.press(0, user: 1, chat: 777)
        #expect(h.runs.current == 0)
        #expect(h.transport.callbackAnswers == ["⛔ Not authorized.", "⛔ Not authorized."])
        await h.press(0, user: 2)
        #expect(h.runs.current == 1)
    }

    @Test func otherAdminCannotConfirmByDefault() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        await h.press(0, user: 2)
        #expect(h.runs.current == 0)
        #expect(h.transport.callbackAnswers.last == "⛔ only the admin who asked can confirm this")
    }

    @Test func twoPersonRule() async throws {
        let h = try RouterHarness(approver: .secondAdmin)
        await h.say("/restart")
        #expect(h.lastText.contains("Another admin must confirm"))
        await h.press(0, user: 1)
        #expect(h.runs.current == 0)
        await h.press(0, user: 2)
        #expect(h.runs.current == 1)
    }

    @Test func forgedNonceRunsNothing() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        let ref = h.latestButtons()!.0
        await h.router.handle(.callback(IncomingCallback(id: "f", chatID: -1001, userID: 1, messageID: ref.messageID, data: "c:AAAAAAAAAAAAAAAA:y")))
        await h.router.handle(.callback(IncomingCallback(id: "g", chatID: -1001, userID: 1, messageID: ref.messageID, data: "c:garbage")))
        await h.router.handle(.callback(IncomingCallback(id: "h", chatID: -1001, userID: 1, messageID: ref.messageID, data: "zz:1")))
        #expect(h.runs.current == 0)
        #expect(h.transport.callbackAnswers.allSatisfy { $0?.contains("no longer valid") == true })
    }

    @Test func multiStepChooseThenConfirm() async throws {
        let h = try RouterHarness()
        await h.say("/pick")
        #expect(h.latestButtons()?.1.map(\.text) == ["web", "worker", "✖ Cancel"])
        await h.press(1)
        #expect(h.lastText.contains("Will restart worker"))
        await h.press(0)
        #expect(h.runs.current == 1)
    }

    @Test func slowCommandShowsProgressThenTheResult() async throws {
        let h = try RouterHarness()
        let saying = Task { await h.say("/slow") }
        await h.clock.sleepers(atLeast: 2)   // the 0.1 s "working…" timer and the 3 s command
        h.clock.advance(by: 0.1)
        #expect(await eventually { h.transport.texts == ["⏳ /slow is running…"] })
        h.clock.advance(by: 3)
        await saying.value
        #expect(h.transport.texts == ["⏳ /slow is running…", "echo -"])
        if case .edited = h.transport.events.last {} else { Issue.record("the result did not replace the progress message") }
    }

    @Test func restartAbandonsOldConfirmations() async throws {
        let h = try RouterHarness()
        await h.say("/restart")
        let again = try RouterHarness(stateDir: h.stateDir)
        await again.router.start()
        #expect(again.transport.texts.first?.contains("expired when opsbot restarted") == true)
        #expect(again.runs.current == 0)
    }

    @Test func actionInterruptedByAStopIsReportedNotRerun() async throws {
        let h = try RouterHarness()
        try h.app.store.db.execute("""
            INSERT INTO confirmations(nonce, chat_id, message_id, initiator, action, state, created_at, expires_at)
            VALUES('n1', -1001, 42, 1, 'restart worker', 'running', 0, 60)
            """)
        let again = try RouterHarness(stateDir: h.stateDir)
        await again.router.start()
        #expect(again.transport.texts.first?.contains("stopped while this was running") == true)
        #expect(try again.app.store.db.query("SELECT state FROM confirmations WHERE nonce = 'n1'").first?.first?.text == "interrupted")
        #expect(again.runs.current == 0)
    }
}

/// A press that comes back before the router recorded its preview's message id (updates are
/// handled concurrently). On threads of their own: the press and the held send are child tasks,
/// and the suite's first seconds keep the shared pool busy for longer than `eventually` waits.
@Suite(.ownThreads) struct PressOvertakesPreviewTests {
    @Test func aPressThatOvertakesItsPreviewWaitsForItThenRunsOnce() async throws {
        let held = HeldTransport()
        let h = try RouterHarness(held: held)
        held.hold(afterDelivery: true)
        async let asked: Void = h.say("/restart")
        // The preview is in the chat and pressed; its sender has not learnt the message id yet.
        #expect(await eventually { h.latestButtons() != nil })
        async let pressed: Void = h.press(0)
        try await Task.sleep(for: .milliseconds(300))
        #expect(h.runs.current == 0 && h.transport.callbackAnswers.isEmpty)
        held.release()
        _ = await (asked, pressed)
        #expect(h.runs.current == 1)
        #expect(h.transport.callbackAnswers == ["Running…"])
        #expect(h.lastText.contains("worker healthy after 1 s"))
    }

    @Test func aPressWhosePreviewNeverArrivesRunsNothing() async throws {
        let held = HeldTransport()
        let h = try RouterHarness(held: held, previewWait: 0.3)
        held.hold(afterDelivery: true)
        async let asked: Void = h.say("/restart")
        #expect(await eventually { h.latestButtons() != nil })
        await h.press(0)
        #expect(h.transport.callbackAnswers == ["This confirmation is still being sent — press again in a moment. Nothing ran."])
        #expect(try h.app.store.recentAudit(limit: 5).contains { $0.arguments == "restart worker" && $0.outcome == "rejected: preview still being sent" })
        held.release()
        await asked
        #expect(h.runs.current == 0)
        await h.press(0)
        #expect(h.runs.current == 1, "once delivered, the same button works")
    }
}
