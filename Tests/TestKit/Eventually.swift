import Foundation

/// Polls `condition` until it holds or `timeout` (wall) seconds pass: for effects that happen
/// on other tasks after a test moved a manual clock. The timeout only bounds a failing test.
public func eventually(timeout: Double = 10, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
