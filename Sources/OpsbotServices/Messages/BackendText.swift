import Foundation
import SystemOps
import OpsbotSupport

/// What the service backends (systemd, docker, process, command, Heroku, Railway, remote
/// hosts) say in the chat: errors, status details, restart and scale results, instance
/// descriptions, notes under `/logs`. Values from outside (unit names, paths, platform
/// messages, stderr) are arguments and stay exact; nested errors come as `LocalizedText`.
indirect enum BackendText: MessageCatalog {
    // Common to every backend
    case instancesUnknown(reason: LocalizedText)
    case cannotListInstances(backend: String)
    case cannotStopInstances(backend: String)
    case cannotReadEnvironment(backend: String)
    case noLogFile(service: String)
    case logFileMissing(path: String)
    case logFileUnreadable(path: String, why: String)
    case logFileNotRegular(path: String)
    case fileChangedWhileReading(rotated: Bool, gaveUp: Bool)
    case logScanLimit(scanned: String)
    case refusedToSignal(pid: Int32)
    case pidAlreadyGone(pid: Int32)
    case killFailed(pid: Int32, why: String)
    case pidStopped(pid: Int32)
    case pidSurvivedKill(pid: Int32)
    case pidKilled(pid: Int32, after: Int)
    case cannotRun(program: String, error: LocalizedText)
    case commandFailed(argv: String, outcome: BackendText, stderr: String)
    case processOutcome(exitCode: Int32, signal: Int32?, timedOut: Bool, seconds: Double)
    case restartRequested(unchanged: LocalizedText, detail: LocalizedText)
    case joined(LocalizedText, LocalizedText)
    // systemd
    case systemctlFailed
    case unitNotFound(unit: String)
    case unitState(active: String, sub: String, since: Date?)
    case mainPIDUnchanged(pid: Int32)
    case mainPIDOf(pid: Int32, unit: String)
    case unitProcess(pid: Int32, unit: String, supervised: Bool, command: String)
    case refuseStopUnitProcess
    case pidGoneOrUnit(pid: Int32, unit: String)
    // docker
    case dockerUnexpectedList(error: String)
    case dockerUnexpectedContainer(error: String)
    case noContainer(name: String)
    case noComposeContainer(service: String)
    case dockerRestartLoop(count: Int, exitCode: Int?)
    case dockerUnavailable
    case dockerState(engineStatus: String, state: String, age: Double?, exitCode: Int?, health: String?)
    case dockerRestartDescription(container: String?, composeService: String, socket: String, stopSeconds: Int)
    case dockerEventsUnreadable
    case dockerKilled(container: String, stopSeconds: Int, exitCode: String?)
    case containerInstance(name: String, id: String, image: String, composeService: String?, status: String)
    case refuseStopSupervisedContainer
    case containerGoneOrOwn(id: String)
    case containerStopped(id: String)
    case dockerAPIFailed(socket: String, why: LocalizedText, request: String?)
    case dockerHTTP(method: String, path: String, status: Int, message: String?)
    // command
    case noStatusCommand
    case statusCommandTimedOut
    case statusCommandFailed
    case commandNoInstancesCommand
    case noRestartCommandShown
    case noRestartCommand(service: String)
    case commandNoEnvironment
    // process
    case noPidfile
    case pidfileNotRunning
    case noMatchingProcess
    case processCount(Int)
    case processRestartDescription(stopSeconds: Int, pidfile: String?, pattern: String, start: String?, unit: String?)
    case noStartCommand(service: String)
    case ambiguousNoneStopped(service: String, why: LocalizedText)
    case cannotStart(service: String, error: LocalizedText)
    case cannotWritePidfile(pid: Int32, file: String, why: LocalizedText)
    case cannotStartInUnit(service: String, unit: String, command: String, outcome: BackendText, stderr: String)
    case unitHasNoMainPID(unit: String)
    case refuseStopSupervisedInstance
    case pidNotService(pid: Int32, service: String)
    case notRunningNoEnvironment(service: String)
    case cannotReadEnviron(pid: Int32)
    // match ownership
    case matchManyUsers(count: Int, users: String)
    case unknownUser(user: String)
    case runsAsOtherUser(actual: String, expected: String)
    case runsInContainer(id: String)
    case runsOnHost(container: String)
    case belongsToUnit(unit: String)
    case runsInDirectory(cwd: String, expected: String)
    case stranger(pid: Int32, why: LocalizedText)
    case serviceWarning(service: String, why: LocalizedText)
    case matchAmbiguous(service: String, pattern: String, shown: [LocalizedText], more: Int)
    // platforms (Heroku, Railway)
    case tokenSource(String)
    case cannotReadTokenFile(file: String)
    case noToken(name: String)
    case rateLimitWaited(seconds: Int)
    case rateLimitExhausted
    case notes([LocalizedText])
    case platformNote(platform: String, note: LocalizedText)
    case platformRequestFailed(platform: String, why: LocalizedText, method: String, path: String)
    case unauthorized(platform: String, token: String, message: String?)
    case forbidden(platform: String, method: String, path: String, token: String, permission: BackendText, message: String?)
    case rateLimitGaveUp(platform: String, remaining: Int?, waited: Int, retryIn: Int)
    case permReadDynos
    case permReadFormation
    case permReadReleases
    case permLogSession
    case permRestartDynos
    case permReadConfigVars
    case permScaleFormation
    case permReadService
    case permReadExecutions
    case permReadLogs
    case permRestartDeployments
    case permRedeploy
    case permReadVariables
    case permUpdateService
    // Heroku
    case herokuNotFound(method: String, path: String, why: String)
    case herokuHTTP(method: String, path: String, status: Int, why: String)
    case herokuNoQuantity(type: String)
    case dynosUnlisted
    case formationUnknown(error: LocalizedText)
    case herokuRelease(version: Int, ago: Double?, failed: Bool)
    case dynoCounts(up: Int, quantity: Int?, dynos: [HerokuDynoWords])
    case scaledToZero(type: String)
    case dynosCrashed(names: [String])
    case noDynoRunning(type: String, quantity: Int?)
    case herokuUnchanged(dynos: [String])
    case herokuNoLogplexURL
    case logStreamTimeout(host: String, seconds: Double)
    case logStreamRefused(host: String)
    case logStreamDNS(host: String)
    case logStreamFailed(host: String)
    case logStreamHTTP(status: Int)
    case logStreamCut(seconds: Double)
    case herokuLineLimit
    case dynoInstance(name: String, state: String, release: Int?)
    case herokuConfigVarsNotObject
    case herokuScaled(type: String, old: Int?, now: Int?)
    // Railway
    case railwayRateGaveUp(message: String, waited: Int, retryIn: Int)
    case railwayRefused(token: String, message: String, permission: BackendText, project: String, environment: String)
    case railwayError(message: String)
    case railwayHTTP(status: Int, message: String?)
    case railwayNoData
    case railwayNoServiceInstance(id: String)
    case railwayNoDeployment(service: String)
    case railwayDidNotAnswer
    case railwayUnchanged(deployment: String, status: String, executions: Bool)
    case railwayNoDeploymentShort
    case railwayDetail(status: String, running: Int, replicas: Int?, deployedAgo: Double?)
    case railwayRelease(deployment: String)
    case replicaCrashed
    case railwayNoReplicas(deployment: String)
    case deploymentFailed(status: String, service: String)
    case railwaySleeping(detail: LocalizedText)
    case railwayLogsDeployment(deployment: String, status: String)
    case railwayRestartDescription(service: String)
    case railwayRedeployDescription(service: String)
    case railwayRestartRefused(deployment: String, status: String)
    case railwayRedeployNoDeployment
    case replicaInstance(id: String, deployment: String, status: String)
    case railwayVariablesNotObject
    case railwayScaleDescription(replicas: Int)
    case railwayScaleManual(old: Int?, replicas: Int)
    case railwayScaleFailed(error: LocalizedText, manual: BackendText)
    case railwayScaleRefused(replicas: Int, manual: BackendText)
    case railwayScaled(service: String, old: Int?, replicas: Int)
    // remote hosts
    case remoteRestartDescription(host: String, service: String)
    case remoteNoStatus(host: String)
    case hostUnreachable
    case hostTimedOut
    case remoteFailed
    case remoteOlderFilter(host: String, filter: String, sent: Int, matched: Int)
    case remoteNoInstanceList(host: String)
    case remoteStopped(host: String, id: String)
    case remoteNoEnvironment(service: String, host: String)
    case unavailableRestartDescription(reason: String)
    case sshUnreachable(host: String, reason: String)
    case sshTimedOut(host: String, seconds: Double)
    case sshRemote(host: String, message: LocalizedText)
    case sshNoSuchHost
    case sshRequestRefused(error: LocalizedText)
    case sshCannotRun(error: LocalizedText)
    case sshAnswerTooLarge
    case sshNotForcedCommand
    case sshNoAnswer(outcome: BackendText, reason: String)
    case sshRefused(reason: LocalizedText?)
    case remoteRefusedService(host: String, reason: LocalizedText)
    case remoteNoStatusFor(host: String, service: String)
    case sshUnsafePath(path: String)
    case sshCannotPrepare(directory: String, error: LocalizedText)
    case sshCannotWrite(path: String, why: LocalizedText?)
    case sshCannotCreate(path: String, why: LocalizedText)
    case sshCannotStat(path: String)
    case sshNotPrivateDirectory(path: String, uid: UInt32)
    case remoteDidNotFinish(op: String, seconds: Double)
    case remoteNotAnInstance(id: String, service: String)
    case remoteSupervisedInstance(id: String, service: String)
    case remoteUnknownService(service: String, known: String)
    case remoteChained(service: String)
    case remoteRequestTooLarge
    case remoteNotARequest(prefix: String)
    case remoteBadBase64
    case remoteBadJSON
    case remoteInvalidServiceName
    case remoteStatusesNeedList
    case remoteStatusesTooMany
    case remoteNeedsService(op: String)
    case remoteLinesRange
    case remoteInvalidLevel
    case remoteFilterTooLong
    case remoteInvalidRegex
    case remoteInvalidSince
    case remoteInvalidInstance
    case remoteStopNeedsInstance
    case remoteDeadlineRange
    case dockerUnexpectedDiskUsage(error: String)

    /// One dyno as the status detail lists it: `worker.1 up 3 h`.
    struct HerokuDynoWords: Sendable, Hashable {
        var name: String
        var state: String
        var age: Double?
    }

    /// An error in every language: its catalog text when its type has one, else its description.
    static func words(_ error: any Error) -> LocalizedText {
        let en = "\(error)"
        return LocalizedText(en: en, ru: (error as? any Localizable)?.russian ?? en)
    }

    /// The outcome of a finished command (`exit 1 in 0.2 s`).
    static func outcome(_ r: ProcessResult) -> BackendText {
        .processOutcome(exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, seconds: r.duration)
    }

    static var samples: [BackendText] {
        let e = LocalizedText(en: "no answer within 5 s", ru: "нет ответа за 5 с")
        let d = LocalizedText(en: "1/1 up: worker.1 up 3 h", ru: "1/1 работает: worker.1 работает 3 ч")
        return [
            .instancesUnknown(reason: e), .cannotListInstances(backend: "command"), .cannotStopInstances(backend: "command"),
            .cannotReadEnvironment(backend: "systemd"), .noLogFile(service: "worker"), .logFileMissing(path: "/var/log/app.log"),
            .logFileUnreadable(path: "/var/log/app.log", why: "Permission denied"), .logFileNotRegular(path: "/var/log"),
            .fileChangedWhileReading(rotated: true, gaveUp: true), .logScanLimit(scanned: "64.0 MB"),
            .refusedToSignal(pid: 1), .pidAlreadyGone(pid: 812), .killFailed(pid: 812, why: "Operation not permitted"),
            .pidStopped(pid: 812), .pidSurvivedKill(pid: 812), .pidKilled(pid: 812, after: 10),
            .cannotRun(program: "systemctl", error: e),
            .commandFailed(argv: "systemctl restart bot", outcome: .processOutcome(exitCode: 5, signal: nil, timedOut: false, seconds: 0.2), stderr: "E13"),
            .processOutcome(exitCode: 0, signal: 9, timedOut: false, seconds: 1), .restartRequested(unchanged: e, detail: d), .joined(d, e),
            .systemctlFailed, .unitNotFound(unit: "bot.service"), .unitState(active: "inactive", sub: "dead", since: Date(timeIntervalSince1970: 1_800_000_000)),
            .mainPIDUnchanged(pid: 811), .mainPIDOf(pid: 811, unit: "bot.service"),
            .unitProcess(pid: 940, unit: "bot.service", supervised: false, command: "python bot.py"), .refuseStopUnitProcess,
            .pidGoneOrUnit(pid: 940, unit: "bot.service"),
            .dockerUnexpectedList(error: "JSON: id"), .dockerUnexpectedContainer(error: "JSON: id"), .noContainer(name: "bot"),
            .noComposeContainer(service: "worker"), .dockerRestartLoop(count: 7, exitCode: 1), .dockerUnavailable,
            .dockerState(engineStatus: "Up 3 hours (healthy)", state: "running", age: 10_800, exitCode: 0, health: "healthy"),
            .dockerRestartDescription(container: nil, composeService: "worker", socket: "/var/run/docker.sock", stopSeconds: 10),
            .dockerEventsUnreadable, .dockerKilled(container: "app-worker-1", stopSeconds: 10, exitCode: "137"),
            .containerInstance(name: "app-worker-1", id: "0123456789ab", image: "app:latest", composeService: "worker", status: "running"),
            .refuseStopSupervisedContainer, .containerGoneOrOwn(id: "0123456789ab"), .containerStopped(id: "0123456789ab"),
            .dockerAPIFailed(socket: "/var/run/docker.sock", why: e, request: "GET /containers/json"),
            .dockerHTTP(method: "GET", path: "/containers/x/json", status: 404, message: "x"),
            .noStatusCommand, .statusCommandTimedOut, .statusCommandFailed, .commandNoInstancesCommand, .noRestartCommandShown,
            .noRestartCommand(service: "worker"), .commandNoEnvironment,
            .noPidfile, .pidfileNotRunning, .noMatchingProcess, .processCount(3),
            .processRestartDescription(stopSeconds: 10, pidfile: nil, pattern: "bot\\.py", start: "python bot.py", unit: "opsbot-app-bot.service"),
            .noStartCommand(service: "bot"), .ambiguousNoneStopped(service: "bot", why: e), .cannotStart(service: "bot", error: e),
            .cannotWritePidfile(pid: 940, file: "/run/bot.pid", why: e),
            .cannotStartInUnit(service: "bot", unit: "opsbot-app-bot.service", command: "systemd-run", outcome: .processOutcome(exitCode: 1, signal: nil, timedOut: false, seconds: 0.1), stderr: "E13"),
            .unitHasNoMainPID(unit: "opsbot-app-bot.service"), .refuseStopSupervisedInstance, .pidNotService(pid: 940, service: "bot"),
            .notRunningNoEnvironment(service: "bot"), .cannotReadEnviron(pid: 940),
            .matchManyUsers(count: 2, users: "root, deploy"), .unknownUser(user: "deploy"), .runsAsOtherUser(actual: "root", expected: "deploy"),
            .runsInContainer(id: "0123456789ab"), .runsOnHost(container: "0123456789ab"), .belongsToUnit(unit: "other.service"),
            .runsInDirectory(cwd: "/srv/old", expected: "/srv/bot"), .stranger(pid: 77, why: e), .serviceWarning(service: "bot", why: e),
            .matchAmbiguous(service: "bot", pattern: "bot\\.py", shown: [e, e, e], more: 2),
            .tokenSource("HEROKU_API_KEY"), .cannotReadTokenFile(file: "/etc/opsbot/heroku.token"), .noToken(name: "HEROKU_API_KEY"),
            .rateLimitWaited(seconds: 3), .rateLimitExhausted, .notes([e, e]), .platformNote(platform: "Heroku", note: e),
            .platformRequestFailed(platform: "Heroku", why: e, method: "GET", path: "/apps/shop/dynos"),
            .unauthorized(platform: "Heroku", token: "HEROKU_API_KEY", message: "E401"),
            .forbidden(platform: "Heroku", method: "GET", path: "/apps/shop/dynos", token: "HEROKU_API_KEY", permission: .permReadDynos, message: nil),
            .rateLimitGaveUp(platform: "Heroku", remaining: 0, waited: 6, retryIn: 4),
            .permReadDynos, .permReadFormation, .permReadReleases, .permLogSession, .permRestartDynos, .permReadConfigVars, .permScaleFormation,
            .permReadService, .permReadExecutions, .permReadLogs, .permRestartDeployments, .permRedeploy, .permReadVariables, .permUpdateService,
            .herokuNotFound(method: "GET", path: "/apps/shop/dynos", why: "not_found"),
            .herokuHTTP(method: "GET", path: "/apps/shop/dynos", status: 503, why: "HTTP 503"), .herokuNoQuantity(type: "worker"), .dynosUnlisted,
            .formationUnknown(error: e), .herokuRelease(version: 42, ago: 7200, failed: true),
            .dynoCounts(up: 1, quantity: 2, dynos: [HerokuDynoWords(name: "worker.1", state: "up", age: 600), HerokuDynoWords(name: "worker.2", state: "crashed", age: nil)]),
            .scaledToZero(type: "worker"), .dynosCrashed(names: ["worker.1", "worker.2"]), .noDynoRunning(type: "worker", quantity: 1),
            .herokuUnchanged(dynos: ["worker.1"]), .herokuNoLogplexURL, .logStreamTimeout(host: "logs.heroku.com", seconds: 5),
            .logStreamRefused(host: "logs.heroku.com"), .logStreamDNS(host: "logs.heroku.com"), .logStreamFailed(host: "logs.heroku.com"),
            .logStreamHTTP(status: 502), .logStreamCut(seconds: 5), .herokuLineLimit, .dynoInstance(name: "worker.1", state: "up", release: 42),
            .herokuConfigVarsNotObject, .herokuScaled(type: "worker", old: 2, now: 1),
            .railwayRateGaveUp(message: "429", waited: 6, retryIn: 4),
            .railwayRefused(token: "RAILWAY_TOKEN", message: "E403", permission: .permRestartDeployments, project: "p1", environment: "e1"),
            .railwayError(message: "E404"), .railwayHTTP(status: 500, message: nil), .railwayNoData,
            .railwayNoServiceInstance(id: "s1"), .railwayNoDeployment(service: "worker"), .railwayDidNotAnswer,
            .railwayUnchanged(deployment: "d1234567", status: "SUCCESS", executions: true), .railwayNoDeploymentShort,
            .railwayDetail(status: "SUCCESS", running: 1, replicas: 2, deployedAgo: 3600), .railwayRelease(deployment: "d1234567"), .replicaCrashed, .railwayNoReplicas(deployment: "d1234567"),
            .deploymentFailed(status: "CRASHED", service: "worker"), .railwaySleeping(detail: d), .railwayLogsDeployment(deployment: "d1234567", status: "SUCCESS"),
            .railwayRestartDescription(service: "worker"), .railwayRedeployDescription(service: "worker"),
            .railwayRestartRefused(deployment: "d1234567", status: "SUCCESS"), .railwayRedeployNoDeployment,
            .replicaInstance(id: "r12345678901", deployment: "d1234567", status: "RUNNING"), .railwayVariablesNotObject,
            .railwayScaleDescription(replicas: 2), .railwayScaleManual(old: 1, replicas: 2),
            .railwayScaleFailed(error: e, manual: .railwayScaleManual(old: nil, replicas: 2)), .railwayScaleRefused(replicas: 2, manual: .railwayScaleManual(old: 1, replicas: 2)),
            .railwayScaled(service: "worker", old: 1, replicas: 2),
            .remoteRestartDescription(host: "db1", service: "worker"), .remoteNoStatus(host: "db1"), .hostUnreachable, .hostTimedOut, .remoteFailed,
            .remoteOlderFilter(host: "db1", filter: "/x/", sent: 22, matched: 5), .remoteNoInstanceList(host: "db1"),
            .remoteStopped(host: "db1", id: "812"), .remoteNoEnvironment(service: "worker", host: "db1"),
            .unavailableRestartDescription(reason: "ssh"),
            .sshUnreachable(host: "db1", reason: "ssh: 255"), .sshTimedOut(host: "db1", seconds: 10), .sshRemote(host: "db1", message: e),
            .sshNoSuchHost, .sshRequestRefused(error: e), .sshCannotRun(error: e), .sshAnswerTooLarge, .sshNotForcedCommand,
            .sshNoAnswer(outcome: .processOutcome(exitCode: 1, signal: nil, timedOut: false, seconds: 0.3), reason: "E0"),
            .sshRefused(reason: nil), .remoteRefusedService(host: "db1", reason: e), .remoteNoStatusFor(host: "db1", service: "worker"),
            .sshUnsafePath(path: "/var/lib/opsbot%/ssh"), .sshCannotPrepare(directory: "/var/lib/opsbot/ssh", error: e),
            .sshCannotWrite(path: "/var/lib/opsbot/ssh/ssh_config", why: e), .sshCannotCreate(path: "/tmp/opsbot-ctl-0-ab", why: e),
            .sshCannotStat(path: "/tmp/opsbot-ctl-0-ab"), .sshNotPrivateDirectory(path: "/tmp/opsbot-ctl-0-ab", uid: 0),
            .remoteDidNotFinish(op: "logs", seconds: 19.5), .remoteNotAnInstance(id: "812", service: "worker"),
            .remoteSupervisedInstance(id: "811", service: "worker"), .remoteUnknownService(service: "db", known: "worker, web"),
            .remoteChained(service: "worker"),
            .remoteRequestTooLarge, .remoteNotARequest(prefix: "opsbot-remote-v1"), .remoteBadBase64, .remoteBadJSON, .remoteInvalidServiceName, .remoteStatusesNeedList, .remoteStatusesTooMany, .remoteNeedsService(op: "logs"), .remoteLinesRange, .remoteInvalidLevel, .remoteFilterTooLong, .remoteInvalidRegex, .remoteInvalidSince, .remoteInvalidInstance, .remoteStopNeedsInstance, .remoteDeadlineRange, .dockerUnexpectedDiskUsage(error: "JSON: id"),
        ]
    }
}
