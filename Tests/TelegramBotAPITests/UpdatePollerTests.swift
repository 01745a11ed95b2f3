import Foundation
import OpsbotSupport
import TelegramBotAPI
import Testing
import TestTraits
import TestKit

@Suite(.exclusive) struct UpdatePollerTests {
    @Test func offsetIsPersistedBeforeHandlingAndARestartSeesNoOldUpdates() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let ids = [fake.enqueueMessage(chatID: 1, userID: 2, text: "/restart"),
                   fake.enqueueMessage(chatID: 1, userID: 2, text: "/status")]
        let stored = Locked<Int64?>(nil)
        let events = Recorder<String>()
        let poller = UpdatePoller(api: api, pollTimeout: 1, initialOffset: nil)
        let task = Task {
            try await poller.run(persistOffset: { off in
                stored.withLock { $0 = off }
                events.append("persist \(off)")
            }, handle: { u in
                // The stored offset already confirms the update being handled.
                events.append("handle \(u.updateID) stored=\(stored.current ?? -1)")
            })
        }
        #expect(await eventually { events.all.count == 4 })
        task.cancel()
        try await task.value
        #expect(events.all == ["persist \(ids[0] + 1)", "handle \(ids[0]) stored=\(ids[0] + 1)",
                               "persist \(ids[1] + 1)", "handle \(ids[1]) stored=\(ids[1] + 1)"])

        // "Restart": a new poller from the stored offset gets only what came later.
        let newer = fake.enqueueMessage(chatID: 1, userID: 2, text: "/ping")
        let handled = Recorder<Int64>()
        let restarted = UpdatePoller(api: api, pollTimeout: 1, initialOffset: stored.current)
        let task2 = Task { try await restarted.run(persistOffset: { _ in }, handle: { handled.append($0.updateID) }) }
        #expect(await eventually { handled.all.count >= 1 })
        try await Task.sleep(nanoseconds: 200_000_000)
        task2.cancel()
        try await task2.value
        #expect(handled.all == [newer])
    }

    @Test func failingPersistenceStopsBeforeHandling() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        fake.enqueueMessage(chatID: 1, userID: 2, text: "/restart")
        struct DiskFull: Error {}
        let handled = Recorder<Int64>()
        let poller = UpdatePoller(api: api, pollTimeout: 1, initialOffset: nil)
        await #expect(throws: DiskFull.self) {
            try await poller.run(persistOffset: { _ in throw DiskFull() }, handle: { handled.append($0.updateID) })
        }
        #expect(handled.all.isEmpty)
    }

    @Test func rateLimitWaitsExactlyRetryAfter() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        fake.failNext(method: "getUpdates", status: 429, description: "Too Many Requests: retry after 7", retryAfter: 7)
        let clock = ManualClock()
        let poller = UpdatePoller(api: api, pollTimeout: 1, initialOffset: nil, backoff: Backoff(initial: 0.05, maximum: 0.1), clock: clock)
        let polls = Locked(0)  // what /healthz hears: successful polls only
        let task = Task { try await poller.run(persistOffset: { _ in }, polled: { polls.withLock { $0 += 1 } }, handle: { _ in }) }
        await clock.sleepers(atLeast: 1)
        #expect(clock.requestedSleeps == [.seconds(7)])
        clock.advance(by: .milliseconds(6999))
        #expect(clock.sleeperCount == 1 && fake.calls("getUpdates").count == 1)   // not a moment early
        #expect(polls.current == 0, "a refused poll is not a successful one")
        clock.advance(by: .milliseconds(1))
        #expect(await fake.waitFor(method: "getUpdates", count: 2, timeout: 5))
        #expect(await eventually { polls.current >= 1 }, "the answered poll counts")
        task.cancel()
        try await task.value
        let calls = fake.calls("getUpdates")
        #expect(calls[0].status == 429 && calls[1].status == 200)
    }

    @Test func serverErrorsBackOffExponentiallyWithCap() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        fake.failNext(method: "getUpdates", status: 502, description: "Bad Gateway", count: 5)
        let clock = ManualClock()
        let poller = UpdatePoller(api: api, pollTimeout: 0, initialOffset: nil, backoff: Backoff(initial: 2, maximum: 10),
                                  recoveryProbe: 60, clock: clock)   // the backoff itself, not the recovery probe
        let task = Task { try await poller.run(persistOffset: { _ in }, handle: { _ in }) }
        for n in 0..<5 {
            await clock.sleepers(atLeast: 1)
            #expect(fake.calls("getUpdates").count == n + 1)   // one call per wait: no retry before the wait is over
            clock.advance(by: clock.requestedSleeps[n])
        }
        #expect(await fake.waitFor(method: "getUpdates", count: 6, timeout: 5))
        task.cancel()
        try await task.value
        let s = clock.requestedSleeps.prefix(5).map(\.seconds)
        try #require(s.count == 5)
        // Attempt n waits within [c/2, c] with c = min(10, 2 * 2^n).
        for (n, wait) in s.enumerated() {
            let ceiling = min(10, 2 * pow(2, Double(n)))
            #expect(wait >= ceiling / 2 - 1e-9 && wait <= ceiling + 1e-9, "attempt \(n) waited \(wait)")
        }
        #expect(s[3] >= 5)  // grew from 1–2 to ≥ 5: exponential, and capped at 10
    }

    /// Issue 19 item 11: after a long outage the poller tries again within `recoveryProbe` (not
    /// after a backoff grown to 60 s), and that first poll is a short one, so `polled` — what
    /// /healthz reads — hears of the recovery at once, not when a 25 s long poll ends.
    @Test func recoveryIsNoticedWithinTheProbeIntervalByAShortPoll() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        fake.failNext(method: "getUpdates", status: 502, description: "Bad Gateway", count: 10)
        let clock = ManualClock()
        let poller = UpdatePoller(api: api, pollTimeout: 25, initialOffset: nil, backoff: Backoff(initial: 1, maximum: 60), clock: clock)
        let polls = Locked<[Date]>([])
        let task = Task { try await poller.run(persistOffset: { _ in }, polled: { polls.withLock { $0.append(clock.wallTime) } }, handle: { _ in }) }
        for n in 0..<10 {
            await clock.sleepers(atLeast: 1)
            clock.advance(by: clock.requestedSleeps[n])
        }
        // Telegram answers again: the 11th call. Recovery time = the last wait + the poll's answer.
        #expect(await eventually { !polls.current.isEmpty }, "the first good poll answers at once")
        task.cancel()
        try await task.value
        let waits = clock.requestedSleeps.prefix(10).map(\.seconds)
        #expect(waits.allSatisfy { $0 <= 5 }, "retried at least every 5 s: \(waits)")
        let calls = fake.calls("getUpdates")
        #expect(calls.count >= 11 && calls[10].fields["timeout"] == "0", "the first poll after the outage is a short one: \(calls.prefix(12).map { $0.fields["timeout"] ?? "-" })")
        #expect(calls[0].fields["timeout"] == "25")
    }

    @Test func backoffDelaysStayInBounds() {
        let b = Backoff(initial: 1, maximum: 60)
        for attempt in 0..<40 {
            let ceiling = min(60, pow(2, Double(min(attempt, 30))))
            let d = b.delay(attempt: attempt)
            #expect(d >= ceiling / 2 && d <= ceiling)
        }
    }

    @Test func unauthorizedStopsThePollerWithAClearError() async throws {
        let (fake, _) = try makeFake()
        defer { fake.stop() }
        let wrong = "222222222:" + "AAanotherWrongTokenForThePollerTest12"
        let poller = UpdatePoller(api: BotAPI(baseURL: fake.baseURL, token: wrong), pollTimeout: 1, initialOffset: nil)
        do {
            try await poller.run(persistOffset: { _ in }, handle: { _ in })
            Issue.record("expected a fatal error")
        } catch let e as PollerFatalError {
            #expect(e.description.contains("401"))
            #expect(e.description.contains("token"))
            #expect(!e.description.contains(wrong))
        }
        #expect(fake.calls("getUpdates").count == 1)
    }

    @Test func cancellationEndsAWaitingLongPollPromptly() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let poller = UpdatePoller(api: api, pollTimeout: 30, initialOffset: nil)
        let task = Task { try await poller.run(persistOffset: { _ in }, handle: { _ in }) }
        try await Task.sleep(nanoseconds: 300_000_000)
        let start = Date()
        task.cancel()
        try await task.value
        #expect(Date().timeIntervalSince(start) < 10)   // the long poll would wait 30 s
    }

    /// The poller awaits `handle`; a caller that dispatches each update into its own Task
    /// (as the router must) keeps serving commands while one is slow.
    @Test func updatesAreServedWhileAHandlerIsSlow() async throws {
        let (fake, api) = try makeFake()
        defer { fake.stop() }
        let done = Recorder<String>()
        let poller = UpdatePoller(api: api, pollTimeout: 1, initialOffset: nil)
        let task = Task {
            try await poller.run(persistOffset: { _ in }, handle: { u in
                let text = u.message?.text ?? ""
                Task {
                    if text == "/slow" { try? await Task.sleep(nanoseconds: 3_000_000_000) }
                    done.append(text)
                }
            })
        }
        fake.enqueueMessage(chatID: 1, userID: 2, text: "/slow")
        try await Task.sleep(nanoseconds: 200_000_000)
        fake.enqueueMessage(chatID: 1, userID: 2, text: "/fast")
        #expect(await eventually(timeout: 2) { done.all == ["/fast"] })
        task.cancel()
        try await task.value
    }
}

