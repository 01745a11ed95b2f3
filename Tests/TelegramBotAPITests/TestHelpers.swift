import Foundation
import OpsbotSupport
import TelegramBotAPI
import TestKit

/// A token shaped like a real one; every test checks it never leaks.
let testToken = "987654321:" + "AAHfakeTokenOnlyForOpsbotTests_0123456789xyz"

func makeFake() throws -> (FakeBotAPI, BotAPI) {
    let fake = try FakeBotAPI(token: testToken)
    return (fake, BotAPI(baseURL: fake.baseURL, token: testToken, requestTimeout: 10))
}

/// Thread-safe list for values seen by handlers and sleepers.
final class Recorder<T: Sendable>: @unchecked Sendable {
    private let items = Locked<[T]>([])
    func append(_ v: T) { items.withLock { $0.append(v) } }
    var all: [T] { items.current }
}

/// Polls `condition` until true or timeout.
func eventually(timeout: Double = 5, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return condition()
}
