import Foundation
import OpsbotSupport

/// What /status and the services checks say: the status screen's framing and every check
/// summary that reaches the chat (kept in both languages through `CheckResult(…message:)`).
/// Plain text unless the case says HTML (the screen's own parts); rendered in
/// StatusText+English.swift and StatusText+Russian.swift.
enum StatusText: MessageCatalog {
    // The /status screen (HTML parts)
    case allGood
    case problems(count: Int)
    case alerts(firing: Int, muted: Int)
    case checkedIn(seconds: Double)
    case group(label: String)
    case more(count: Int)
    case alsoOK
    case databaseNotConfigured
    case providerNoAnswer(provider: String)
    case okRunning(count: Int)
    case okBot(username: String, webhookSet: Bool, pending: Int)
    case okPlain
    case okNamed(name: String)
    case okCount(count: Int)
    case tableState(state: String)
    case tableUp(seconds: Double)
    case tableRestartsPerHour(count: Int)
    case tableRestarts(count: Int)
    case tableInstancesUnknown
    case tableAgo(seconds: Double)
    // Service checks
    case serviceRunning(service: String, detail: LocalizedText)
    case serviceStarting(service: String, detail: LocalizedText)
    case serviceDown(service: String, state: String, detail: LocalizedText)
    case serviceUnknown(service: String, why: LocalizedText)
    case statusLate(seconds: Double)
    case instancesUnknown(service: String, why: LocalizedText)
    case platformCopies(service: String, configured: Int, running: Int, expected: Int, bot: Bool)
    case instancesTooMany(service: String, running: Int, expected: Int, bot: Bool)
    case instancesMatchWarning(service: String, running: Int, warning: LocalizedText)
    case instancesOK(service: String, running: Int)
    case restartsLastHour(service: String, count: Int)
    case restartLoop(service: String, restarts: Int, upSeconds: Int?, detail: LocalizedText)
    case memoryGrowth(service: String, mbPerHour: Double, machineBytes: Int?, reachIn: Double?)
    // Health and dependencies
    case healthSummary(status: Int, seconds: Double, expect: Int)
    case healthNoAnswer
    case healthNoAnswerWithin(seconds: Double)
    case healthConnect
    case healthDNS
    case healthStarting(target: String, summary: LocalizedText, service: String, up: Double, grace: Double)
    case healthFailing(target: String, summary: LocalizedText)
    case healthSlow(target: String, summary: LocalizedText, slowAbove: Double)
    case healthOK(target: String, summary: LocalizedText)
    case dependency(name: String, detail: LocalizedText)
    case dependencyHTTP(status: Int)
    case dependencyTCPOK
    case dependencyNoResolve
    case dependencyResolves(count: Int)
    case tcpCannotResolve(host: String)
    case tcpSocketFailed
    case tcpConnectFailed(error: String)
    case tcpTimedOut(seconds: Double)
    // Disk
    case diskNoAnswer
    case disk(mount: String, usedPercent: Double, freeBytes: Int, inodesPercent: Double?)
    case logGrowthUnknown(path: String, bytes: Int)
    case logGrowth(path: String, mbPerHour: Double, limit: Double, bytes: Int, freeBytes: Int?, mount: String?)
    case fillMeasuring(mount: String, needs: Double)
    case fillIn(mount: String, seconds: Double, window: Double, rate: Double, usedPercent: Double, freeBytes: Int)
    case notFilling(mount: String, rate: Double, window: Double, usedPercent: Double)
    // The target bot
    case botProblem(error: LocalizedText)
    case botNoAnswer(seconds: Double)
    case botTokenEnvMissing(env: String)
    case unreachable(method: String, words: LocalizedText)
    case notBotAPI(method: String, status: Int)
    case refused(method: String, code: String, description: String)
    case botTokenOK(username: String)
    case webhookWhilePolling(url: String)
    case webhookMissing
    case webhookError(ago: Double, message: String)
    case pendingUpdates(count: Int)
    case webhookOK(set: Bool, pending: Int)
    // Logs, heartbeat, env
    case logsUnreadable(service: String)
    case logPattern(service: String, hits: Int, pattern: String, window: Double)
    case heartbeatWaiting(service: String, startedAgo: Double)
    case heartbeatFresh(service: String, age: Double)
    case heartbeatMissing(service: String, pattern: String, maxAge: Double)
    case configInvalid(error: LocalizedText)
    case envRules(service: String, ok: Int, total: Int, failing: [String])
    case envUnreadable(service: String, error: LocalizedText)

    /// An error as a check summary keeps it: its catalog text in every language when its type
    /// is Localizable (the backends' errors), else its description in both.
    static func errorText(_ error: any Error, redacted: Bool = false) -> LocalizedText {
        let t = (error as? any Localizable)?.localized ?? LocalizedText(verbatim: "\(error)")
        return redacted ? LocalizedText(en: Redactor.shared.redact(t.en), ru: Redactor.shared.redact(t.ru)) : t
    }

