import Foundation

/// `/ping`: proves the round trip works — it sends "pong", times how long the chat took to
/// accept it, and edits in that time and opsbot's uptime.
struct PingModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let elapsed = ctx.app.clock.stopwatch()
        await ctx.progress.update(CoreText.pong.text())
        let roundTrip = elapsed() * 1000
        let up = ctx.app.clock.now().timeIntervalSince(ctx.app.startedAt)
        return .reply(Reply(html: CoreText.pongTimed(milliseconds: Int(roundTrip.rounded()), uptime: up).text()))
    }
}
