import Foundation
import Testing
import TestHarness
@testable import OpsbotCore

/// A recording transport whose sends can be held in flight, to put the "working…" send and
/// the result in every order. `hold(afterDelivery: true)` holds the answer instead: the message
/// is in the chat (recorded, pressable) but its sender has not learnt its id yet.
final class HeldTransport: ChatTransport, Sendable {
    let recorder = RecordingTransport()
    private let held = Locked<(holding: Bool, afterDelivery: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, false, []))

    func hold(afterDelivery: Bool = false) { held.withLock { $0.holding = true; $0.afterDelivery = afterDelivery } }
    var sendsInFlight: Int { held.withLock { $0.waiting.count } }
    func release() {
        let waiting = held.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.holding = false
            defer { s.waiting = [] }
            return s.waiting
        }
        for c in waiting { c.resume() }
    }

    func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef {
        if held.withLock({ $0.afterDelivery }) {
            let ref = try await recorder.send(reply, to: chatID)
            await wait()
            return ref
        }
        await wait()
        return try await recorder.send(reply, to: chatID)
    }

    private func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let go = held.withLock { s -> Bool in
                if s.holding { s.waiting.append(c); return false }
                return true
            }
            if go { c.resume() }
        }
    }
    func edit(_ ref: MessageRef, _ reply: Reply) async throws { try await recorder.edit(ref, reply) }
    func answerCallback(_ id: String, text: String?) async { await recorder.answerCallback(id, text: text) }
}

/// A command's message: a late "working…" timer and the result never make two messages,
/// whichever comes first — driven by the manual clock, as the router drives it.
@Suite struct MessageProgressTests {
    let working = "⏳ /slow is running…"

    func sends(_ t: HeldTransport) -> Int { t.recorder.events.filter { if case .sent = $0 { true } else { false } }.count }

    @Test func timerBeforeTheResult() async throws {
        let (t, clock) = (HeldTransport(), ManualClock())
        let p = MessageProgress(transport: t, chatID: 1)
        let timer = p.showWorking(working, after: 1, on: clock)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: 1)
        await timer.value
        #expect(t.recorder.texts == [working])
        await p.finish(.text("echo -"))
        #expect(t.recorder.texts == [working, "echo -"])
        #expect(sends(t) == 1)   // the result replaced the notice
    }

    @Test func resultBeforeTheTimer() async throws {
        let (t, clock) = (HeldTransport(), ManualClock())
        let p = MessageProgress(transport: t, chatID: 1)
        let timer = p.showWorking(working, after: 1, on: clock)
        await clock.sleepers(atLeast: 1)
        await p.finish(.text("echo -"))
        // Not cancelled (the worst case): the timer fires after the result and shows nothing.
        clock.advance(by: 1)
        await timer.value
        #expect(t.recorder.texts == ["echo -"])
    }

    @Test func timerFiresExactlyAsTheResultArrives() async throws {
        let (t, clock) = (HeldTransport(), ManualClock())
        let p = MessageProgress(transport: t, chatID: 1)
        let timer = p.showWorking(working, after: 1, on: clock)
        await clock.sleepers(atLeast: 1)
        t.hold()
        clock.advance(by: 1)                             // the notice is on its way…
        #expect(await eventually { t.sendsInFlight == 1 })
        let result = Task { await p.finish(.text("echo -")) }   // …when the result arrives
        try await Task.sleep(for: .milliseconds(50))
        #expect(t.recorder.events.isEmpty)               // the result waits for the notice's message
        t.release()
        let ref = await result.value
        await timer.value
        #expect(t.recorder.texts == [working, "echo -"])
        #expect(sends(t) == 1)
        guard case .edited(let edited, _) = t.recorder.events.last else { Issue.record("the result was not an edit"); return }
        #expect(edited == ref)
    }

    @Test func aLateTimerAfterTheResultWasQueuedShowsNothing() async throws {
        let (t, clock) = (HeldTransport(), ManualClock())
        let p = MessageProgress(transport: t, chatID: 1)
        let timer = p.showWorking(working, after: 1, on: clock)
        await clock.sleepers(atLeast: 1)
        t.hold()
        let result = Task { await p.finish(.text("echo -")) }   // the result's send is on its way…
        #expect(await eventually { t.sendsInFlight == 1 })
        clock.advance(by: 1)                                     // …when the timer fires
        await timer.value
        t.release()
        await result.value
        #expect(t.recorder.texts == ["echo -"])
    }

    @Test func progressUpdatesEditTheOneMessage() async throws {
        let t = HeldTransport()
        let p = MessageProgress(transport: t, chatID: 1)
        await p.update("step 1")
        await p.update("step 2")
        await p.showWorking(working)   // something is shown already: no notice
        await p.finish(.text("done"))
        await p.update("too late")
        #expect(t.recorder.texts == ["step 1", "step 2", "done"])
        #expect(sends(t) == 1)
    }
}
