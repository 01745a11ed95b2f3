import Foundation
import SystemOps
import OpsbotSupport

extension StatusText {
    var english: String {
        func d(_ s: Double) -> String { Durations.format(s) }
        func size(_ b: Int) -> String { DiskUsage.format(b) }
        switch self {
        case .allGood: return "✅ <b>All good</b>"
        case .problems(let n): return "<b>\(n) problem\(n == 1 ? "" : "s")</b>"
        case .alerts(let firing, let muted):
            return " · alerts: \(firing) firing" + (muted > 0 ? ", \(muted) muted" : "") + (firing + muted > 0 ? " → /alerts" : "")
        case .checkedIn(let s): return String(format: " <i>(checked in %.1f s)</i>\n", s)
        case .group(let label): return label
        case .more(let n): return "; +\(n) more"
        case .alsoOK: return " · ok: "
        case .databaseNotConfigured: return "database: not configured (DATABASE_URL is not set in opsbot's environment)"
        case .providerNoAnswer(let p): return "\(p): no answer within 10 s"
        case .okRunning(let n): return "\(n) running"
        case .okBot(let u, let set, let pending): return "@\(u) ok, webhook \(set ? "set" : "not set"), \(pending) pending"
        case .okPlain: return "ok"
        case .okNamed(let name): return "\(name) ok"
        case .okCount(let n): return "\(n) ok"
        case .tableState(let state): return state
        case .tableUp(let s): return "up " + d(s)
        case .tableRestartsPerHour(let k): return "\(k) restarts/h"
        case .tableRestarts(let c): return "\(c) restarts"
        case .tableInstancesUnknown: return "instances ?"
        case .tableAgo(let s): return d(s) + " ago"
        case .serviceRunning(let n, let detail): return "\(n) \(detail.en)"
        case .serviceStarting(let n, let detail): return "\(n) is starting: \(detail.en)"
        case .serviceDown(let n, let state, let detail): return "\(n) is \(state): \(detail.en)"
        case .serviceUnknown(let n, let why): return "\(n): state unknown (\(why.en))"
        case .statusLate(let s): return "its status gave no answer within \(d(s))"
        case .instancesUnknown(let n, let why): return "\(n): instances: unknown (\(why.en))"
        case .platformCopies(let n, let q, let running, let expected, let bot):
            return "\(n): the platform is set to run \(q) copies, \(running) running (expected \(expected))"
                + (bot ? " — more than one poller of one token gets 409 Conflict" : "")
        case .instancesTooMany(let n, let running, let expected, let bot):
            return "\(n): \(running) instances running (expected \(expected))" + (bot ? " — two copies polling one token get 409 Conflict" : "")
        case .instancesMatchWarning(let n, let running, let w): return "\(n): \(running) instance(s); " + w.en
        case .instancesOK(let n, let running): return "\(n): \(running) instance(s)"
        case .restartsLastHour(let n, let k): return "\(n): \(k) restart(s) in the last hour"
        case .restartLoop(let n, let c, let up, let detail):
            let where_ = up.map { "up only \($0) s" } ?? "not running"
            return "\(n): in a restart loop — \(c) automatic restarts, \(where_) (\(detail.en))"
        case .memoryGrowth(let n, let t, let machine, let reach):
            var s = String(format: "%@: memory %@%.0f MB/h", n, t >= 0 ? "+" : "", t)
            if let machine, let reach { s += ", reaches the machine's \(size(machine)) in \(LinearTrend.approx(reach)) at this rate" }
            return s
        case .healthSummary(let status, let seconds, let expect):
            let ms = seconds < 1 ? "\(Int(seconds * 1000)) ms" : String(format: "%.1f s", seconds)
            return status == expect ? "\(status) in \(ms)" : "\(status) in \(ms) (expected \(expect))"
        case .healthNoAnswer: return "no answer"
        case .healthNoAnswerWithin(let s): return "no answer within \(d(s))"
        case .healthConnect: return "connection refused or unreachable"
        case .healthDNS: return "DNS lookup failed"
        case .healthStarting(let target, let summary, let service, let up, let grace):
            return "\(target) \(summary.en) — \(service) started \(d(up)) ago, within its start-up grace (\(d(grace)))"
        case .healthFailing(let target, let summary): return "\(target) \(summary.en)"
        case .healthSlow(let target, let summary, let slow): return "\(target) slow: \(summary.en) (slow above \(d(slow)))"
        case .healthOK(let target, let summary): return "\(target) \(summary.en)"
        case .dependency(let name, let detail): return "\(name): \(detail.en)"
        case .dependencyHTTP(let status): return "HTTP \(status)"
        case .dependencyTCPOK: return "TCP connect ok"
        case .dependencyNoResolve: return "does not resolve"
        case .dependencyResolves(let n): return "resolves (\(n) address\(n == 1 ? "" : "es"))"
        case .tcpCannotResolve(let host): return "cannot resolve \(host)"
        case .tcpSocketFailed: return "socket() failed"
        case .tcpConnectFailed(let error): return "connect failed: \(error)"
        case .tcpTimedOut(let s): return "connect timed out after \(d(s))"
        case .diskNoAnswer: return "statvfs did not answer within 3 s"
        case .disk(let mount, let used, let free, let inodes):
            let i = inodes.map { String(format: ", inodes %.0f%%", $0) } ?? ""
            return String(format: "%@ %.0f%% used, %@ free%@", mount, used, size(free), i)
        case .logGrowthUnknown(let path, let bytes): return "\(path): \(size(bytes)), growth not known yet (measuring until the next check)"
        case .logGrowth(let path, let mbh, let limit, let bytes, let free, let mount):
            var s = String(format: "%@ grows %.0f MB/h (limit %.0f MB/h), now %@", path, mbh, limit, size(bytes))
            if let free, let mount { s += ", \(size(free)) free on \(mount)" }
            return s
        case .fillMeasuring(let mount, let needs): return "\(mount): measuring its fill rate (needs \(d(needs)) of history)"
        case .fillIn(let mount, let ttf, let window, let rate, let used, let free):
            return String(format: "%@ full in %@ at %@ (%+.1f %%/h, %.0f%% used, %@ free)", mount,
                          LinearTrend.approx(ttf), Projection.ratePhrase(window), rate, used, size(free))
        case .notFilling(let mount, let rate, let window, let used):
            return String(format: "%@ not filling (%+.1f %%/h over %@, %.0f%% used)", mount, rate, Projection.windowPhrase(window), used)
        case .botProblem(let error): return "target bot: \(error.en)"
        case .botNoAnswer(let s): return "Bot API did not answer within \(d(s))"
        case .botTokenEnvMissing(let env): return "env var \(env) is not set"
        case .unreachable(let method, let words): return "\(method): Bot API: \(words.en)"
        case .notBotAPI(let method, let status): return "\(method): HTTP \(status), not a Bot API answer"
        case .refused(let method, let code, let desc): return "\(method): \(code)\(desc)"
        case .botTokenOK(let u): return "target bot @\(u) token valid"
        case .webhookWhilePolling(let url): return "a webhook is set (\(url)) while the bot polls: getUpdates gets 409"
        case .webhookMissing: return "no webhook is set but the bot expects one"
        case .webhookError(let ago, let msg): return "webhook error \(d(ago)) ago: \(msg)"
        case .pendingUpdates(let p): return "\(p) updates pending"
        case .webhookOK(let set, let pending): return "webhook \(set ? "set" : "not set"), \(pending) pending"
        case .logsUnreadable(let s): return "\(s): logs could not be read"
        case .logPattern(let s, let hits, let p, let window): return "\(s): \(hits) × \(p) in the last \(d(window))"
        case .heartbeatWaiting(let s, let ago): return "\(s): started \(d(ago)) ago, waiting for its first heartbeat"
        case .heartbeatFresh(let s, let age): return "\(s): heartbeat \(d(age)) ago"
        case .heartbeatMissing(let s, let p, let maxAge): return "\(s): no /\(p)/ line in the last \(d(maxAge))"
        case .configInvalid(let error): return "services config invalid: \(error.en)"
        case .envRules(let s, let ok, let total, let failing):
            return "\(s): \(ok)/\(total) env rules ok" + (failing.isEmpty ? "" : " — failing: " + failing.joined(separator: ", "))
        case .envUnreadable(let s, let error): return "\(s): environment could not be read: " + error.en
        }
    }
}
