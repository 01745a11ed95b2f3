import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/conflicts`: why the target bot gets 409 Conflict — extra copies polling the same token
/// (processes, containers), conflict lines in its log, a webhook set while it polls — and the
/// fixes: stop the extras (never the one the supervisor owns) and delete a stray webhook.
struct ConflictsModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.botService) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(Reply(html: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text())) }
        guard let svc = m.settings.botService, let b = m.backend(svc.name) else {
            return .reply(Reply(html: ConflictsText.conflictsNoBotService.text()))
        }
        let now = ctx.app.clock.now()
        let window = m.settings.targetBot?.conflictWindow ?? 900
        async let inst: Result<[ServiceInstance], Error> = { do { return .success(try await b.instances()) } catch { return .failure(error) } }()
        async let logs = try? b.logs(lines: 5, filter: LineFilter(regex: StatusCollector.conflictPattern.regex, since: now.addingTimeInterval(-window)))
        async let bot: TargetBotProbe.Report? = { if let tb = m.settings.targetBot { return await TargetBotProbe(config: tb, environment: m.environment).check() } else { return nil } }()
        async let warning = svc.match != nil && (svc.backend == .process || svc.backend == .systemd) ? b.status().matchWarningText : nil
        let (instances, conflictLines, botReport, matchWarning) = await (inst, logs, bot, warning)

        var html = ConflictsText.conflictsTitle(service: svc.displayName).text()
        var extras: [ServiceInstance] = []
        // Lines from before the last fix (a /conflicts fix, a /restart) belong to what it fixed:
        // they say nothing about now. A fix older than the window changes nothing.
        let fixedAt = m.logWindowStart(svc.name, pattern: StatusCollector.conflictPatternName).flatMap { now.timeIntervalSince($0) < window ? $0 : nil }
        let found = conflictLines?.lines ?? []
        let lines = found.filter { l in fixedAt.map { f in l.time.map { $0 >= f } ?? true } ?? true }
        let beforeFix = found.count - lines.count
        // Set for platform services (dynos, replicas): the copies are the platform's, the fix is its count.
        var platformCount: Int? = nil
        let heroku = svc.backend == .heroku
        switch instances {
        case .failure(let e):
            let why = (e as? InstancesUnknown)?.reason ?? ChatError.text(e)
            html += ConflictsText.conflictsInstancesUnknown(why: why).text()
        case .success(let list) where b is ScalableBackend:
            platformCount = list.count
            html += (list.count > 1 ? ConflictsText.platformCopiesTooMany(count: list.count, service: svc.name, heroku: heroku)
                                    : .platformCopies(count: list.count, service: svc.name, heroku: heroku)).text()
            for i in list {
                if let s = i.startedAt {
                    html += ConflictsText.platformCopySince(description: i.description, ago: now.timeIntervalSince(s)).text()
                } else {
                    html += "• " + HTML.escape(i.description) + "\n"
                }
            }
        case .success(let list):
            let supervised = list.filter(\.supervised)
            extras = list.filter { !$0.supervised }
            html += (list.count <= 1 ? ConflictsText.instancesFew(count: list.count) : .instancesTooMany(count: list.count)).text()
            for i in list {
                html += ConflictsText.instanceLine(description: i.description, keep: i.supervised, startedAgo: i.startedAt.map { now.timeIntervalSince($0) }).text()
            }
            if let w = matchWarning {
                html += "⚠️ " + HTML.escape(StatusCollector.afterName(w.text(), svc.name)) + "\n"
            }
            if !extras.isEmpty && supervised.isEmpty {
                html += ConflictsText.noneSupervised.text()
                extras = []
            }
        }
        let fixedAgo = fixedAt.map { now.timeIntervalSince($0) }
        if lines.isEmpty {
            html += ConflictsText.noConflictLines(fixedAgo: fixedAgo, window: window, beforeFix: beforeFix).text()
        } else {
            html += ConflictsText.conflictLines(fixedAgo: fixedAgo, window: window, beforeFix: beforeFix).text() + "\n<pre>\(HTML.escape(lines.map { String(m.mask($0.text).prefix(250)) }.joined(separator: "\n")))</pre>\n"
            // A dyno that no longer runs may still have logged while it stopped: not an outside poller.
            let running = svc.backend == .heroku ? (try? instances.get()).map { Set($0.map(\.id)) } : nil
            let gone = running.map { ids in Set(lines.compactMap(HerokuBackend.dyno(of:)).filter { !ids.contains($0) }) } ?? []
            let fromRunning = lines.filter { l in HerokuBackend.dyno(of: l).map { !gone.contains($0) } ?? true }.count
            if !gone.isEmpty {
                html += ConflictsText.conflictLinesFromGone(count: lines.count - fromRunning, dynos: gone.sorted()).text()
            }
            if let n = platformCount, n <= 1, fromRunning > 0 {
                // Seed 004: one replica on the platform, yet Telegram sees two pollers.
                html += ConflictsText.outsidePoller(count: n, heroku: heroku).text()
            }
        }
        var webhookToDelete: String? = nil
        if let r = botReport {
            if !r.tokenOK {
                html += ConflictsText.targetBotProblem(error: r.errorText?.text() ?? "getMe failed").text()
            } else if let url = r.webhookURL, m.settings.targetBot?.mode == "polling" {
                html += ConflictsText.webhookWhilePolling(url: url).text()
                webhookToDelete = url
            } else {
                html += ConflictsText.webhookState(set: r.webhookURL != nil).text()
            }
        }
        let toStop = extras
        let limit = svc.maxInstances
        let scalePlan: ConfirmationPlan? = platformCount.flatMap { n -> ConfirmationPlan? in
            guard n > limit, let sb = b as? ScalableBackend else { return nil }
            return ConfirmationPlan(preview: html + ConflictsText.conflictsScalePrompt(service: svc.name, count: limit).text() + "<code>\(HTML.escape(sb.scaleDescription(to: limit)))</code>",
                                    confirmLabel: ConflictsText.conflictsScaleLabel(count: limit).text(), auditAction: "conflicts: scale \(svc.name) to \(limit)") { _ in
                do {
                    let said = try await sb.scale(to: limit)
                    // Like the other fixes: conflict lines of the copies it removed no longer count.
                    if sb.scaleAppliesAtOnce { m.startFreshLogWindow(svc.name, pattern: StatusCollector.conflictPatternName) }
                    return .text("✅ " + said)
                } catch { return Reply(html: ConflictsText.scalingFailed(error: ChatError.text(error)).text()) }
            }
        }
        let stopPlan: ConfirmationPlan? = toStop.isEmpty ? scalePlan : ConfirmationPlan(
            preview: html + ConflictsText.stopExtrasPrompt.text() + extras.map { "• " + HTML.escape($0.description) }.joined(separator: "\n"),
            confirmLabel: ConflictsText.stopExtrasLabel(count: extras.count).text(), auditAction: "conflicts: stop \(extras.map(\.id).joined(separator: ",")) of \(svc.name)") { _ in
                var out: [String] = []
                for e in toStop {
                    do { out.append("✅ " + HTML.escape(try await b.stop(e))) } catch { out.append("🔴 " + HTML.escape(ChatError.text(error))) }
                }
                let left = (try? await b.instances())?.count
                if left.map({ $0 <= svc.maxInstances }) == true { m.startFreshLogWindow(svc.name, pattern: StatusCollector.conflictPatternName) }
                return Reply(html: out.joined(separator: "\n") + (left.map { ConflictsText.nowRunning(count: $0, service: svc.name).text() } ?? ""))
            }
        let hookPlan: ConfirmationPlan? = webhookToDelete.map { url in
            ConfirmationPlan(preview: html + ConflictsText.deleteWebhookPrompt(url: url).text(),
                             confirmLabel: ConflictsText.deleteWebhookLabel.text(), auditAction: "conflicts: deleteWebhook for the target bot") { _ in
                guard let tb = m.settings.targetBot else { return Reply(html: ConflictsText.targetBotNotConfigured.text()) }
                do {
                    try await TargetBotProbe(config: tb, environment: m.environment).deleteWebhook()
                    m.startFreshLogWindow(svc.name, pattern: StatusCollector.conflictPatternName)
                    return Reply(html: ConflictsText.webhookDeleted.text())
                } catch { return Reply(html: ConflictsText.deleteWebhookFailed(error: ChatError.text(error)).text()) }
            }
        }
        switch (stopPlan, hookPlan) {
        case (let s?, let h?):
            return .choose(prompt: html + ConflictsText.whatToFix.text(), choices: [
                Choice((scalePlan != nil ? ConflictsText.choiceScale(service: svc.name, count: limit) : .choiceStopExtras(count: extras.count)).text()) { .confirm(s) },
                Choice(ConflictsText.choiceDeleteWebhook.text()) { .confirm(h) },
            ])
        case (let s?, nil): return .confirm(s)
        case (nil, let h?): return .confirm(h)
        case (nil, nil): return .reply(Reply(html: html.trimmingCharacters(in: .newlines)))
        }
    }
}