/// Tests that capture their own log lines (swift-log's task-local logger, so parallel suites do not interfere).
@Suite(.serialized) struct PollerLogTests {
    @Test(arguments: [
        ("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", "another instance is polling with the same bot token"),
        ("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", "a webhook is set"),
    ])
    func conflictsAreExplainedAndDoNotSpin(description: String, expected: String) async throws {
        let log = LogCapture()
        try await log.run {
            let (fake, api) = try makeFake()
            defer { fake.stop() }
            fake.failNext(method: "getUpdates", status: 409, description: description, count: 1000)
            let clock = ManualClock()
            let poller = UpdatePoller(api: api, pollTimeout: 1, initialOffset: nil, backoff: Backoff(initial: 0.2, maximum: 1), clock: clock)
            let task = Task { try await poller.run(persistOffset: { _ in }, handle: { _ in }) }
            // Each failure waits before the next try (a hot loop would make thousands of calls).
            for i in 0..<8 {
                await clock.sleepers(atLeast: 1)
                #expect(fake.calls("getUpdates").count == i + 1)
                clock.advance(by: clock.requestedSleeps[i])
            }
            await clock.sleepers(atLeast: 1)
            task.cancel()
            try await task.value
            let n = fake.calls("getUpdates").count
            #expect(n == 9, "getUpdates called \(n) times")
            #expect(clock.requestedSleeps.allSatisfy { $0 >= .milliseconds(100) && $0 <= .seconds(1) })
            let warnings = log.lines.filter { $0.contains("409") }
            #expect(warnings.contains { $0.contains(expected) })
            #expect(warnings.count < n, "one line per escalation, not one per retry")
            #expect(!log.lines.contains { $0.contains(testToken) })
        }
    }

