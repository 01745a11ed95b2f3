import Foundation
import SystemOps
import OpsbotSupport

extension ServicesText {
    var english: String {
        func e(_ s: String) -> String { HTML.escape(s) }
        func d(_ s: Double) -> String { Durations.format(s) }
        func size(_ b: Int) -> String { DiskUsage.format(b) }
        switch self {
        case .servicesMisconfigured(let error): return e("Services are not configured correctly: \(error)")
        case .unknownService(let known): return e("unknown service (known: \(known.joined(separator: ", ")))")
        case .unknownServiceQuoted(let name): return e("unknown service \"\(name)\"")
        case .unknownRestartTarget(let name, let known): return e("unknown service \"\(name)\" (known: \(known.joined(separator: ", ")), all)")
        case .alreadyRestarting(let s): return e("\(s) is already being restarted; wait for that to finish.")
        case .needServices: return "no services in the config (services:)"
        case .needDocker(let socket): return "no service uses backend: docker and there is no Docker engine at \(socket) (service_options.docker_socket)"
        case .needScalable: return "no service uses backend: heroku or backend: railway (the only backends with a count of copies)"
        case .needRailway: return "no service uses backend: railway"
        case .needBotService: return "no service runs the bot (bot: true on a service, or target_bot.service)"
        case .cleanupNotInstalled(let program): return "\(program) is not installed (not on PATH)"
        case .cleanupNoPaths(let paths): return "none of its paths exist here (\(paths.joined(separator: ", ")))"
        case .logsLinesNotPositive(let n): return "the number of lines must be positive, got \(n)"
        case .logsRegexLength: return "a regular expression must be 1–200 characters"
        case .logsRegexInvalid(let re, let error): return "\"\(re)\" is not a regular expression opsbot accepts: \(error)"
        case .logsUsage(let error): return e("\(error). Usage: /logs <service> [lines] [error|warning|critical] [1h] [text or /regex/]")
        case .logsReadingLines: return "lines"
        case .logsReadingWindow(let s): return "the last \(d(s))"
        case .logsReadingLevel(let l): return "level \(l) and above"
        case .logsReadingText: return "text filter"
        case .logsReadingRegex: return "regex"
        case .logsReadAs(let r): return "\n<i>read as: \(e(r.joined(separator: " · ")))</i>"
        case .logsReadFailed(let s, let error): return e("Cannot read the logs of \(s): \(error)")
        case .logsScanStopped(let t): return "the scan stopped at the command's timeout (\(d(t))): older lines were not searched"
        case .logsAllThereIs(let got, let inWindow, let asked):
            return "that is all there is: \(got) line\(got == 1 ? "" : "s")\(inWindow ? " in that window" : "") (asked for \(asked))"
        case .logsCapped(let max, let asked): return "capped at \(max) lines (service_options.max_lines); asked for \(asked)"
        case .logsHeader(let s, let got): return "\(s): last \(got) line\(got == 1 ? "" : "s")"
        case .logsFilterSince(let stamp): return "since \(stamp)"
        case .logsNothingMatched: return " — nothing matched"
        case .logsCaptionHead(let h): return "<b>\(e(h))</b> — full output attached; the newest lines:"
        case .restartMissingService: return e("missing service. Usage: /restart <service|all>")
        case .restartPreviewOne(let s): return "Restart <b>\(e(s))</b>:\n"
        case .restartPreviewOrder(let names): return "Restart in this order: <b>\(e(names.joined(separator: " → ")))</b>:\n"
        case .restartThenWait(let w, let checks): return ", then wait up to \(d(w)) for \(e(checks))"
        case .restartConfirm(let t): return "Restart \(t)"
        case .verification(let health, let marker):
            var parts = ["running"]
            if !health.isEmpty { parts.append(health.joined(separator: " and ")) }
            if let marker { parts.append("“\(marker)” in the log") }
            return parts.joined(separator: ", ")
        case .restartUnknownService(let s): return "🔴 unknown service \(e(s))"
        case .restartSkipped(let s): return "⚠️ \(e(s)) is already being restarted; skipped"
        case .restartProgress(let s, let redeploy): return "⏳ \(redeploy ? "redeploying" : "restarting") \(e(s))…"
        case .restartActionFailed(let s, let redeploy, let error): return "🔴 \(e(s)): \(redeploy ? "redeploy" : "restart") failed: \(e(error))"
        case .restartRequested(let u): return "restart requested; \(u)"
        case .restartWaitingHealth(let s): return "⏳ \(e(s)) active, waiting for health…"
        case .restartHealthy(let s, let secs, let pids): return "✅ \(e(s)) healthy after \(secs) s\(pids)"
        case .restartNoStartupLine: return "no startup line yet"
        case .restartRunningFor(let secs): return "running for \(secs) s"
        case .restartState(let state, let detail): return "\(state): \(detail)"
        case .restartUnverifiable(let s, let name, let redeploy, let u, let wait, let hasMarker):
            let hint = !hasMarker
                ? "It runs; a startup_marker for \(e(name)) would let opsbot see the new start in its log."
                : "It runs, but no startup line has appeared in its log since the request."
            return "⚠️ \(e(s)): \(redeploy ? "redeploy" : "restart") requested, not verifiable: \(e(u)) within \(wait) s. " + hint
        case .restartStillFailing(let s, let wait, let last): return "🔴 \(e(s)) still failing after \(wait) s (\(e(last)))"
        case .scaleMissingCount: return e("missing count. Usage: /scale <service> <count>")
        case .scaleNotScalable(let s, let backend):
            return e("\(s) runs on the \(backend) backend, which has no replica count to set; /scale works for backend: heroku and backend: railway.")
        case .scalePreview(let s, let n, let command, let configured, let running):
            return "Scale <b>\(e(s))</b> to \(n):\n<code>\(e(command))</code>\n"
                + "now: \(e(configured.map { "set to \($0)" } ?? "setting unknown")), \(e(running.map { "\($0) running" } ?? "running copies unknown"))"
        case .scaleZeroWarning(let s): return "\n⚠️ 0 stops every copy of \(e(s))."
        case .scaleBotWarning(let s): return "\n⚠️ \(e(s)) polls Telegram: more than one copy gets 409 Conflict."
        case .scaleConfirm(let s, let n): return "Scale \(s) to \(n)"
        case .scaleDone(let said, let state, let detail): return "✅ \(e(said))\nnow: \(e(state)) — \(e(detail))"
        case .scaleFailed(let s, let error): return e("🔴 scaling \(s) failed: \(error)")
        case .redeployNotSupported(let s, let backend): return e("\(s) runs on the \(backend) backend, which has no redeploy; use /restart \(s).")
        case .redeployPreview(let s, let command, let wait, let checks):
            return "Redeploy <b>\(e(s))</b>:\n<code>\(e(command))</code>, then wait up to \(d(wait)) for \(e(checks))"
        case .redeployConfirm(let s): return "Redeploy \(s)"
        case .envNoRules(let s): return e("\(s) has no env rules (services.\(s).env.rules)")
        case .envNoneConfigured: return e("No service has env rules configured (services.NAME.env.rules).")
        case .envReadFailed(let s, let error): return "🔴 <b>\(e(s))</b>: \(e(error))"
        case .envHeader(let s, let source, let ok, let total):
            let src: String = switch source {
            case .file(let f): f
            case .heroku: "Heroku config vars"
            case .railway: "Railway variables"
            case .backend(let b): "\(b) environment"
            }
            return "\(ok == total ? "✅ " : "🔴 ")<b>\(e(s))</b> (\(e(src))): \(ok)/\(total) ok\n"
        case .envRuleBad(let rule, let problem, let hint): return "🔴 \(e(rule)) \(e(problem.english))" + (hint.map { " — \(e($0))" } ?? "") + "\n"
        case .envRuleOK(let rule, let unset): return "✅ \(e(rule))" + (unset ? " (optional, not set)" : "") + "\n"
        case .dockerUnreachable(let socket, let error): return e("Docker is not reachable on \(socket) (service_options.docker_socket): \(error)")
        case .prunePreview(let socket, let table, let calls, let reclaimable):
            return "Prune Docker on <code>\(e(socket))</code> (like <code>docker system prune -f</code>; volumes are kept):\n"
                + "<pre>\(e(table))</pre>\n"
                + "Will call:\n<pre>\(e(calls.joined(separator: "\n")))</pre>\n"
                + "reclaimable now: about \(size(reclaimable)) (images count fully only when no container uses them)"
        case .pruneDanglingOnly: return " (dangling only)"
        case .pruneConfirm: return "Prune"
        case .pruneProgress(let socket): return "⏳ pruning Docker on <code>\(e(socket))</code>…"
        case .pruneFailed(let error): return e("🔴 prune failed: \(error)")
        case .prunedLine(let what, let deleted, let bytes): return "\(what): \(deleted) removed, \(size(bytes)) freed"
        case .pruned(let total, let lines, let after):
            return "✅ Docker pruned: \(size(total)) freed\n<pre>\(e(lines.joined(separator: "\n")))</pre>"
                + (after.map { "\nnow:\n<pre>\(e($0))</pre>" } ?? "")
        case .diskMeasuring(let t): return "⏳ measuring disks (up to \(d(t)))…"
        case .diskTitle: return "Disk"
        case .diskOnHost(let h): return "Disk on \(h)"
        case .diskHostNoAnswer(let h): return "<b>Disk on \(e(h))</b>: no answer"
        case .diskHostFailed(let h, let error): return "<b>Disk on \(e(h))</b>: ❔ \(e(error))"
        case .mountTableHeader(let width): return DiskModule.pad("mount", width) + "  used  " + DiskModule.pad("free", 8) + "  inodes"
        case .fillUnknown(let needs): return "fill rate not known yet (needs \(d(needs)) of history)"
        case .fullNow: return "📈 full now"
        case .fullIn(let s, let window, let rate):
            return "📈 full in \(LinearTrend.approx(s)) at \(Projection.ratePhrase(window)) (\(String(format: "%+.1f %%/h", rate)))"
        case .notFilling(let rate, let window): return "not filling (\(String(format: "%+.1f %%/h", rate)) over \(Projection.windowPhrase(window)))"
        case .dockerDiskTitle(let socket): return "<b>Docker</b> <i>(docker system df on \(e(socket)))</i>"
        case .dockerReclaimable(let b): return "\(size(b)) reclaimable → /docker_prune"
        case .dockerDiskFailed(let error): return "<b>Docker</b>: \(e(error))"
        case .largestDirectories(let partial, let t, let unreadable):
            return "<b>Largest directories</b>" + (partial ? " <i>(partial: the \(d(t)) budget ran out; sizes are at least these)</i>" : "")
                + (unreadable > 0 ? " <i>(\(unreadable) unreadable)</i>" : "")
        case .largestLogFiles(let partial): return "<b>Largest log files</b>" + (partial ? " <i>(partial)</i>" : "")
        case .cleanupUnknownLog(let name, let known): return e("unknown log \"\(name)\" (known: \(known.joined(separator: ", ")))")
        case .cleanupPreview(let what, let estimate):
            return "Will run:\n<pre>\(e(what))</pre>\n" + (estimate.map { "should free about \(size($0))" } ?? "space freed unknown until it runs")
        case .cleanupConfirm: return "Free space"
        case .cleanupRunning(let what): return "⏳ running <code>\(e(what))</code>…"
        case .cleanupEmptied(let path): return "emptied \(path)"
        case .cleanupRan(let what, let code, let secs, let timedOut, let signal):
            let summary = timedOut ? "killed after the \(String(format: "%.0f", secs)) s timeout"
                : signal.map { "killed by signal \($0)" } ?? "exit \(code) in \(String(format: "%.1f", secs)) s"
            return "\(what): \(summary)"
        case .cleanupCouldNotRun(let what, let error): return "\(what): could not run: \(error)"
        case .cleanupFreed(let before, let after):
            return "\nfree space: \(size(before)) → \(size(after)) (freed \(size(max(0, after - before))))"
        }
    }
}
