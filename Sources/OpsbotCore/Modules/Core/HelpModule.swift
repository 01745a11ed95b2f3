import Foundation

/// `/help [command]`: generated from the catalog, so it never drifts from what is installed.
struct HelpModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let catalog = ctx.app.catalog
        let l = ctx.language
        if let name = ctx.request.string("command") {
            let bare = name.hasPrefix("/") ? String(name.dropFirst()) : name
            guard let cmd = catalog.entry(bare)?.command else {
                return .reply(Reply(html: CoreText.helpNoCommand(name: bare).text(l)))
            }
            var lines = [CoreText.helpHeader(synopsis: cmd.synopsis).text(l), HTML.escape(cmd.description(l))]
            if let usage = cmd.usage(l) { lines.append(CoreText.helpUsage(text: usage).text(l)) }
            for a in cmd.arguments {
                lines.append(CoreText.helpArgument(name: a.name, type: a.type, values: a.values, defaultValue: a.defaultValue,
                                                   description: a.description(l)).text(l))
            }
            if let entry = catalog.entry(bare), let why = entry.notConfigured {
                lines.append(CoreText.helpNotConfigured(why: entry.notConfiguredText?.text(l) ?? why).text(l))
            }
            if cmd.confirm { lines.append(CoreText.helpAsksConfirmation.text(l)) }
            if !cmd.roles.isEmpty { lines.append(CoreText.helpRoles(roles: cmd.roles).text(l)) }
            return .reply(Reply(html: lines.joined(separator: "\n")))
        }
        var lines = [CoreText.helpTitle.text(l)]
        for cmd in catalog.visible {
            lines.append(CoreText.helpListLine(synopsis: cmd.synopsis, description: cmd.description(l), confirm: cmd.confirm).text(l))
        }
        let off = catalog.notConfigured.filter { n in catalog.entry(n.name)?.command.hidden == false }
        if !off.isEmpty { lines.append(CoreText.helpNotConfiguredList(names: off.map(\.name)).text(l)) }
        lines.append(CoreText.helpFooter.text(l))
        return .reply(Reply(html: lines.joined(separator: "\n")))
    }
}
