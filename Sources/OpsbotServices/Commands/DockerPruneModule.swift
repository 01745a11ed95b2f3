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
        do { m = try services.manager() } catch { return .reply(Reply(html: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text())) }
        let engine = DockerEngine(socket: m.settings.options.dockerSocket)
        let df: DockerAPI.DiskUsage
        do { df = try await engine.diskUsage() } catch {
            return .reply(Reply(html: ServicesText.dockerUnreachable(socket: engine.socket, error: ChatError.text(error)).text()))
        }
        let reclaimable = df.rows.filter { $0.kind != "Local Volumes" }.reduce(0) { $0 + $1.reclaimable }
        let calls = DockerEngine.pruneCalls.map { "POST \($0.1.split(separator: "?").first ?? "")" + ($0.0 == "images" ? ServicesText.pruneDanglingOnly.text() : "") }
        let preview = ServicesText.prunePreview(socket: engine.socket, table: DiskModule.dockerRows(df), calls: calls, reclaimable: reclaimable).text()
        return .confirm(ConfirmationPlan(preview: preview, confirmLabel: ServicesText.pruneConfirm.text(), auditAction: "/docker_prune on \(engine.socket)") { progress in
            await progress.update(ServicesText.pruneProgress(socket: engine.socket).text())
            let results: [DockerAPI.PruneResult]
            do { results = try await engine.prune() } catch { return Reply(html: ServicesText.pruneFailed(error: ChatError.text(error)).text()) }
            let total = results.reduce(0) { $0 + $1.spaceReclaimed }
            let lines = results.map { ServicesText.prunedLine(what: $0.what, deleted: $0.deleted, bytes: $0.spaceReclaimed).text() }
            let after = try? await engine.diskUsage()
            return Reply(html: ServicesText.pruned(total: total, lines: lines, after: after.map(DiskModule.dockerRows)).text())
        })
    }
}