    static var samples: [StatusText] {
        [
            .allGood, .problems(count: 21), .alerts(firing: 2, muted: 1), .checkedIn(seconds: 1.25), .group(label: "alert delivery"),
            .more(count: 2), .alsoOK, .databaseNotConfigured, .providerNoAnswer(provider: "payments"), .okRunning(count: 3),
            .okBot(username: "shop_bot", webhookSet: false, pending: 0), .okPlain, .okNamed(name: "db"), .okCount(count: 2),
            .tableState(state: "running"), .tableUp(seconds: 7200), .tableRestartsPerHour(count: 2), .tableRestarts(count: 5),
            .tableInstancesUnknown, .tableAgo(seconds: 3600),
            .serviceRunning(service: "worker", detail: LocalizedText(verbatim: "…")), .serviceStarting(service: "worker", detail: LocalizedText(verbatim: "…")),
            .serviceDown(service: "worker", state: "failed", detail: LocalizedText(verbatim: "…")), .serviceUnknown(service: "worker", why: LocalizedText(verbatim: "…")), .statusLate(seconds: 16),
            .instancesUnknown(service: "bot", why: LocalizedText(verbatim: "…")), .platformCopies(service: "bot", configured: 2, running: 2, expected: 1, bot: true),
            .instancesTooMany(service: "bot", running: 2, expected: 1, bot: true), .instancesMatchWarning(service: "bot", running: 1, warning: LocalizedText(verbatim: "…")),
            .instancesOK(service: "bot", running: 1), .restartsLastHour(service: "worker", count: 22),
            .restartLoop(service: "worker", restarts: 5, upSeconds: 12, detail: LocalizedText(verbatim: "…")),
            .memoryGrowth(service: "worker", mbPerHour: 35, machineBytes: 2_000_000_000, reachIn: 7200),
            .healthSummary(status: 503, seconds: 0.035, expect: 200), .healthNoAnswer, .healthNoAnswerWithin(seconds: 5), .healthConnect, .healthDNS,
            .healthStarting(target: "web:/healthz", summary: LocalizedText(verbatim: "503"), service: "web", up: 20, grace: 60),
            .healthFailing(target: "web:/healthz", summary: StatusText.healthConnect.localized), .healthSlow(target: "web:/healthz", summary: LocalizedText(verbatim: "200"), slowAbove: 2),
            .healthOK(target: "web:/healthz", summary: LocalizedText(verbatim: "200")),
            .dependency(name: "yookassa", detail: StatusText.dependencyTCPOK.localized), .dependencyHTTP(status: 200), .dependencyTCPOK, .dependencyNoResolve,
            .dependencyResolves(count: 2), .tcpCannotResolve(host: "db.local"), .tcpSocketFailed, .tcpConnectFailed(error: "…"),
            .tcpTimedOut(seconds: 3),
            .diskNoAnswer, .disk(mount: "/var", usedPercent: 91, freeBytes: 2_000_000_000, inodesPercent: 90),
            .logGrowthUnknown(path: "/var/log/app.log", bytes: 5_000_000),
            .logGrowth(path: "/var/log/app.log", mbPerHour: 120, limit: 50, bytes: 5_000_000, freeBytes: 100_000_000, mount: "/var"),
            .fillMeasuring(mount: "/var", needs: 900),
            .fillIn(mount: "/var", seconds: 12_000, window: 3600, rate: 2.1, usedPercent: 91, freeBytes: 2_000_000_000),
            .notFilling(mount: "/var", rate: 0, window: 1800, usedPercent: 40),
            .botProblem(error: StatusText.botTokenEnvMissing(env: "BOT_TOKEN").localized), .botNoAnswer(seconds: 10), .botTokenEnvMissing(env: "BOT_TOKEN"), .unreachable(method: "getMe", words: LocalizedText(en: "no answer within 5 s", ru: "нет ответа за 5 с")),
            .notBotAPI(method: "getMe", status: 502), .refused(method: "getMe", code: "401 ", description: "…"),
            .botTokenOK(username: "shop_bot"),
            .webhookWhilePolling(url: "https://example.org/hook"), .webhookMissing, .webhookError(ago: 600, message: "…"),
            .pendingUpdates(count: 25), .webhookOK(set: true, pending: 1),
            .logsUnreadable(service: "worker"), .logPattern(service: "worker", hits: 22, pattern: "payment_failed", window: 900),
            .heartbeatWaiting(service: "worker", startedAgo: 30), .heartbeatFresh(service: "worker", age: 45),
            .heartbeatMissing(service: "worker", pattern: "heartbeat", maxAge: 300),
            .configInvalid(error: LocalizedText(verbatim: "…")), .envRules(service: "bot", ok: 2, total: 3, failing: ["BOT_TOKEN"]),
            .envUnreadable(service: "bot", error: LocalizedText(verbatim: "HTTP 401")),
        ]
    }
}
