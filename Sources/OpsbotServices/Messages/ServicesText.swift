import Foundation
import OpsbotSupport
import SystemOps

/// What the service commands say in the chat (/logs, /restart, /scale, /redeploy,
/// /disk, /env, /docker_prune, the cleanups; /conflicts has ConflictsText): one case per message, rendered per language in
/// ServicesText+English.swift and ServicesText+Russian.swift. Arguments are raw values; the
/// renderers escape them for Telegram HTML where the message is HTML.
enum ServicesText: MessageCatalog {
    // Common
    case servicesMisconfigured(error: String)
    case unknownService(known: [String])
    case unknownServiceQuoted(name: String)
    case unknownRestartTarget(name: String, known: [String])
    case alreadyRestarting(service: String)
    // Why a command cannot work with this config (`notConfigured`)
    case needServices
    case needDocker(socket: String)
    case needScalable
    case needRailway
    case needBotService
    case cleanupNotInstalled(program: String)
    case cleanupNoPaths(paths: [String])
    // /logs
    case logsLinesNotPositive(n: Int)
    case logsRegexLength
    case logsRegexInvalid(regex: String, error: String)
    case logsUsage(error: String)
    case logsReadingLines
    case logsReadingWindow(seconds: Double)
    case logsReadingLevel(level: String)
    case logsReadingText
    case logsReadingRegex
    case logsReadAs(readings: [String])
    case logsReadFailed(service: String, error: String)
    case logsScanStopped(timeout: Double)
    case logsAllThereIs(got: Int, inWindow: Bool, asked: Int)
    case logsCapped(max: Int, asked: Int)
    case logsHeader(service: String, got: Int)
    case logsFilterSince(stamp: String)
    case logsNothingMatched
    case logsCaptionHead(header: String)
    // /restart, /redeploy
    case restartMissingService
    case restartPreviewOne(service: String)
    case restartPreviewOrder(services: [String])
    case restartThenWait(wait: Double, checks: String)
    case restartConfirm(target: String)
    case verification(health: [String], marker: String?)
    case restartUnknownService(service: String)
    case restartSkipped(service: String)
    case restartProgress(service: String, redeploy: Bool)
    case restartActionFailed(service: String, redeploy: Bool, error: String)
    case restartRequested(unchanged: String)
    case restartWaitingHealth(service: String)
    case restartHealthy(service: String, seconds: Int, pids: String)
    case restartNoStartupLine
    case restartRunningFor(seconds: Int)
    case restartState(state: String, detail: String)
    case restartUnverifiable(service: String, name: String, redeploy: Bool, unchanged: String, wait: Int, hasMarker: Bool)
    case restartStillFailing(service: String, wait: Int, last: String)
    // /scale
    case scaleMissingCount
    case scaleNotScalable(service: String, backend: String)
    case scalePreview(service: String, count: Int, command: String, configured: Int?, running: Int?)
    case scaleZeroWarning(service: String)
    case scaleBotWarning(service: String)
    case scaleConfirm(service: String, count: Int)
    case scaleDone(said: String, state: String, detail: String)
    case scaleFailed(service: String, error: String)
    case redeployNotSupported(service: String, backend: String)
    case redeployPreview(service: String, command: String, wait: Double, checks: String)
    case redeployConfirm(service: String)
    // /env
    case envNoRules(service: String)
    case envNoneConfigured
    case envReadFailed(service: String, error: String)
    case envHeader(service: String, source: EnvSource, ok: Int, total: Int)
    case envRuleBad(rule: String, problem: SystemOpsText, hint: String?)
    case envRuleOK(rule: String, optionalUnset: Bool)
    // /docker_prune
    case dockerUnreachable(socket: String, error: String)
    case prunePreview(socket: String, table: String, calls: [String], reclaimable: Int)
    case pruneDanglingOnly
    case pruneConfirm
    case pruneProgress(socket: String)
    case pruneFailed(error: String)
    case prunedLine(what: String, deleted: Int, bytes: Int)
    case pruned(total: Int, lines: [String], after: String?)
    // /disk
    case diskMeasuring(scanTime: Double)
    case diskTitle
    case diskOnHost(host: String)
    case diskHostNoAnswer(host: String)
    case diskHostFailed(host: String, error: String)
    case mountTableHeader(width: Int)
    case fillUnknown(needs: Double)
    case fullNow
    case fullIn(seconds: Double, window: Double, rate: Double)
    case notFilling(rate: Double, window: Double)
    case dockerDiskTitle(socket: String)
    case dockerReclaimable(bytes: Int)
    case dockerDiskFailed(error: String)
    case largestDirectories(partial: Bool, scanTime: Double, unreadable: Int)
    case largestLogFiles(partial: Bool)
    // disk_cleanup (truncate_log, journal_vacuum…)
    case cleanupUnknownLog(name: String, known: [String])
    case cleanupPreview(what: String, estimate: Int?)
    case cleanupConfirm
    case cleanupRunning(what: String)
    case cleanupEmptied(path: String)
    case cleanupRan(what: String, exitCode: Int32, seconds: Double, timedOut: Bool, signal: Int32?)
    case cleanupCouldNotRun(what: String, error: String)
    case cleanupFreed(before: Int, after: Int)

    /// Where /env read a service's environment.
    enum EnvSource: Sendable, Hashable {
        case file(String)
        case heroku
        case railway
        case backend(String)
    }

