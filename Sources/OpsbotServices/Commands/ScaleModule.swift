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
        do { (_, name, b) = try services.serviceArgument(ctx) } catch { return .reply(.text(error.reply)) }
        guard let n = ctx.request.int("count"), n >= 0 else { return .reply(.text("missing count. Usage: /scale <service> <count>")) }
        guard let sb = b as? ScalableBackend else {
            return .reply(.text("\(name) runs on the \(b.config.backend.rawValue) backend, which has no replica count to set; /scale works for backend: heroku and backend: railway."))
        }
        let current = await sb.status()
        var preview = "Scale <b>\(HTML.escape(name))</b> to \(n):\n<code>\(HTML.escape(sb.scaleDescription(to: n)))</code>\n"
        preview += "now: \(HTML.escape(current.configured.map { "set to \($0)" } ?? "setting unknown")), \(HTML.escape(current.instancesUnknown == nil ? "\(current.instances) running" : "running copies unknown"))"
        if n == 0 { preview += "\n⚠️ 0 stops every copy of \(HTML.escape(name))." }
        if n > 1 && b.config.bot { preview += "\n⚠️ \(HTML.escape(name)) polls Telegram: more than one copy gets 409 Conflict." }
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Scale \(name) to \(n)", auditAction: "scale \(name) \(n)") { _ in
            do {
                let said = try await sb.scale(to: n)
                let after = await sb.status()
                return Reply(html: "✅ \(HTML.escape(said))\nnow: \(HTML.escape(after.state.rawValue)) — \(HTML.escape(after.detail))")
            } catch {
                return .text("🔴 scaling \(name) failed: \(Redactor.shared.redact("\(error)"))")
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
        do { (m, name, b) = try services.serviceArgument(ctx) } catch { return .reply(.text(error.reply)) }
        guard let rb = b as? RedeployableBackend else {
            return .reply(.text("\(name) runs on the \(b.config.backend.rawValue) backend, which has no redeploy; use /restart \(name)."))
        }
        if m.isRestarting(name) { return .reply(.text("\(name) is already being restarted; wait for that to finish.")) }
        let checks = RestartModule.verification(b.config)
        let preview = "Redeploy <b>\(HTML.escape(name))</b>:\n<code>\(HTML.escape(rb.redeployDescription))</code>, then wait up to \(Durations.format(b.config.restartWait)) for \(HTML.escape(checks))"
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Redeploy \(name)", auditAction: "redeploy \(name)") { progress in
            Reply(html: await RestartModule.restartOne(m, name, progress: progress, done: [], verb: "redeploy") { try await rb.redeploy() })
        })
    }
}
