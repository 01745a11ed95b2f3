import Foundation
import OpsbotCore
import OpsbotSupport

/// `/scale <service> <n>` (confirmed): the platform's count of copies — Heroku's formation
/// quantity (`heroku ps:scale worker=1`, the fix of a worker scaled to 0) or Railway's
/// numReplicas. Backends that run on a host say they cannot scale.
struct ScaleModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.scalable) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let (name, b): (String, ServiceBackend)
        do { (_, name, b) = try services.serviceArgument(ctx) } catch { return .reply(Reply(html: error.reply)) }
        guard let n = ctx.request.int("count"), n >= 0 else { return .reply(Reply(html: ServicesText.scaleMissingCount.text())) }
        guard let sb = b as? ScalableBackend else {
            return .reply(Reply(html: ServicesText.scaleNotScalable(service: name, backend: b.config.backend.rawValue).text()))
        }
        let current = await sb.status()
        var preview = ServicesText.scalePreview(service: name, count: n, command: sb.scaleDescription(to: n), configured: current.configured,
                                                running: current.instancesUnknown == nil ? current.instances : nil).text()
        if n == 0 { preview += ServicesText.scaleZeroWarning(service: name).text() }
        if n > 1 && b.config.bot { preview += ServicesText.scaleBotWarning(service: name).text() }
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: ServicesText.scaleConfirm(service: name, count: n).text(), auditAction: "scale \(name) \(n)") { _ in
            do {
                let said = try await sb.scale(to: n)
                let after = await sb.status()
                return Reply(html: ServicesText.scaleDone(said: said, state: after.state.rawValue, detail: after.detail).text())
            } catch {
                return Reply(html: ServicesText.scaleFailed(service: name, error: Redactor.shared.redact(ChatError.text(error))).text())
            }
        })
    }
}

/// `/redeploy <service>` (confirmed, Railway): rebuild and roll out, then verify like /restart.
struct RedeployModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.railway) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let (m, name, b): (ServiceManager, String, ServiceBackend)
        do { (m, name, b) = try services.serviceArgument(ctx) } catch { return .reply(Reply(html: error.reply)) }
        guard let rb = b as? RedeployableBackend else {
            return .reply(Reply(html: ServicesText.redeployNotSupported(service: name, backend: b.config.backend.rawValue).text()))
        }
        if m.isRestarting(name) { return .reply(Reply(html: ServicesText.alreadyRestarting(service: name).text())) }
        let checks = RestartModule.verification(b.config)
        let preview = ServicesText.redeployPreview(service: name, command: rb.redeployDescription, wait: b.config.restartWait, checks: checks).text()
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: ServicesText.redeployConfirm(service: name).text(), auditAction: "redeploy \(name)") { progress in
            Reply(html: await RestartModule.restartOne(m, name, progress: progress, done: [], verb: "redeploy") { try await rb.redeploy() })
        })
    }
}