    static var samples: [ServicesText] {
        [
            .servicesMisconfigured(error: "…"),
            .unknownService(known: ["web", "worker"]),
            .unknownServiceQuoted(name: "db"),
            .unknownRestartTarget(name: "db", known: ["web", "worker"]),
            .alreadyRestarting(service: "worker"),
            .needServices,
            .needDocker(socket: "/var/run/docker.sock"),
            .needScalable,
            .needRailway,
            .needBotService,
            .cleanupNotInstalled(program: "journalctl"),
            .cleanupNoPaths(paths: ["/var/log/nginx/access.log"]),
            .logsLinesNotPositive(n: 0),
            .logsRegexLength,
            .logsRegexInvalid(regex: "([", error: "…"),
            .logsUsage(error: "…"),
            .logsReadingLines,
            .logsReadingWindow(seconds: 3600),
            .logsReadingLevel(level: "…"),
            .logsReadingText,
            .logsReadingRegex,
            .logsReadAs(readings: ["200 = …", "429 = …"]),
            .logsReadFailed(service: "web", error: "…"),
            .logsScanStopped(timeout: 30),
            .logsAllThereIs(got: 21, inWindow: true, asked: 5000),
            .logsCapped(max: 500, asked: 5000),
            .logsHeader(service: "worker", got: 5),
            .logsFilterSince(stamp: "2026-12-07 14:03:00"),
            .logsNothingMatched,
            .logsCaptionHead(header: "worker: …"),
            .restartMissingService,
            .restartPreviewOne(service: "worker"),
            .restartPreviewOrder(services: ["web", "worker"]),
            .restartThenWait(wait: 60, checks: "…"),
            .restartConfirm(target: "worker"),
            .verification(health: ["…"], marker: "…"),
            .restartUnknownService(service: "db"),
            .restartSkipped(service: "worker"),
            .restartProgress(service: "worker", redeploy: false),
            .restartActionFailed(service: "worker", redeploy: true, error: "…"),
            .restartRequested(unchanged: "…"),
            .restartWaitingHealth(service: "worker"),
            .restartHealthy(service: "worker", seconds: 7, pids: " (pid 1 → 2)"),
            .restartNoStartupLine,
            .restartRunningFor(seconds: 3),
            .restartState(state: "failed", detail: "…"),
            .restartUnverifiable(service: "web", name: "web", redeploy: false, unchanged: "…", wait: 60, hasMarker: false),
            .restartStillFailing(service: "worker", wait: 60, last: "…"),
            .scaleMissingCount,
            .scaleNotScalable(service: "worker", backend: "systemd"),
            .scalePreview(service: "worker", count: 1, command: "heroku ps:scale worker=1", configured: 0, running: nil),
            .scaleZeroWarning(service: "worker"),
            .scaleBotWarning(service: "bot"),
            .scaleConfirm(service: "worker", count: 1),
            .scaleDone(said: "worker=1", state: "running", detail: "…"),
            .scaleFailed(service: "worker", error: "HTTP 403"),
            .redeployNotSupported(service: "worker", backend: "docker"),
            .redeployPreview(service: "web", command: "serviceInstanceRedeploy", wait: 60, checks: "…"),
            .redeployConfirm(service: "web"),
            .envNoRules(service: "web"),
            .envNoneConfigured,
            .envReadFailed(service: "web", error: "HTTP 401"),
            .envHeader(service: "bot", source: .heroku, ok: 2, total: 3),
            .envRuleBad(rule: "BOT_TOKEN", problem: .envMissing, hint: "@BotFather"),
            .envRuleOK(rule: "SENTRY_DSN", optionalUnset: true),
            .dockerUnreachable(socket: "/var/run/docker.sock", error: "…"),
            .prunePreview(socket: "/var/run/docker.sock", table: "…", calls: ["POST /containers/prune"], reclaimable: 1_000_000),
            .pruneDanglingOnly,
            .pruneConfirm,
            .pruneProgress(socket: "/var/run/docker.sock"),
            .pruneFailed(error: "HTTP 500"),
            .prunedLine(what: "…", deleted: 3, bytes: 1_000_000),
            .pruned(total: 1_000_000, lines: ["…"], after: "…"),
            .diskMeasuring(scanTime: 5),
            .diskTitle,
            .diskOnHost(host: "db1"),
            .diskHostNoAnswer(host: "db1"),
            .diskHostFailed(host: "db1", error: "…"),
            .mountTableHeader(width: 8),
            .fillUnknown(needs: 900),
            .fullNow,
            .fullIn(seconds: 12_000, window: 3600, rate: 2.1),
            .notFilling(rate: -0.3, window: 1800),
            .dockerDiskTitle(socket: "/var/run/docker.sock"),
            .dockerReclaimable(bytes: 2_000_000),
            .dockerDiskFailed(error: "HTTP 500"),
            .largestDirectories(partial: true, scanTime: 5, unreadable: 2),
            .largestLogFiles(partial: true),
            .cleanupUnknownLog(name: "x", known: ["nginx", "app"]),
            .cleanupPreview(what: "journalctl --vacuum-size=200M", estimate: 1_000_000),
            .cleanupConfirm,
            .cleanupRunning(what: "journalctl --vacuum-size=200M"),
            .cleanupEmptied(path: "/var/log/app.log"),
            .cleanupRan(what: "journalctl", exitCode: 0, seconds: 1.2, timedOut: false, signal: nil),
            .cleanupCouldNotRun(what: "journalctl", error: "…"),
            .cleanupFreed(before: 1_000_000, after: 3_000_000),
        ]
    }
}
