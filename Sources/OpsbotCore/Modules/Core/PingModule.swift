import Foundation

/// `/ping`: proves the round trip works and says how long opsbot has been up.
struct PingModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let up = ctx.app.clock.now().timeIntervalSince(ctx.app.startedAt)
        return .reply(Reply(html: "🏓 pong — up \(Durations.format(up))"))
    }
}
