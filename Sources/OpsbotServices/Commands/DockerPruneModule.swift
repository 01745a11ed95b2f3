import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/docker_prune`: what `docker system prune -f` does (stopped containers, unused networks,
/// dangling images, build cache), through the Engine API on the configured `docker_socket` —
/// the engine the services are on, not whatever `docker` reaches by default. The preview shows
/// the `docker system df` figures (what is reclaimable); the result says what each part freed.
struct DockerPruneModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.docker) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
        let engine = DockerEngine(socket: m.settings.options.dockerSocket)
        let df: DockerAPI.DiskUsage
        do { df = try await engine.diskUsage() } catch {
            return .reply(.text("Docker is not reachable on \(engine.socket) (service_options.docker_socket): \(error)"))
        }
        let reclaimable = df.rows.filter { $0.kind != "Local Volumes" }.reduce(0) { $0 + $1.reclaimable }
        let calls = DockerEngine.pruneCalls.map { "POST \($0.1.split(separator: "?").first ?? "")" + ($0.0 == "images" ? " (dangling only)" : "") }
        let preview = "Prune Docker on <code>\(HTML.escape(engine.socket))</code> (like <code>docker system prune -f</code>; volumes are kept):\n"
            + "<pre>\(HTML.escape(DiskModule.dockerRows(df)))</pre>\n"
            + "Will call:\n<pre>\(HTML.escape(calls.joined(separator: "\n")))</pre>\n"
            + "reclaimable now: about \(DiskUsage.format(reclaimable)) (images count fully only when no container uses them)"
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: "Prune", auditAction: "/docker_prune on \(engine.socket)") { progress in
            await progress.update("⏳ pruning Docker on <code>\(HTML.escape(engine.socket))</code>…")
            let results: [DockerAPI.PruneResult]
            do { results = try await engine.prune() } catch { return .text("🔴 prune failed: \(error)") }
            let total = results.reduce(0) { $0 + $1.spaceReclaimed }
            let lines = results.map { "\($0.what): \($0.deleted) removed, \(DiskUsage.format($0.spaceReclaimed)) freed" }
            var html = "✅ Docker pruned: \(DiskUsage.format(total)) freed\n<pre>\(HTML.escape(lines.joined(separator: "\n")))</pre>"
            if let after = try? await engine.diskUsage() { html += "\nnow:\n<pre>\(HTML.escape(DiskModule.dockerRows(after)))</pre>" }
            return Reply(html: html)
        })
    }
}
