import Foundation
import SystemOps
import OpsbotSupport

extension BackendText {
    var english: String {
        switch self {
        case .instancesUnknown(let r): "instances: unknown (\(r.en))"
        case .cannotListInstances(let b): "the \(b) backend cannot list instances"
        case .cannotStopInstances(let b): "stopping single instances is not supported by the \(b) backend"
        case .cannotReadEnvironment(let b): "the \(b) backend cannot read the environment; set env.file"
        case .noLogFile(let s): "\(s) has no log_file configured"
        case .logFileMissing(let p): "log file \(p) does not exist"
        case .logFileUnreadable(let p, let why): "cannot read \(p): \(why)"
        case .logFileNotRegular(let p): "\(p) is not a regular file"
        case .fileChangedWhileReading(let rotated, let gaveUp):
            (rotated ? "the file was truncated while reading (rotated?); read again from its new end" : "the file was truncated while reading; read again from its new end")
                + (gaveUp ? "; gave up after 3 attempts" : "")
        case .logScanLimit(let scanned): "stopped after scanning \(scanned) from the end; older lines not searched"
        case .refusedToSignal(let pid): "refused to signal pid \(pid)"
        case .pidAlreadyGone(let pid): "pid \(pid) was already gone"
        case .killFailed(let pid, let why): "kill(\(pid), SIGTERM) failed: \(why)"
        case .pidStopped(let pid): "pid \(pid) stopped (SIGTERM)"
        case .pidSurvivedKill(let pid): "pid \(pid) survived SIGKILL"
        case .pidKilled(let pid, let after): "pid \(pid) killed (SIGKILL after \(after) s)"
        case .cannotRun(let program, let e): "\(program): \(e.en)"
        case .commandFailed(let argv, let outcome, let err): "\(argv): \(outcome.english)\(err.isEmpty ? "" : ": " + err)"
        case .processOutcome(let code, let signal, let timedOut, let seconds):
            timedOut ? "killed after the \(String(format: "%.0f", seconds)) s timeout"
                : signal.map { "killed by signal \($0)" } ?? "exit \(code) in \(String(format: "%.1f", seconds)) s"
        case .restartRequested(let u, let d): "restart requested; \(u.en) · " + d.en
        case .joined(let a, let b): a.en + b.en
        case .systemctlFailed: "systemctl failed"
        case .unitNotFound(let u): "unit \(u) not found"
        case .unitState(let active, let sub, let since): "\(active) (\(sub))" + (since.map { " since \(ISO8601.format($0))" } ?? "")
        case .mainPIDUnchanged(let pid): "⚠️ main PID is still \(pid): systemd did not start a new process"
        case .mainPIDOf(let pid, let unit): "pid \(pid): main PID of \(unit)"
        case .unitProcess(let pid, let unit, let sup, let cmd): "pid \(pid)\(sup ? " (\(unit) main PID)" : " (not started by systemd)"): \(cmd)"
        case .refuseStopUnitProcess: "refusing to stop the unit's own process"
        case .pidGoneOrUnit(let pid, let unit): "pid \(pid) is gone or now belongs to \(unit); left alone"
        case .dockerUnexpectedList(let e): "docker API: unexpected /containers/json: \(e)"
        case .dockerUnexpectedContainer(let e): "docker API: unexpected container JSON: \(e)"
        case .noContainer(let name): "no container \(name)"
        case .noComposeContainer(let s): "no container for compose service \(s)"
        case .dockerRestartLoop(let count, let code): "restarting (restart loop: RestartCount \(count)\(code.map { ", last exit code \($0)" } ?? ""))"
        case .dockerUnavailable: "docker unavailable"
        case .dockerState(let status, _, _, _, _): status
        case .dockerRestartDescription(let container, let compose, let socket, let stop):
            "docker restart \(container ?? "the \(compose) compose container") (Engine API on \(socket), stop_timeout \(stop) s, then SIGKILL)"
        case .dockerEventsUnreadable: "(could not read the engine's events to tell whether SIGKILL was needed)"
        case .dockerKilled(let name, let stop, let code):
            "⚠️ \(name) did not stop on SIGTERM within \(stop) s (stop_timeout): the engine killed it (SIGKILL\(code.map { ", exit code \($0)" } ?? "")). Its PID 1 ignores SIGTERM — give it an init (`init: true`) or a TERM handler."
        case .containerInstance(let name, let id, let image, let compose, let status):
            "container \(name) (\(id), \(image), \(compose.map { "compose service \($0)" } ?? "not from compose")): \(status)"
        case .refuseStopSupervisedContainer: "refusing to stop the supervised container"
        case .containerGoneOrOwn(let id): "container \(id) is gone or is now the service's own; left alone"
        case .containerStopped(let id): "container \(id) stopped"
        case .dockerAPIFailed(let socket, let why, let request): "docker API on \(socket): \(why.en)" + (request.map { " (\($0))" } ?? "")
        case .dockerHTTP(let method, let path, let status, let msg): "docker API \(method) \(path): HTTP \(status)\(msg.map { ": " + $0 } ?? "")"
        case .noStatusCommand: "no status_command"
        case .statusCommandTimedOut: "status command timed out"
        case .statusCommandFailed: "status command failed"
        case .commandNoInstancesCommand: "the command backend has no instances_command"
        case .noRestartCommandShown: "(no restart_command)"
        case .noRestartCommand(let s): "\(s) has no restart_command"
        case .commandNoEnvironment: "the command backend cannot read the environment; set env_command or env.file"
        case .noPidfile: "no pidfile"
        case .pidfileNotRunning: "pid in pidfile not running"
        case .noMatchingProcess: "no matching process"
        case .processCount(let n): "\(n) processes"
        case .processRestartDescription(let stop, let pidfile, let pattern, let start, let unit):
            "SIGTERM (SIGKILL after \(stop) s) to " + (pidfile.map { "the pid in \($0)" } ?? "processes matching /\(pattern)/")
                + (start.map { ", then start\(unit.map { " (in unit \($0))" } ?? ""): " + $0 } ?? "; no start command configured")
        case .noStartCommand(let s): "\(s) has no start command (services.\(s).start)"
        case .ambiguousNoneStopped(let s, let why): "cannot tell which processes are \(s)'s, so none is stopped: \(why.en)"
        case .cannotStart(let s, let e): "cannot start \(s): \(e.en)"
        case .cannotWritePidfile(let pid, let f, let why): "started pid \(pid) but cannot write \(f): \(why.en)"
        case .cannotStartInUnit(let s, let unit, let cmd, let outcome, let err):
            "cannot start \(s) in unit \(unit): \(cmd) \(outcome.english)\(err.isEmpty ? "" : ": " + err)"
                + " — under systemd opsbot starts process-backend apps with systemd-run, which the system manager allows root only;"
                + " give the app a unit (backend: systemd) or set service_options.systemd_run: [] to start it as opsbot's child"
        case .unitHasNoMainPID(let unit): "\(unit) started but has no main pid (it exited at once? see its log)"
        case .refuseStopSupervisedInstance: "refusing to stop the supervised instance"
        case .pidNotService(let pid, let s): "pid \(pid) is no longer a \(s) process; left alone"
        case .notRunningNoEnvironment(let s): "\(s) is not running; its environment cannot be read from /proc"
        case .cannotReadEnviron(let pid): "cannot read /proc/\(pid)/environ (permission?)"
        case .matchManyUsers(let n, let users): "the match catches processes of \(n) users (\(users)) and nothing says which is the service's: set user:"
        case .unknownUser(let u): "user \(u) is not an account on this machine"
        case .runsAsOtherUser(let actual, let expected): "runs as \(actual), the service as \(expected)"
        case .runsInContainer(let id): "runs in container \(id)"
        case .runsOnHost(let c): "runs on the host, the service in container \(c)"
        case .belongsToUnit(let unit): "belongs to \(unit)"
        case .runsInDirectory(let cwd, let want): "runs in \(cwd), the service in \(want)"
        case .stranger(let pid, let why): "pid \(pid) \(why.en)"
        case .serviceWarning(let s, let why): "\(s): \(why.en)"
        case .matchAmbiguous(let s, let pattern, let shown, let more):
            "\(s): match /\(pattern)/ is ambiguous: it also catches \(shown.map(\.en).joined(separator: "; "))\(more > 0 ? " and \(more) more" : "") — not counted and never stopped; set user: or narrow the regex"
        case .tokenSource(let where_): "the token in \(where_)"
        case .cannotReadTokenFile(let f): "cannot read the token file \(f)"
        case .noToken(let name): "no token: set \(name)"
        case .rateLimitWaited(let s): "waited \(s) s for the rate limit"
        case .rateLimitExhausted: "rate limit exhausted (RateLimit-Remaining: 0): further requests may wait"
        case .notes(let list): list.map(\.en).joined(separator: "; ")
        case .platformNote(let p, let note): "\(p): \(note.en)"
        case .platformRequestFailed(let p, let why, let method, let path): "\(p) API: \(why.en) (\(method) \(path))"
        case .unauthorized(let p, let token, let msg): "\(p) answered 401 Unauthorized: the token in \(token) is missing, expired or revoked\(msg.map { " (\($0))" } ?? "")"
        case .forbidden(let p, let method, let path, let token, let perm, let msg):
            "\(p) answered 403 Forbidden to \(method) \(path): the token in \(token) lacks the permission to \(perm.english)\(msg.map { " (\($0))" } ?? "")"
        case .rateLimitGaveUp(let p, let remaining, let waited, let retry):
            "\(p) rate limit (429\(remaining.map { ", RateLimit-Remaining: \($0)" } ?? "")): gave up after waiting \(waited) s; try again in \(retry) s"
        case .permReadDynos: "read dynos (OAuth scope read, app permission view)"
        case .permReadFormation: "read the formation (OAuth scope read)"
        case .permReadReleases: "read releases (OAuth scope read)"
        case .permLogSession: "create a log session (OAuth scope read, app permission view)"
        case .permRestartDynos: "restart dynos (OAuth scope write, app permission operate)"
        case .permReadConfigVars: "read config vars (OAuth scope read-protected, app permission deploy)"
        case .permScaleFormation: "scale the formation (OAuth scope write, app permission operate)"
        case .permReadService: "read the service"
        case .permReadExecutions: "read instance executions"
        case .permReadLogs: "read deployment logs"
        case .permRestartDeployments: "restart deployments"
        case .permRedeploy: "redeploy"
        case .permReadVariables: "read variables"
        case .permUpdateService: "update the service settings"
        case .herokuNotFound(let method, let path, let why): "Heroku: \(method) \(path): not found (\(why)) — check heroku.app and heroku.process_type"
        case .herokuHTTP(let method, let path, let status, let why): "Heroku: \(method) \(path): HTTP \(status): \(why)"
        case .herokuNoQuantity(let type): "Heroku: formation \(type) has no quantity"
        case .dynosUnlisted: "dynos could not be listed"
        case .formationUnknown(let e): " · formation unknown: \(e.en)"
        case .herokuRelease(let v, let ago, let failed):
            " · release v\(v)" + (ago.map { " (\(Durations.format($0)) ago)" } ?? "") + (failed ? " FAILED" : "")
        case .dynoCounts(let up, let quantity, let dynos):
            (quantity.map { "\(up)/\($0) up" } ?? "\(up) up") + (dynos.isEmpty ? "" : ": " + BackendText.dynoParts(dynos) { d in
                "\(d.name) \(d.state)" + (d.age.map { " \(Durations.format($0))" } ?? "")
            })
        case .scaledToZero(let type): "\(type) scaled to 0 (formation quantity 0): nothing runs → /scale \(type) 1"
        case .dynosCrashed(let names): "\(names.joined(separator: ", ")) crashed"
        case .noDynoRunning(let type, let q): "no \(type) dyno running" + (q.map { " (formation quantity \($0))" } ?? "")
        case .herokuUnchanged(let dynos): "Heroku still reports \(dynos.joined(separator: ", ")) unchanged"
        case .herokuNoLogplexURL: "Heroku: the log session has no logplex_url"
        case .logStreamTimeout(let host, let s): "Heroku log stream (\(host)): no answer within \(Durations.format(s))"
        case .logStreamRefused(let host): "Heroku log stream (\(host)): connection refused"
        case .logStreamDNS(let host): "Heroku log stream (\(host)): host does not resolve"
        case .logStreamFailed(let host): "Heroku log stream (\(host)): transfer failed"
        case .logStreamHTTP(let status): "Heroku log stream: HTTP \(status)"
        case .logStreamCut(let s): "Heroku kept the log stream open: read for \(Durations.format(s)) (heroku.log_window), then cut"
        case .herokuLineLimit: "Heroku returns at most 1500 lines per log session; older lines were not searched"
        case .dynoInstance(let name, let state, let release): "dyno \(name) \(state)" + (release.map { " (release v\($0))" } ?? "")
        case .herokuConfigVarsNotObject: "Heroku: config-vars is not an object"
        case .herokuScaled(let type, let old, let now): "\(type): formation quantity \(old.map(String.init) ?? "?") → \(now.map(String.init) ?? "?")"
        case .railwayRateGaveUp(let msg, let waited, let retry): "Railway rate limit (\(msg)): gave up after waiting \(waited) s; try again in \(retry) s"
        case .railwayRefused(let token, let msg, let perm, let project, let env):
            "Railway refused the token in \(token) (\(msg)): it needs to \(perm.english) — a project token must be created for project \(project), environment \(env)"
        case .railwayError(let msg): "Railway: \(msg)"
        case .railwayHTTP(let status, let msg): "Railway: HTTP \(status)\(msg.map { ": " + $0 } ?? "")"
        case .railwayNoData: "Railway: the answer has no data"
        case .railwayNoServiceInstance(let id): "Railway: no serviceInstance for service \(id)"
        case .railwayNoDeployment(let s): "Railway: service \(s) has no deployment"
        case .railwayDidNotAnswer: "Railway did not answer"
        case .railwayUnchanged(let d, let status, let executions):
            "Railway shows no sign of it (deployment \(d) still \(status), same replicas and status time" + (executions ? ", no new instance run)" : ")")
        case .railwayNoDeploymentShort: "no deployment"
        case .railwayDetail(let status, let running, let replicas, let ago):
            "deployment \(status) · " + (replicas.map { "\(running)/\($0) replicas running" } ?? "\(running) replica(s) running")
                + (ago.map { " · deployed \(Durations.format($0)) ago" } ?? "")
        case .railwayRelease(let d): "deployment \(d)"
        case .replicaCrashed: "a replica crashed"
        case .railwayNoReplicas(let d): "Railway listed no replicas for deployment \(d)"
        case .deploymentFailed(let status, let s): "deployment \(status.lowercased()) → /logs \(s), /restart \(s) or /redeploy \(s)"
        case .railwaySleeping(let d): "sleeping (serverless: wakes on the next request) · " + d.en
        case .railwayLogsDeployment(let d, let status): "deployment \(d) (\(status))"
        case .railwayRestartDescription(let s): "Railway deploymentRestart of the latest deployment of \(s) (Dashboard → Deployments → Restart)"
        case .railwayRedeployDescription(let s): "Railway deploymentRedeploy of the latest deployment of \(s) (Dashboard → Deploy → Redeploy: rebuild and roll out)"
        case .railwayRestartRefused(let d, let status): "Railway did not restart deployment \(d) (deploymentRestart returned false; status \(status))"
        case .railwayRedeployNoDeployment: "Railway: deploymentRedeploy returned no deployment"
        case .replicaInstance(let id, let d, let status): "replica \(id) of deployment \(d) \(status.lowercased())"
        case .railwayVariablesNotObject: "Railway: variables is not an object"
        case .railwayScaleDescription(let n):
            "Railway serviceInstanceUpdate numReplicas = \(n) (Dashboard → Service → Settings → Scaling; railway.json \"numReplicas\": \(n)); Railway applies it with the next deployment"
        case .railwayScaleManual(let old, let n):
            "the replica setting is \(old.map(String.init) ?? "unknown"); change it in the Dashboard (Service → Settings → Scaling) or with \"numReplicas\": \(n) in railway.json, then redeploy"
        case .railwayScaleFailed(let e, let manual): "\(e.en) — \(manual.english)"
        case .railwayScaleRefused(let n, let manual): "Railway did not accept numReplicas = \(n) — \(manual.english)"
        case .railwayScaled(let s, let old, let n):
            "\(s): numReplicas \(old.map(String.init) ?? "?") → \(n). Railway applies it with the next deployment: /redeploy \(s)"
        case .remoteRestartDescription(let host, let s): "opsbot remote on \(host): restart \(s) (with \(host)'s own backend)"
        case .remoteNoStatus(let host): "\(host): answer without a status"
        case .hostUnreachable: "host unreachable"
        case .hostTimedOut: "host did not answer in time"
        case .remoteFailed: "remote request failed"
        case .remoteOlderFilter(let host, let filter, let sent, let matched):
            "opsbot remote on \(host) is older and ignored part of the filter (\(filter)); it was applied here to the \(sent) line(s) it sent, \(matched) matched"
        case .remoteNoInstanceList(let host): "\(host) sent no instance list"
        case .remoteStopped(let host, let id): "\(host): stopped \(id)"
        case .remoteNoEnvironment(let s, let host): "\(s) runs on \(host): its environment is not read over SSH (values would cross the network)"
        case .unavailableRestartDescription(let reason): "nothing (\(reason))"
        case .sshUnreachable(let h, let r): "host \(h) unreachable: \(r)"
        case .sshTimedOut(let h, let s): "host \(h) did not answer within \(Durations.format(s)); the connection was closed"
        case .sshRemote(let h, let m): "\(h): \(m.en)"
        case .sshNoSuchHost: "no such entry in hosts:"
        case .sshRequestRefused(let e): "request refused before sending: \(e.en)"
        case .sshCannotRun(let e): "cannot run ssh: \(e.en)"
        case .sshAnswerTooLarge: "answer larger than 8 MB; refused"
        case .sshNotForcedCommand: "the key's forced command is not opsbot remote (exit 127)"
        case .sshNoAnswer(let outcome, let reason): "no opsbot answer (\(outcome.english)): \(reason)"
        case .sshRefused(let reason): "refused: \(reason?.en ?? "no reason given")"
        case .remoteRefusedService(let host, let reason): "\(host): refused: \(reason.en)"
        case .remoteNoStatusFor(let host, let s): "\(host): no status for \(s) in its answer"
        case .sshUnsafePath(let p): "\(p): paths with quotes, %, backslashes or control characters cannot go into ssh_config; move the state directory or key"
        case .sshCannotPrepare(let d, let e): "cannot prepare \(d): \(e.en)"
        case .sshCannotWrite(let p, let why): "cannot write \(p)" + (why.map { ": \($0.en)" } ?? "")
        case .sshCannotCreate(let p, let why): "cannot create \(p): \(why.en)"
        case .sshCannotStat(let p): "cannot stat \(p)"
        case .sshNotPrivateDirectory(let p, let uid): "\(p) is not a directory owned by uid \(uid); refusing to put SSH control sockets there"
        case .remoteDidNotFinish(let op, let s): "\(op) did not finish within \(Durations.format(s))"
        case .remoteNotAnInstance(let id, let s): "\(id) is not a running instance of \(s)"
        case .remoteSupervisedInstance(let id, let s): "\(id) is the supervised instance of \(s); refusing to stop it"
        case .remoteUnknownService(let s, let known): "service \"\(s)\" is not in this host's config (known: \(known))"
        case .remoteChained(let s): "\(s) is itself remote here; opsbot remote does not chain hosts"
        case .remoteRequestTooLarge: "request too large"
        case .remoteNotARequest(let p): "not an opsbot request (expected \"\(p) <base64url JSON>\")"
        case .remoteBadBase64: "request is not valid base64url"
        case .remoteBadJSON: "request is not valid JSON for opsbot remote"
        case .remoteInvalidServiceName: "invalid service name"
        case .remoteStatusesNeedList: "statuses needs a list of services"
        case .remoteStatusesTooMany: "statuses: at most 256 services"
        case .remoteNeedsService(let op): "\(op) needs a service"
        case .remoteLinesRange: "lines must be 1…100000"
        case .remoteInvalidLevel: "invalid level"
        case .remoteFilterTooLong: "filter text too long"
        case .remoteInvalidRegex: "invalid regular expression"
        case .remoteInvalidSince: "invalid since"
        case .remoteInvalidInstance: "invalid instance id"
        case .remoteStopNeedsInstance: "stop needs an instance"
        case .remoteDeadlineRange: "deadline must be 0…3600 s"
        case .dockerUnexpectedDiskUsage(let e): "docker API: unexpected /system/df: \(e)"
        }
    }

    /// At most six dynos, then "…".
    static func dynoParts(_ dynos: [HerokuDynoWords], _ one: (HerokuDynoWords) -> String) -> String {
        var parts = dynos.map(one)
        if parts.count > 6 { parts = Array(parts.prefix(6)) + ["…"] }
        return parts.joined(separator: ", ")
    }
}