    @Test func tokenNeverAppearsInLogsOrErrors() async throws {
        let log = LogCapture()
        try await log.run {
            let (fake, api) = try makeFake()
            defer { fake.stop() }
            fake.failNext(method: "getUpdates", status: 500, description: "Internal Server Error", count: 2)
            let clock = ManualClock()
            let poller = UpdatePoller(api: api, pollTimeout: 0, initialOffset: nil, backoff: Backoff(initial: 0.01, maximum: 0.02), clock: clock)
            let task = Task { try await poller.run(persistOffset: { _ in }, handle: { _ in }) }
            await clock.advanceWhenAsleep(by: .seconds(1))
            await clock.advanceWhenAsleep(by: .seconds(1))
            #expect(await fake.waitFor(method: "getUpdates", count: 3))
            task.cancel()
            try await task.value
            // Network failure: the URL (with the token) is in curl's context, never in the text.
            let dead = BotAPI(baseURL: "http://127.0.0.1:1", token: testToken)
            var texts = log.lines
            do { _ = try await dead.getMe() } catch { texts.append("\(error)"); Log.error("getMe failed: \(error)") }
            texts += log.lines
            texts += fake.calls.map { String(decoding: $0.body, as: UTF8.self) }
            #expect(log.lines.contains { $0.contains("getUpdates failed") })
            #expect(texts.count > 3)
            for t in texts { #expect(!t.contains(testToken) && !t.contains("AAHfakeToken"), "leak: \(t)") }
        }
    }
}
